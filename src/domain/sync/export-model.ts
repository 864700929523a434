/**
 * What ExportTask exports, from the stored items: the Connection items (one named by the task, or
 * every one whose Connector is the task's) and, for each, its ConnectionTable items with their
 * columns. A connection without ConnectionTable exports one table named after itself. The output of
 * every table is `<Paths.Export>/<ConnectionTable>.csv` (PrepareSynchronization's input contract).
 */
import { attributeText, type AttributeValue } from "../../config/coerce-attribute.js";
import { readStoredItems, type LazyStoredItem } from "../stored-items.js";
import type { Store } from "../../store/store.js";
import type { ExportTable } from "../../connectors/export-table.js";

export type ExportPackage = "CSV" | "SQL" | "LDAP";

export interface ExportConnection {
  identifier: string;
  package: ExportPackage;
  /** The Package attribute as written, for messages. */
  packageName: string;
  tables: ExportTable[];
}


export function packageKind(name: string | undefined): ExportPackage | undefined {
  if (name === undefined) return undefined;
  if (/^Usercube\.CSV(@|$)/i.test(name)) return "CSV";
  if (/^Usercube\.SQL(@|$)/i.test(name)) return "SQL";
  if (/^Usercube\.(AD|LDAP|OpenLDAP)(@|$)|^Usercube\.LDAP\./i.test(name)) return "LDAP";
  return undefined;
}

/** The connections to export: `connection` alone when set, else every Connection of `connector`. */
export async function readExportConnections(store: Store, selection: { connection?: string | undefined; connector?: string | undefined }): Promise<ExportConnection[]> {
  const connections = await readStoredItems(store, "Connection");
  let chosen: LazyStoredItem[];
  if (selection.connection !== undefined) {
    chosen = connections.filter((c) => c.identifier === selection.connection);
    if (chosen.length === 0) throw new Error(`Connection ${selection.connection} is not in the deployed configuration`);
  } else if (selection.connector !== undefined) {
    chosen = connections.filter((c) => attributeText(c.attributes.Connector) === selection.connector);
    if (chosen.length === 0) throw new Error(`Connector ${selection.connector} has no Connection in the deployed configuration: nothing to export`);
  } else {
    throw new Error("ExportTask needs a Connection or a Connector attribute: which connection to export");
  }
  const tables = await readStoredItems(store, "ConnectionTable");
  const result: ExportConnection[] = [];
  for (const connection of chosen) {
    const packageName = attributeText(connection.attributes.Package);
    const kind = packageKind(packageName);
    if (kind === undefined) {
      throw new Error(
        `Connection ${connection.identifier} has Package ${packageName ?? "(none)"}: ExportTask runs Usercube.CSV, Usercube.SQL and the LDAP packages (Usercube.AD, Usercube.LDAP, Usercube.OpenLDAP); ` +
          "for another system, write <Paths.Export>/<ConnectionTable>.csv with InvokeSqlCommandTask or InvokeExpressionTask instead",
      );
    }
    const own = tables
      .filter((t) => attributeText(t.attributes.Connection) === connection.identifier)
      .map((t) => ({ identifier: t.identifier, columns: columnsOf(t.children as Record<string, unknown>) }));
    result.push({
      identifier: connection.identifier,
      package: kind,
      packageName: packageName ?? "",
      tables: own.length > 0 ? own : [{ identifier: connection.identifier, columns: [] }],
    });
  }
  return result;
}

function columnsOf(children: Record<string, unknown>): string[] {
  const group = children.Column;
  if (group === null || typeof group !== "object") return [];
  const entries: [string, unknown][] = Array.isArray(group) ? group.map((v, i) => [String(i), v]) : Object.entries(group as Record<string, unknown>);
  return entries.map(([key, value]) => {
    const id = value !== null && typeof value === "object" ? (value as Record<string, AttributeValue>).Identifier : undefined;
    return id === undefined || id === "" ? key : String(id);
  });
}

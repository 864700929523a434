/**
 * What ExportTask exports, from the stored items: the Connection items (one named by the task, or
 * every one whose Connector is the task's) and, for each, its ConnectionTable items with their
 * columns. A connection without ConnectionTable exports one table named after itself. The output of
 * every table is `<Paths.Export>/<ConnectionTable>.csv` (PrepareSynchronization's input contract).
 */
import { attributeText, type AttributeValue } from "../config/coerce-attribute.js";
import { LazyStoredItem } from "../deploy/stored-items.js";
import { ENTITY, type ItemRow } from "../store/entities.js";
import type { Store } from "../store/store.js";

export type ExportPackage = "CSV" | "SQL";

export interface ExportTable {
  /** The ConnectionTable identifier: the output is `<identifier>.csv`. */
  identifier: string;
  /** Its Column identifiers, in the configuration's order (empty when none is written). */
  columns: string[];
}

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
  return undefined;
}

/** The connections to export: `connection` alone when set, else every Connection of `connector`. */
export async function readExportConnections(store: Store, selection: { connection?: string | undefined; connector?: string | undefined }): Promise<ExportConnection[]> {
  const repository = store.dataSource.manager.getRepository<ItemRow>(ENTITY.item);
  const connections = (await repository.findBy({ kind: "Connection" })).map((row) => new LazyStoredItem(row));
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
  const tables = (await repository.findBy({ kind: "ConnectionTable" })).map((row) => new LazyStoredItem(row));
  const result: ExportConnection[] = [];
  for (const connection of chosen.sort((a, b) => (a.identifier < b.identifier ? -1 : 1))) {
    const packageName = attributeText(connection.attributes.Package);
    const kind = packageKind(packageName);
    if (kind === undefined) {
      throw new Error(
        `Connection ${connection.identifier} has Package ${packageName ?? "(none)"}: ExportTask runs Usercube.CSV and Usercube.SQL; ` +
          "for another system, write <Paths.Export>/<ConnectionTable>.csv with InvokeSqlCommandTask or InvokeExpressionTask instead",
      );
    }
    const own = tables
      .filter((t) => attributeText(t.attributes.Connection) === connection.identifier)
      .sort((a, b) => (a.identifier < b.identifier ? -1 : 1))
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

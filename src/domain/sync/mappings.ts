/**
 * The files a connector's synchronization reads, from its stored EntityTypeMapping and
 * EntityAssociationMapping items: for each, the export file (its ConnectionTable), the columns kept
 * and the key that rows are sorted, deduplicated and compared on.
 */
import { attributeText } from "../../config/coerce-attribute.js";
import type { Store } from "../../store/store.js";
import { readMappingItems } from "./mapping-items.js";

export interface MappedFile {
  kind: "EntityType" | "EntityAssociation";
  /** The entity type's or association's identifier: the output files are named after it. */
  identifier: string;
  /** The export file is `<connectionTable>.csv`. */
  connectionTable: string;
  /** Columns kept, in output order; the key columns come first. */
  columns: string[];
  /** How many of the first columns make the key (1 for an entity type, 2 for an association). */
  keyLength: number;
}

export async function readConnectorMappings(store: Store, connector: string): Promise<MappedFile[]> {
  const { entityTypes, associations } = await readMappingItems(store, connector);
  const files: MappedFile[] = [];
  for (const { item, properties } of entityTypes) {
    const table = attributeText(item.attributes.ConnectionTable);
    if (table === undefined) throw new Error(`EntityTypeMapping ${item.identifier} has no ConnectionTable: which export file to read`);
    let primary: string | undefined;
    const others: string[] = [];
    for (const { column, isPrimaryKey } of properties) {
      if (column === undefined) continue;
      if (isPrimaryKey) primary = column;
      else others.push(column);
    }
    if (primary === undefined) throw new Error(`EntityTypeMapping ${item.identifier} has no primary key column (IsPrimaryKey="true" with a ConnectionColumn)`);
    const columns = [primary, ...new Set(others.filter((c) => c !== primary))];
    files.push({ kind: "EntityType", identifier: item.identifier, connectionTable: table, columns, keyLength: 1 });
  }
  for (const item of associations) {
    const table = attributeText(item.attributes.ConnectionTable);
    if (table === undefined) throw new Error(`EntityAssociationMapping ${item.identifier} has no ConnectionTable: which export file to read`);
    const column1 = attributeText(item.attributes.Column1);
    const column2 = attributeText(item.attributes.Column2);
    if (column1 === undefined || column2 === undefined) throw new Error(`EntityAssociationMapping ${item.identifier} needs Column1 and Column2`);
    files.push({ kind: "EntityAssociation", identifier: item.identifier, connectionTable: table, columns: [column1, column2], keyLength: 2 });
  }
  return files;
}

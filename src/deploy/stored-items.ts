/** Converts between items and their rows in idm_items. */
import type { SourcePosition } from "../config/problems.js";
import type { ItemRow } from "../store/entities.js";
import type { Item } from "../config/items.js";

export function toItemRow(item: Item, deploymentId: number): Omit<ItemRow, "id"> {
  return {
    kind: item.kind,
    identifier: item.identifier,
    attributes: JSON.stringify(item.attributes),
    children: JSON.stringify(item.children),
    hash: item.hash,
    ...sourceColumns(item.source),
    createdBy: deploymentId,
    changedBy: deploymentId,
  };
}

export function sourceColumns(source: SourcePosition | null): Pick<ItemRow, "sourceFile" | "sourceLine" | "sourceColumn" | "generatedBy"> {
  return { sourceFile: source?.file ?? null, sourceLine: source?.line ?? null, sourceColumn: source?.column ?? null, generatedBy: source?.generatedBy ?? null };
}

/** The revision JSON of an item from its row, reusing the row's JSON text. */
export function revisionOfRow(row: Omit<ItemRow, "id">): string {
  const source = row.sourceFile === null ? null
    : { file: row.sourceFile, line: row.sourceLine, column: row.sourceColumn, ...(row.generatedBy ? { generatedBy: row.generatedBy } : {}) };
  return `{"attributes":${row.attributes},"children":${row.children},"hash":${JSON.stringify(row.hash)},"source":${JSON.stringify(source)}}`;
}

/** What a revision records of an item: enough to rebuild it (rollback) and to show it. */
export function revisionState(item: Pick<Item, "attributes" | "children" | "hash"> & { source: SourcePosition | null }): string {
  return JSON.stringify({ attributes: item.attributes, children: item.children, hash: item.hash, source: item.source });
}

/** Converts between items and their rows in idm_items. */
import type { SourcePosition } from "../config/problems.js";
import type { ItemRow } from "../store/entities.js";
import { itemJson, type Item } from "../config/items.js";
import type { Contribution } from "../config/overlays.js";

export function toItemRow(item: Item, deploymentId: number): Omit<ItemRow, "id"> {
  return {
    kind: item.kind,
    identifier: item.identifier,
    ...itemJson(item),
    hash: item.hash,
    ...sourceColumns(item.source),
    contributions: contributionsColumn(item.contributions),
    createdBy: deploymentId,
    changedBy: deploymentId,
  };
}

export function sourceColumns(source: SourcePosition | null): Pick<ItemRow, "sourceFile" | "sourceLine" | "sourceColumn" | "generatedBy"> {
  return { sourceFile: source?.file ?? null, sourceLine: source?.line ?? null, sourceColumn: source?.column ?? null, generatedBy: source?.generatedBy ?? null };
}

export function contributionsColumn(contributions: Contribution[] | undefined): string | null {
  return contributions === undefined ? null : JSON.stringify(contributions);
}

/** What a revision records of an item: enough to rebuild it (rollback) and to show it. */
export function revisionState(item: Pick<Item, "attributes" | "children" | "hash"> & { source: SourcePosition | null }): string {
  return JSON.stringify({ attributes: item.attributes, children: item.children, hash: item.hash, source: item.source });
}

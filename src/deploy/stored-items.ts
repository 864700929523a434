/** Converts between items and their rows in idm_items. */
import type { SourcePosition } from "../config/problems.js";
import type { ItemRow } from "../store/entities.js";
import type { Item } from "./items.js";
import type { StoredItem } from "./plan.js";

/**
 * A stored item whose attributes and children are loaded apart and parsed on first use: a deploy
 * that changes little reads every key and hash, but the JSON of only the few items that changed.
 */
export class LazyStoredItem implements StoredItem {
  readonly id: number;
  readonly kind: string;
  readonly identifier: string;
  readonly hash: string;
  readonly source: SourcePosition | null;
  #attributes: string | StoredItem["attributes"] | undefined;
  #children: string | StoredItem["children"] | undefined;

  constructor(row: Partial<ItemRow> & Pick<ItemRow, "id" | "kind" | "identifier" | "hash">) {
    this.id = Number(row.id);
    this.kind = row.kind;
    this.identifier = row.identifier;
    this.hash = row.hash;
    this.source = row.sourceFile == null ? null : { file: row.sourceFile, line: row.sourceLine ?? 1, column: row.sourceColumn ?? 1 };
    this.#attributes = row.attributes;
    this.#children = row.children;
  }

  get loaded(): boolean {
    return this.#attributes !== undefined;
  }

  load(row: Pick<ItemRow, "attributes" | "children">): void {
    this.#attributes = row.attributes;
    this.#children = row.children;
  }

  get attributes(): StoredItem["attributes"] {
    if (this.#attributes === undefined) throw new Error(`${this.kind} ${this.identifier}: attributes not loaded`);
    if (typeof this.#attributes === "string") this.#attributes = JSON.parse(this.#attributes) as StoredItem["attributes"];
    return this.#attributes;
  }

  get children(): StoredItem["children"] {
    if (this.#children === undefined) throw new Error(`${this.kind} ${this.identifier}: children not loaded`);
    if (typeof this.#children === "string") this.#children = JSON.parse(this.#children) as StoredItem["children"];
    return this.#children;
  }
}

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

export function sourceColumns(source: SourcePosition | null): Pick<ItemRow, "sourceFile" | "sourceLine" | "sourceColumn"> {
  return { sourceFile: source?.file ?? null, sourceLine: source?.line ?? null, sourceColumn: source?.column ?? null };
}

/** The revision JSON of an item from its row, reusing the row's JSON text. */
export function revisionOfRow(row: Omit<ItemRow, "id">): string {
  const source = row.sourceFile === null ? null : { file: row.sourceFile, line: row.sourceLine, column: row.sourceColumn };
  return `{"attributes":${row.attributes},"children":${row.children},"hash":${JSON.stringify(row.hash)},"source":${JSON.stringify(source)}}`;
}

/** What a revision records of an item: enough to rebuild it (rollback) and to show it. */
export function revisionState(item: Pick<Item, "attributes" | "children" | "hash"> & { source: SourcePosition | null }): string {
  return JSON.stringify({ attributes: item.attributes, children: item.children, hash: item.hash, source: item.source });
}

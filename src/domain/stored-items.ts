/**
 * The deployed configuration as the domain reads it: stored items by kind (and identifier), their
 * attributes and children parsed on first use. Jobs, synchronization, the entity model and the
 * expressions all start from here instead of querying idm_items themselves.
 */
import { In, type EntityManager } from "typeorm";
import type { Item, ItemChildren } from "../config/items.js";
import type { SourcePosition } from "../config/problems.js";
import { ENTITY, type ItemRow } from "../store/entities.js";
import { dialectOfDriver } from "../store/dialects/index.js";
import { batchSize, chunks } from "../store/statements.js";
import type { Store } from "../store/store.js";

/** An item as stored: what deploy compares the desired items with. */
export interface StoredItem {
  id: number;
  kind: string;
  identifier: string;
  attributes: Item["attributes"];
  children: ItemChildren;
  hash: string;
  source: SourcePosition | null;
  /** The JSON of the files that made an overlaid item (migrations/0005), as stored; absent otherwise. */
  contributions?: string | null;
}

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
  /** Undefined until read (the plan reads it with the details, see read-stored.ts). */
  contributions: string | null | undefined;
  #attributes: string | StoredItem["attributes"] | undefined;
  #children: string | StoredItem["children"] | undefined;

  constructor(row: Partial<ItemRow> & Pick<ItemRow, "id" | "kind" | "identifier" | "hash">) {
    this.id = Number(row.id);
    this.kind = row.kind;
    this.identifier = row.identifier;
    this.hash = row.hash;
    this.source = row.sourceFile == null ? null
      : { file: row.sourceFile, line: row.sourceLine ?? 1, column: row.sourceColumn ?? 1, ...(row.generatedBy ? { generatedBy: row.generatedBy } : {}) };
    this.contributions = row.contributions;
    this.#attributes = row.attributes;
    this.#children = row.children;
  }

  get loaded(): boolean {
    return this.#attributes !== undefined;
  }

  load(row: Pick<ItemRow, "attributes" | "children"> & Partial<Pick<ItemRow, "contributions">>): void {
    if (row.contributions !== undefined) this.contributions = row.contributions;
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

type Reader = Store | EntityManager;

function repositoryOf(reader: Reader) {
  const manager = "dataSource" in reader ? reader.dataSource.manager : reader;
  return manager.getRepository<ItemRow>(ENTITY.item);
}

/** The stored items of one kind (or of several, such as every task type), in identifier order. */
export async function readStoredItems(reader: Reader, kind: string | readonly string[]): Promise<LazyStoredItem[]> {
  const rows = await repositoryOf(reader).findBy({ kind: typeof kind === "string" ? kind : In([...kind]) });
  return rows.map((row) => new LazyStoredItem(row)).sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
}

/** One stored item, or undefined when that kind has no item of this identifier. */
export async function readStoredItem(reader: Reader, kind: string, identifier: string): Promise<LazyStoredItem | undefined> {
  const row = await repositoryOf(reader).findOneBy({ kind, identifier });
  return row === null ? undefined : new LazyStoredItem(row);
}

/** The stored items of the given kinds with these identifiers, read in chunks that fit every driver's parameter limit. */
export async function readStoredItemsByIdentifier(reader: Reader, kinds: readonly string[], identifiers: readonly string[]): Promise<LazyStoredItem[]> {
  const repository = repositoryOf(reader);
  const dialect = dialectOfDriver(repository.manager.connection.options.type);
  const items: LazyStoredItem[] = [];
  for (const chunk of chunks(identifiers, batchSize(dialect, 1) - kinds.length)) {
    const rows = await repository.findBy({ kind: In([...kinds]), identifier: In(chunk) });
    items.push(...rows.map((row) => new LazyStoredItem(row)));
  }
  return items;
}

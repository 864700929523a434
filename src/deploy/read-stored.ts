/** Reads the stored items for a plan: every key and hash in one query, details only where needed. */
import type { EntityManager } from "typeorm";
import type { ItemRow } from "../store/entities.js";
import type { Dialect } from "../store/database-url.js";
import type { Item } from "../config/items.js";
import { batchSize } from "../store/statements.js";
import { rawRows, selectAllItems, selectItemDetails, selectItemKeys } from "./item-queries.js";
import type { StoredItem } from "../domain/stored-items.js";
import { LazyStoredItem } from "../domain/stored-items.js";

type FullRow = Partial<ItemRow> & Pick<ItemRow, "id" | "kind" | "identifier" | "hash">;

/** Every stored item, attributes included (export, history). */
export async function readStoredItems(manager: EntityManager): Promise<StoredItem[]> {
  return (await rawRows(manager, selectAllItems(manager))).map((row) => new LazyStoredItem(row as FullRow));
}

/**
 * The stored items as a plan against `desired` needs them: the attributes and children of the items
 * that the plan will update or delete (those whose hash differs, or that are not desired any more;
 * the job summary compares the steps of those jobs only).
 */
export async function readStoredForPlan(manager: EntityManager, dialect: Dialect, desired: Item[]): Promise<StoredItem[]> {
  const stored = (await rawRows(manager, selectItemKeys(manager))).map((row) => new LazyStoredItem(row as FullRow));
  const wanted = new Map(desired.map((d) => [`${d.kind}\u0000${d.identifier}`, d]));
  // An overlaid item's contributors may change while its hash does not: its details are read to compare them.
  const changed = stored.filter((s) => {
    const want = wanted.get(`${s.kind}\u0000${s.identifier}`);
    return want?.hash !== s.hash || want.contributions !== undefined;
  });
  const byId = new Map(changed.map((s) => [s.id, s]));
  const ids = [...byId.keys()];
  const size = batchSize(dialect, 1);
  for (let i = 0; i < ids.length; i += size) {
    for (const row of await rawRows(manager, selectItemDetails(manager, ids.slice(i, i + size)))) {
      byId.get(Number(row.id))!.load(row as Pick<ItemRow, "attributes" | "children" | "contributions">);
    }
  }
  return stored;
}

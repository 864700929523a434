/**
 * The Incremental diff of one entity type: the `.sorted.delta` commands of a batch resolved against
 * the stored keys, into a sink (synchronize-diff.ts: counted, applied, or written as change rows).
 * insert, update and merge are upserts (an update of an absent key inserts it; one whose properties
 * did not change is nothing); a delete of an absent key is nothing; the last command of a key wins.
 */
import { hashProperties } from "../resources/properties.js";
import type { ResourceStore } from "../resources/resource-store.js";
import type { ManifestEntry } from "./batch-queue.js";
import { sortedRows } from "./sorted-rows.js";
import type { DiffSink } from "./synchronize-diff.js";
import { propertiesEncoder, type EntityTypeModel } from "./synchronize-model.js";
import { FLUSH } from "./synchronize-run.js";

export async function diffIncremental(
  rs: ResourceStore, path: string, entry: ManifestEntry, model: EntityTypeModel, sink: DiffSink, signal: AbortSignal,
): Promise<void> {
  if (entry.delta === "none") throw new Error(`${path} is a whole set, not changes (an Incremental batch has .sorted.delta files)`);
  const rows = sortedRows(path, ["command", ...entry.columns], signal);
  const encode = propertiesEncoder(model, entry.columns, 1);
  let pending: string[][] = [];
  const resolve = async () => {
    const stored = await rs.keysByKeys(entry.identifier, [...new Set(pending.map((r) => r[1]!))], sink.wantsStored === true);
    // The last command of a key wins; rows come sorted by key, commands in file order.
    const last = new Map<string, string[]>();
    for (const row of pending) last.set(row[1]!, row);
    for (const [key, row] of last) {
      const current = stored.get(key);
      const id = current?.id;
      if (row[0] === "delete") {
        if (id !== undefined) await sink.change("delete", key, id, null);
        continue;
      }
      const properties = encode(row);
      if (id === undefined) await sink.change("insert", key, null, properties);
      else {
        const hash = hashProperties(properties);
        if (current!.hash !== hash) await sink.change("update", key, id, properties, { hash, ...(current!.properties === undefined ? {} : { stored: current!.properties }) });
      }
    }
    pending = [];
  };
  try {
    for await (const row of rows) {
      // Keep every command of a key in one group.
      if (pending.length >= FLUSH && pending[pending.length - 1]![1] !== row[1]) await resolve();
      pending.push(row);
    }
    if (pending.length > 0) await resolve();
    await sink.flush();
  } finally {
    await rows.return(undefined);
  }
}

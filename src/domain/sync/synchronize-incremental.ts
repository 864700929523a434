/**
 * The Incremental diff of one entity type: the `.sorted.delta` commands of a batch resolved against
 * the stored keys, written as pending change rows. insert, update and merge are upserts (an update
 * of an absent key inserts it; one whose properties did not change is nothing); a delete of an
 * absent key is nothing; the last command of a key wins.
 */
import { join } from "node:path";
import { encodeProperties, hashProperties } from "../resources/properties.js";
import type { ResourceStore } from "../resources/resource-store.js";
import type { ManifestEntry, TakenBatch } from "./batch-queue.js";
import { sortedRows } from "./sorted-rows.js";
import { ChangeRowSink } from "./synchronize-diff.js";
import { propertiesOfRow, type EntityTypeModel } from "./synchronize-model.js";
import { FLUSH, type SynchronizeOptions } from "./synchronize-run.js";

export async function diffIncremental(options: SynchronizeOptions, resources: ResourceStore, batch: TakenBatch, entry: ManifestEntry, model: EntityTypeModel): Promise<void> {
  if (entry.delta === "none") throw new Error(`batch ${batch.name}: ${entry.file} is a whole set, not changes (an Incremental batch has .sorted.delta files)`);
  const buffer = new ChangeRowSink(resources, { jobInstanceId: options.job.instanceId, connector: options.connector, entityType: entry.identifier, state: "pending" });
  const rows = sortedRows(join(batch.folder, entry.file), ["command", ...entry.columns], options.signal);
  let pending: string[][] = [];
  const resolve = async () => {
    const stored = await resources.keysByKeys(entry.identifier, [...new Set(pending.map((r) => r[1]!))]);
    // The last command of a key wins; rows come sorted by key, commands in file order.
    const last = new Map<string, string[]>();
    for (const row of pending) last.set(row[1]!, row);
    for (const [key, row] of last) {
      const current = stored.get(key);
      const id = current?.id;
      if (row[0] === "delete") {
        if (id !== undefined) await buffer.change("delete", key, id, null);
        continue;
      }
      const properties = encodeProperties(propertiesOfRow(model, entry.columns, row, 1));
      if (id === undefined) await buffer.change("insert", key, null, properties);
      else if (current!.hash !== hashProperties(properties)) await buffer.change("update", key, id, properties);
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
    await buffer.flush();
  } finally {
    await rows.return(undefined);
  }
}

/**
 * An Initial synchronization: the batch's whole sets bulk inserted, then its links, in one
 * transaction with the history row; refused while the connector's entity types hold resources,
 * unless forced.
 */
import { join } from "node:path";
import type { EntityManager } from "typeorm";
import { EncodedProperties } from "../resources/properties.js";
import { ResourceStore, type ResourceInput, type WriteContext } from "../resources/resource-store.js";
import type { ManifestEntry, TakenBatch } from "./batch-queue.js";
import { sortedRows } from "./sorted-rows.js";
import { endResolvers, insertInitialLinks, type LinkContext, type Orphan } from "./synchronize-links.js";
import { propertiesEncoder, type AssociationModel, type ConnectorModel, type EntityTypeModel } from "./synchronize-model.js";
import { emptySynchronizeCounters, writeHistory, type SynchronizeCounters, type SynchronizeOptions } from "./synchronize-run.js";

export async function initial(
  options: SynchronizeOptions, batch: TakenBatch, model: ConnectorModel, entries: [ManifestEntry, EntityTypeModel][],
  linkEntries: [ManifestEntry, AssociationModel][], taskInstanceId: number, orphans: Orphan[],
): Promise<SynchronizeCounters> {
  const { store, connector } = options;
  const loaded = await new ResourceStore(store.dataSource.manager).countResources([...model.entityTypes.keys()]);
  const held = [...loaded].filter(([, n]) => n > 0);
  if (held.length > 0 && !options.force) {
    throw new Error(`Initial synchronization of ${connector} refused: the store already holds ${held.map(([t, n]) => `${n} ${t}`).join(", ")}` +
      " (run a Complete synchronization, or force it with --force or ForceSynchronization=\"true\")");
  }
  const counters = emptySynchronizeCounters();
  const context: WriteContext = { at: new Date(), jobInstanceId: options.job.instanceId };
  await store.dataSource.transaction(async (m: EntityManager) => {
    const rs = new ResourceStore(m);
    for (const [entry, typeModel] of entries) {
      if (entry.delta !== "none") throw new Error(`batch ${batch.name}: ${entry.file} is not a whole set (an Initial batch has .sorted.csv files)`);
      let rows: ResourceInput[] = [];
      const encode = propertiesEncoder(typeModel, entry.columns);
      for await (const row of sortedRows(join(batch.folder, entry.file), entry.columns, options.signal)) {
        rows.push({ entityType: entry.identifier, connector, sourceKey: row[0]!, properties: new EncodedProperties(encode(row)) });
        if (rows.length >= rs.insertBatch("resources")) {
          await rs.insertResources(rows, context);
          counters.inserted += rows.length;
          rows = [];
          options.progress?.({ ...counters });
        }
      }
      if (rows.length > 0) await rs.insertResources(rows, context);
      counters.inserted += rows.length;
    }
    const linkContext: LinkContext = { connector, jobInstanceId: options.job.instanceId, signal: options.signal };
    const resolvers = endResolvers(rs, batch, model, entries.map(([entry]) => entry), options.signal);
    for (const [entry, association] of linkEntries) {
      await insertInitialLinks(rs, linkContext, batch.folder, entry, association, context, counters, orphans, await resolvers(association));
    }
    await writeHistory(rs, options, taskInstanceId, "Initial", "Succeeded", counters, null);
  });
  options.log("Information", `${connector}: ${counters.inserted} inserted, ${counters.linksInserted} links, ${counters.orphans} orphans (Initial)`);
  return counters;
}

/**
 * The server step of "sync up" (README, SynchronizeTask): the oldest queued batch of a connector is
 * taken (batch-queue.ts), its changes are computed, checked against the thresholds, then
 * applied in one transaction with the synchronization history row.
 *
 * Complete: each `<EntityType>.sorted.csv` is merge-joined with the stored keys (synchronize-diff.ts).
 * Incremental: the `.sorted.delta` commands, resolved against the stored keys (insert / update /
 * merge are upserts, delete of an absent key is nothing; synchronize-incremental.ts). Either is
 * counted for the thresholds (when one is on and not forced), then applied straight from the files
 * (or written as change rows when a threshold blocks).
 * Initial: a bulk insert, refused while the connector's entity types hold resources (unless forced).
 *
 * The parts: synchronize-run.ts (options, counters, history row), synchronize-initial.ts,
 * synchronize-diff.ts (Complete), synchronize-incremental.ts, synchronize-links.ts, thresholds.ts,
 * synchronize-apply.ts. When a threshold is exceeded the changes are held Blocked
 * (blocked-changes.ts): the resume of the job applies them without computing them again.
 */
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { decideHold, HeldChanges, totalChanges, type HeldScope } from "../blocked-changes.js";
import { SYNCHRONIZATION_CHANGES } from "../resources/resource-queries.js";
import { ResourceStore } from "../resources/resource-store.js";
import { ENTITY, type TaskInstanceRow } from "../../store/entities.js";
import type { Store } from "../../store/store.js";
import { consumeBatch, databaseQueue, releaseBatch, takeOldestBatch, type ManifestEntry, type TakenBatch } from "./batch-queue.js";
import { applyChanges } from "./synchronize-apply.js";
import { ChangeRowSink, CountingSink, diffEntry } from "./synchronize-diff.js";
import { initial } from "./synchronize-initial.js";
import { associationOf, currentLinkCounts, diffLinks, endResolvers, writeOrphans, type LinkContext, type Orphan } from "./synchronize-links.js";
import { readConnectorModel, type AssociationModel, type EntityTypeModel } from "./synchronize-model.js";
import { changed, emptySynchronizeCounters, refreshStatisticsAfter, writeHistory, type SynchronizeCounters, type SynchronizeOptions } from "./synchronize-run.js";
import { confineTo } from "../confined-path.js";
import { exceededLinkThreshold, exceededThreshold, hasResourceThresholds, needsCurrentCounts } from "./thresholds.js";

export { emptySynchronizeCounters, type SynchronizeCounters, type SynchronizeOptions };

export interface SynchronizeOutcome {
  state: "Succeeded" | "Blocked";
  didWork: boolean;
  counters: SynchronizeCounters;
  message?: string;
  batch?: string;
  /** The orphans CSV written (Orphans="true" and some orphans). */
  orphansFile?: string;
}

export async function synchronize(options: SynchronizeOptions): Promise<SynchronizeOutcome> {
  const { store, connector, job, signal } = options;
  signal.throwIfAborted();
  // Refused before any change is computed, not after they are committed.
  if (options.orphansFile) confineTo(orphansPath(options), options.workFolder);
  const resources = new ResourceStore(store.dataSource.manager);
  const held = new HeldChanges(store.dataSource.manager, SYNCHRONIZATION_CHANGES);
  const scope: HeldScope = { owner: job.instanceId, subject: connector };
  const model = await readConnectorModel(store, connector);
  const taskInstanceId = await findTaskInstance(store, job.instanceId, options.task);

  // The resume of a blocked synchronization applies the changes it kept, without recomputing.
  if (options.force && (await held.isHeld(scope))) {
    options.log("Information", `applying the blocked changes of ${connector} kept by job instance ${job.instanceId} (thresholds forced)`);
    const orphans: Orphan[] = [];
    const counters = await applyChanges({ options, model, taskInstanceId, from: "blocked", orphans });
    return { state: "Succeeded", didWork: changed(counters), counters, ...(await orphansOut(options, orphans)) };
  }

  const batch = await takeOldestBatch(options.workFolder, connector, databaseQueue(options.store));
  if (batch === undefined) {
    options.log("Information", `no batch queued for ${connector}: nothing to synchronize`);
    return { state: "Succeeded", didWork: false, counters: emptySynchronizeCounters() };
  }
  let committed = false;
  try {
    const { manifest } = batch;
    if (manifest.connector !== connector) throw new Error(`batch ${batch.name} is for connector ${manifest.connector}, not ${connector}`);
    options.log("Information", `synchronizing batch ${batch.name} of ${connector} (${manifest.mode})`);
    const typeEntries = manifest.entries.filter((e) => e.kind === "EntityType");
    const linkEntries = manifest.entries.filter((e) => e.kind === "EntityAssociation").map((e): [ManifestEntry, AssociationModel] => [e, associationOf(model, e)]);
    const modelOf = (entry: ManifestEntry): EntityTypeModel => {
      const found = model.entityTypes.get(entry.identifier);
      if (found === undefined) throw new Error(`batch ${batch.name}: ${entry.identifier} has no EntityTypeMapping of ${connector} any more`);
      return found;
    };

    if (manifest.mode === "Initial") {
      const orphans: Orphan[] = [];
      const counters = await initial(options, batch, model, typeEntries.map((e) => [e, modelOf(e)]), linkEntries, taskInstanceId, orphans);
      committed = true;
      await consumeBatch(batch);
      await refreshStatisticsAfter(store, counters);
      return { state: "Succeeded", didWork: changed(counters), counters, batch: batch.name, ...(await orphansOut(options, orphans)) };
    }

    // Changes left pending by a run that died before applying them are superseded by this one; so are,
    // for a Complete batch, the changes other job instances left blocked (a Complete run lifts the block).
    await held.discardSuperseded(scope, { blockedOfOthers: manifest.mode === "Complete" });
    const typeModels = typeEntries.map((e): [ManifestEntry, EntityTypeModel] => [e, modelOf(e)]);
    // The resource changes are only counted here, when a threshold may hold them; they are applied
    // from the files, or written as change rows when a threshold blocks them.
    const counts: Record<string, Record<string, number>> = {};
    if (!options.force && hasResourceThresholds(model)) {
      for (const [entry, typeModel] of typeModels) {
        signal.throwIfAborted();
        await diffEntry(manifest.mode, resources, batch.folder, entry, typeModel, new CountingSink(counts, entry.identifier), signal);
      }
    }
    const linkContext: LinkContext = { connector, jobInstanceId: job.instanceId, signal };
    const orphans: Orphan[] = [];
    const resolvers = endResolvers(resources, batch, model, typeEntries, signal);
    for (const [entry, association] of linkEntries) {
      signal.throwIfAborted();
      await diffLinks(linkContext, resources, batch.folder, entry, association, manifest.mode, await resolvers(association), orphans);
    }

    const decision = await decideHold(options.force, [
      async () => exceededThreshold(model, {
        changes: counts, current: needsCurrentCounts(model, counts) ? await resources.countResources([...model.entityTypes.keys()]) : new Map(),
      }),
      async () => model.associations.size === 0 ? undefined : exceededLinkThreshold(model, await resources.countLinkChanges(job.instanceId, connector, "pending"),
        await currentLinkCounts(store.dataSource.manager, [...model.associations.keys()])),
    ]);
    if (decision.action === "hold") {
      await hold(options, resources, batch, typeModels, taskInstanceId, manifest.mode, decision.reason);
      committed = true;
      await consumeBatch(batch);
      const count = totalChanges(await resources.countResourceChanges(job.instanceId, connector, "blocked")) +
        totalChanges(await resources.countLinkChanges(job.instanceId, connector, "blocked"));
      options.log("Warning", `${decision.reason}: the ${count} changes of batch ${batch.name} are kept blocked for review; resume the job (or run with --force) to apply them`);
      const counters = { ...emptySynchronizeCounters(), orphans: orphans.length };
      return { state: "Blocked", didWork: false, counters, message: decision.reason, batch: batch.name, ...(await orphansOut(options, orphans)) };
    }
    const counters = await applyChanges({
      options, model, taskInstanceId, from: "pending", mode: manifest.mode, onCommit: () => { committed = true; }, orphans,
      fromFiles: { folder: batch.folder, entries: typeModels },
    });
    await consumeBatch(batch);
    await refreshStatisticsAfter(store, counters);
    return { state: "Succeeded", didWork: changed(counters), counters, batch: batch.name, ...(await orphansOut(options, orphans)) };
  } catch (error) {
    if (!committed) await releaseBatch(batch);
    throw error;
  }
}

/**
 * Holds a synchronization's changes Blocked, with its history row, in one transaction. The resource
 * changes were only counted: they are written as change rows first, for review.
 */
async function hold(
  options: SynchronizeOptions, resources: ResourceStore, batch: TakenBatch, typeModels: [ManifestEntry, EntityTypeModel][],
  taskInstanceId: number, mode: "Complete" | "Incremental", reason: string,
): Promise<void> {
  const { store, job, connector } = options;
  for (const [entry, typeModel] of typeModels) {
    const rows = new ChangeRowSink(resources, { jobInstanceId: job.instanceId, connector, entityType: entry.identifier, state: "pending" });
    await diffEntry(mode, resources, batch.folder, entry, typeModel, rows, options.signal);
  }
  await store.dataSource.transaction(async (m) => {
    await new HeldChanges(m, SYNCHRONIZATION_CHANGES).hold({ owner: job.instanceId, subject: connector });
    await writeHistory(new ResourceStore(m), options, taskInstanceId, mode, "Blocked", emptySynchronizeCounters(), reason);
  });
}

/** Orphans are logged; under Orphans="true" they are written to a CSV file. */
async function orphansOut(options: SynchronizeOptions, orphans: readonly Orphan[]): Promise<{ orphansFile?: string }> {
  if (orphans.length === 0) return {};
  options.log("Warning", `${orphans.length} links of ${options.connector} name a resource that does not exist (orphans), first: ` +
    orphans.slice(0, 3).map((o) => `${o.association} ${o.fromKey} → ${o.toKey}`).join(", "));
  if (!options.orphansFile) return {};
  const path = confineTo(orphansPath(options), options.workFolder);
  await mkdir(dirname(path), { recursive: true });
  await writeOrphans(path, orphans);
  options.log("Information", `orphans written to ${path}`);
  return { orphansFile: path };
}

/** `<Paths.Work>/Synchronize/<Connector>/<jobInstance>-orphans.csv`. */
function orphansPath(options: SynchronizeOptions): string {
  return join(options.workFolder, "Synchronize", options.connector, `${options.job.instanceId}-orphans.csv`);
}

async function findTaskInstance(store: Store, jobInstanceId: number, task: string): Promise<number> {
  const row = await store.dataSource.manager.getRepository<TaskInstanceRow>(ENTITY.taskInstance)
    .findOne({ where: { jobInstanceId, task }, order: { id: "DESC" } });
  if (row === null) throw new Error(`no task instance of ${task} in job instance ${jobInstanceId}: SynchronizeTask runs inside a job`);
  return row.id;
}

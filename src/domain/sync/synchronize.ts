/**
 * The server step of "sync up" (README, SynchronizeTask): the oldest queued batch of a connector is
 * taken (batch-queue.ts), its changes are computed, checked against the thresholds, then
 * applied in one transaction with the synchronization history row.
 *
 * Complete: each `<EntityType>.sorted.csv` is merge-joined with the stored keys (synchronize-diff.ts):
 * counted for the thresholds, then applied straight from the file (or written as change rows when a
 * threshold blocks). Incremental: the `.sorted.delta` commands, resolved
 * against the stored keys (insert / update / merge are upserts, delete of an absent key is nothing).
 * Initial: a bulk insert, refused while the connector's entity types hold resources (unless forced).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Not, type EntityManager } from "typeorm";
import { EncodedProperties, encodeProperties, hashProperties } from "../resources/properties.js";
import { ResourceStore, type ResourceInput, type WriteContext } from "../resources/resource-store.js";
import { ENTITY, type TaskInstanceRow } from "../../store/entities.js";
import { type ChangeState } from "../vocabulary.js";
import type { Store } from "../../store/store.js";
import type { WorkContext } from "../work-context.js";
import { readCsvRecords } from "../../connectors/csv/csv-read.js";
import type { ManifestEntry } from "./batch-queue.js";
import { consumeBatch, releaseBatch, takeOldestBatch, type TakenBatch } from "./batch-queue.js";
import { ApplySink, ChangeRowSink, CountingSink, keepComputed, mergeComplete } from "./synchronize-diff.js";
import {
  applyLinkDeletes, applyLinkInserts, associationOf, currentLinkCounts, diffLinks, endResolver, insertInitialLinks, writeOrphans,
  type EndResolver, type LinkContext, type Orphan,
} from "./synchronize-links.js";
import {
  exceededLinkThreshold, exceededThreshold, needsCurrentCounts, propertiesOfRow, readConnectorModel, type AssociationModel, type ConnectorModel, type EntityTypeModel,
} from "./synchronize-model.js";

export interface SynchronizeCounters {
  inserted: number;
  updated: number;
  deleted: number;
  linksInserted: number;
  linksDeleted: number;
  orphans: number;
}

export interface SynchronizeOptions extends Pick<WorkContext, "store" | "job" | "signal" | "log">, Partial<Pick<WorkContext<SynchronizeCounters>, "progress">> {
  connector: string;
  workFolder: string;
  task: string;
  /** Thresholds forced (resume, `idm run --force`, ForceSynchronization); Initial also loads over existing data. */
  force: boolean;
  doNotDeleteChanges: boolean;
  /** Orphans="true": the unresolvable links go to `<workFolder>/Synchronize/<Connector>/<jobInstance>-orphans.csv`. */
  orphansFile: boolean;
}

export interface SynchronizeOutcome {
  state: "Succeeded" | "Blocked";
  didWork: boolean;
  counters: SynchronizeCounters;
  message?: string;
  batch?: string;
  /** The orphans CSV written (Orphans="true" and some orphans). */
  orphansFile?: string;
}

const FLUSH = 500;

export function emptySynchronizeCounters(): SynchronizeCounters {
  return { inserted: 0, updated: 0, deleted: 0, linksInserted: 0, linksDeleted: 0, orphans: 0 };
}

export async function synchronize(options: SynchronizeOptions): Promise<SynchronizeOutcome> {
  const { store, connector, job, signal } = options;
  signal.throwIfAborted();
  const resources = new ResourceStore(store.dataSource.manager);
  const model = await readConnectorModel(store, connector);
  const taskInstanceId = await findTaskInstance(store, job.instanceId, options.task);

  // The resume of a blocked synchronization applies the changes it kept, without recomputing.
  if (options.force) {
    const blocked = await resources.countResourceChanges(job.instanceId, connector, "blocked");
    const blockedLinks = await resources.countLinkChanges(job.instanceId, connector, "blocked");
    if (Object.keys(blocked).length > 0 || Object.keys(blockedLinks).length > 0) {
      options.log("Information", `applying the blocked changes of ${connector} kept by job instance ${job.instanceId} (thresholds forced)`);
      const orphans: Orphan[] = [];
      const counters = await apply(options, model, taskInstanceId, "blocked", undefined, undefined, orphans);
      return { state: "Succeeded", didWork: changed(counters), counters, ...(await orphansOut(options, orphans)) };
    }
  }

  const batch = await takeOldestBatch(options.workFolder, connector);
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
      return { state: "Succeeded", didWork: changed(counters), counters, batch: batch.name, ...(await orphansOut(options, orphans)) };
    }

    await discardSuperseded(store, options, manifest.mode);
    const typeModels = typeEntries.map((e): [ManifestEntry, EntityTypeModel] => [e, modelOf(e)]);
    // Complete: the resource changes are only counted here; they are applied from the files, or
    // written as change rows when a threshold blocks them. Incremental: change rows, then applied.
    const completeCounts: Record<string, Record<string, number>> = {};
    for (const [entry, typeModel] of typeModels) {
      signal.throwIfAborted();
      if (manifest.mode === "Complete") await mergeComplete(resources, join(batch.folder, entry.file), entry, typeModel, new CountingSink(completeCounts, entry.identifier), signal);
      else await diffIncremental(options, resources, batch, entry, typeModel);
    }
    const linkContext: LinkContext = { connector, jobInstanceId: job.instanceId, signal };
    const orphans: Orphan[] = [];
    const resolvers = endResolvers(resources, batch, model, typeEntries, signal);
    for (const [entry, association] of linkEntries) {
      signal.throwIfAborted();
      await diffLinks(linkContext, resources, batch.folder, entry, association, manifest.mode, await resolvers(association), orphans);
    }

    const changes = manifest.mode === "Complete" ? completeCounts : await resources.countResourceChanges(job.instanceId, connector, "pending");
    const forced = options.force;
    const exceeded = forced ? undefined
      : exceededThreshold(model, { changes, current: needsCurrentCounts(model, changes) ? await resources.countResources([...model.entityTypes.keys()]) : new Map() }) ??
        exceededLinkThreshold(model, await resources.countLinkChanges(job.instanceId, connector, "pending"),
          await currentLinkCounts(store.dataSource.manager, [...model.associations.keys()]));
    if (exceeded !== undefined) {
      if (manifest.mode === "Complete") {
        for (const [entry, typeModel] of typeModels) {
          const rows = new ChangeRowSink(resources, { jobInstanceId: job.instanceId, connector, entityType: entry.identifier, state: "pending" });
          await mergeComplete(resources, join(batch.folder, entry.file), entry, typeModel, rows, signal);
        }
      }
      await store.dataSource.transaction(async (m) => {
        const rs = new ResourceStore(m);
        await rs.setChangesState(job.instanceId, connector, "pending", "blocked");
        await writeHistory(rs, options, taskInstanceId, manifest.mode, "Blocked", emptySynchronizeCounters(), exceeded);
      });
      committed = true;
      await consumeBatch(batch);
      const linkChanges = await resources.countLinkChanges(job.instanceId, connector, "blocked");
      const counts = [...Object.values(changes), ...Object.values(linkChanges)].reduce((s, byOp) => s + Object.values(byOp).reduce((a, b) => a + b, 0), 0);
      options.log("Warning", `${exceeded}: the ${counts} changes of batch ${batch.name} are kept blocked for review; resume the job (or run with --force) to apply them`);
      const counters = { ...emptySynchronizeCounters(), orphans: orphans.length };
      return { state: "Blocked", didWork: false, counters, message: exceeded, batch: batch.name, ...(await orphansOut(options, orphans)) };
    }
    const fromFiles = manifest.mode === "Complete" ? { folder: batch.folder, entries: typeModels } : undefined;
    const counters = await apply(options, model, taskInstanceId, "pending", manifest.mode, () => { committed = true; }, orphans, fromFiles);
    await consumeBatch(batch);
    return { state: "Succeeded", didWork: changed(counters), counters, batch: batch.name, ...(await orphansOut(options, orphans)) };
  } catch (error) {
    if (!committed) await releaseBatch(batch);
    throw error;
  }
}

/** The end resolvers of each association, made once per entity type and property. */
function endResolvers(
  resources: ResourceStore, batch: TakenBatch, model: ConnectorModel, typeEntries: ManifestEntry[], signal: AbortSignal,
): (association: AssociationModel) => Promise<[EndResolver, EndResolver]> {
  const made = new Map<string, Promise<EndResolver>>();
  const resolver = (side: AssociationModel["side1"]) => {
    const id = `${side.entityType}:${side.property}`;
    if (!made.has(id)) {
      const typeEntry = typeEntries.find((e) => e.identifier === side.entityType);
      made.set(id, endResolver(resources, batch.folder, typeEntry, model.entityTypes.get(side.entityType)!, side.property, signal));
    }
    return made.get(id)!;
  };
  return async (association) => [await resolver(association.side1), await resolver(association.side2)];
}

/**
 * Changes left pending by a run that died before applying them are superseded by this one; so are,
 * for a Complete batch, the changes other job instances left blocked (a Complete run lifts the block).
 */
async function discardSuperseded(store: Store, options: SynchronizeOptions, mode: "Complete" | "Incremental"): Promise<void> {
  for (const entity of [ENTITY.resourceChange, ENTITY.resourceLinkChange] as const) {
    await store.dataSource.manager.createQueryBuilder().update(entity).set({ state: "discarded" })
      .where({ connector: options.connector, state: "pending" }).execute();
    if (mode === "Complete") {
      await store.dataSource.manager.createQueryBuilder().update(entity).set({ state: "discarded" })
        .where({ connector: options.connector, state: "blocked", jobInstanceId: Not(options.job.instanceId) }).execute();
    }
  }
}

/** Orphans are logged; under Orphans="true" they are written to a CSV file. */
async function orphansOut(options: SynchronizeOptions, orphans: readonly Orphan[]): Promise<{ orphansFile?: string }> {
  if (orphans.length === 0) return {};
  options.log("Warning", `${orphans.length} links of ${options.connector} name a resource that does not exist (orphans), first: ` +
    orphans.slice(0, 3).map((o) => `${o.association} ${o.fromKey} → ${o.toKey}`).join(", "));
  if (!options.orphansFile) return {};
  const folder = join(options.workFolder, "Synchronize", options.connector);
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${options.job.instanceId}-orphans.csv`);
  await writeOrphans(path, orphans);
  options.log("Information", `orphans written to ${path}`);
  return { orphansFile: path };
}

function changed(c: SynchronizeCounters): boolean {
  return c.inserted + c.updated + c.deleted + c.linksInserted + c.linksDeleted > 0;
}

async function findTaskInstance(store: Store, jobInstanceId: number, task: string): Promise<number> {
  const row = await store.dataSource.manager.getRepository<TaskInstanceRow>(ENTITY.taskInstance)
    .findOne({ where: { jobInstanceId, task }, order: { id: "DESC" } });
  if (row === null) throw new Error(`no task instance of ${task} in job instance ${jobInstanceId}: SynchronizeTask runs inside a job`);
  return row.id;
}

async function writeHistory(
  rs: ResourceStore, options: SynchronizeOptions, taskInstanceId: number, mode: "Initial" | "Complete" | "Incremental",
  state: "Succeeded" | "Blocked", counters: SynchronizeCounters, error: string | null,
): Promise<void> {
  const set = {
    state, endedAt: new Date(), resourcesInserted: counters.inserted, resourcesUpdated: counters.updated, resourcesDeleted: counters.deleted,
    linksInserted: counters.linksInserted, linksDeleted: counters.linksDeleted, error,
  };
  const existing = await rs.synchronizationOfTask(taskInstanceId);
  const id = existing?.id ?? await rs.startSynchronization({
    connector: options.connector, taskInstanceId, jobInstanceId: options.job.instanceId, mode, startedAt: new Date(),
  });
  await rs.updateSynchronization(id, set);
}

/** Reads a sorted file: its header, then its rows padded to the header's width. */
async function* sortedRows(path: string, columns: readonly string[], signal: AbortSignal): AsyncGenerator<string[]> {
  const records = readCsvRecords(path, signal);
  try {
    const first = await records.next();
    if (first.done) throw new Error(`${path} is empty (it needs a header row)`);
    if (first.value.join("\u0000") !== columns.join("\u0000")) throw new Error(`${path} has the columns ${first.value.join(", ")}, its manifest ${columns.join(", ")}`);
    for await (const record of records) {
      while (record.length < columns.length) record.push("");
      yield record;
    }
  } finally {
    await records.return(undefined);
  }
}

async function diffIncremental(options: SynchronizeOptions, resources: ResourceStore, batch: TakenBatch, entry: ManifestEntry, model: EntityTypeModel): Promise<void> {
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

/**
 * Applies a synchronization's changes in one transaction: links ended, resources written (from the
 * change rows in `state`, or, for a Complete batch, merged again from its files), links inserted,
 * the history row; then the change rows are deleted (or kept as applied under DoNotDeleteChanges).
 * A Complete synchronization also clears the dirty flag of its entity types: the complete job's
 * tasks after it recompute everything.
 */
async function apply(
  options: SynchronizeOptions, model: ConnectorModel, taskInstanceId: number, state: ChangeState, mode: "Complete" | "Incremental" | undefined,
  onCommit: (() => void) | undefined, orphans: Orphan[], fromFiles?: { folder: string; entries: [ManifestEntry, EntityTypeModel][] },
): Promise<SynchronizeCounters> {
  const { store, job, connector } = options;
  const counters = { ...emptySynchronizeCounters(), orphans: orphans.length };
  const context: WriteContext = { at: new Date(), jobInstanceId: job.instanceId };
  await store.dataSource.transaction(async (m: EntityManager) => {
    const rs = new ResourceStore(m);
    const existing = await rs.synchronizationOfTask(taskInstanceId);
    const syncMode = mode ?? existing?.mode ?? "Complete";
    const linkContext: LinkContext = { connector, jobInstanceId: job.instanceId, signal: options.signal };
    // Links first ended, resources applied, then links inserted: a new link may name a new resource.
    await applyLinkDeletes(rs, linkContext, state, context, counters);
    if (fromFiles !== undefined) {
      for (const [entry, typeModel] of fromFiles.entries) {
        const sink = new ApplySink(rs, typeModel, connector, context, counters, options.doNotDeleteChanges ? job.instanceId : undefined);
        await mergeComplete(rs, join(fromFiles.folder, entry.file), entry, typeModel, sink, options.signal);
        options.progress?.({ ...counters });
      }
    } else {
      await applyChangeRows(rs, options, model, state, syncMode === "Incremental", context, counters);
    }
    if (syncMode === "Complete") for (const entityType of model.entityTypes.keys()) await rs.clearDirty(entityType);
    await applyLinkInserts(rs, linkContext, state, context, counters, orphans);
    options.progress?.({ ...counters });
    if (options.doNotDeleteChanges) await rs.setChangesState(job.instanceId, connector, state, "applied");
    else await rs.deleteChanges(job.instanceId, connector);
    await writeHistory(rs, options, taskInstanceId, syncMode, "Succeeded", counters, null);
  });
  onCommit?.();
  options.log("Information", `${connector}: ${counters.inserted} inserted, ${counters.updated} updated, ${counters.deleted} deleted;` +
    ` links ${counters.linksInserted} inserted, ${counters.linksDeleted} deleted, ${counters.orphans} orphans`);
  return counters;
}

/** The resource change rows in `state`, written page by page; Incremental marks what it writes dirty. */
async function applyChangeRows(
  rs: ResourceStore, options: SynchronizeOptions, model: ConnectorModel, state: ChangeState, dirty: boolean, context: WriteContext, counters: SynchronizeCounters,
): Promise<void> {
  const { connector, job } = options;
  for await (const page of rs.resourceChanges(job.instanceId, { connector, state })) {
    options.signal.throwIfAborted();
    const inserts: ResourceInput[] = [];
    const updates = new Map<string, { id: number; properties: string }[]>();
    const deletes: number[] = [];
    for (const c of page) {
      // A change row holds the properties as the diff encoded them: they are stored as they are.
      if (c.operation === "insert") inserts.push({ entityType: c.entityType, connector, sourceKey: c.sourceKey, properties: new EncodedProperties(c.after ?? "{}") });
      else if (c.operation === "update") updates.set(c.entityType, [...(updates.get(c.entityType) ?? []), { id: c.resourceId as number, properties: c.after ?? "{}" }]);
      else deletes.push(c.resourceId as number);
    }
    if (deletes.length > 0) await rs.deleteResources(deletes, context);
    for (const [entityType, rows] of updates) {
      const typeModel = model.entityTypes.get(entityType);
      if (typeModel === undefined) throw new Error(`${entityType} has no EntityTypeMapping of ${connector} any more: its kept changes cannot be applied`);
      await rs.updateResources(await keepComputed(rs, typeModel, rows), context, dirty || undefined);
      counters.updated += rows.length;
    }
    if (inserts.length > 0) await rs.insertResources(inserts, context, dirty);
    counters.inserted += inserts.length;
    counters.deleted += deletes.length;
    options.progress?.({ ...counters });
  }
}

async function initial(
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
      for await (const row of sortedRows(join(batch.folder, entry.file), entry.columns, options.signal)) {
        rows.push({ entityType: entry.identifier, connector, sourceKey: row[0]!, properties: propertiesOfRow(typeModel, entry.columns, row) });
        if (rows.length >= FLUSH) {
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

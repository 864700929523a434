/**
 * Applies a synchronization's changes in one transaction: links ended, resources written (from the
 * change rows in `from`, or, for a Complete batch, merged again from its files), links inserted,
 * the history row; then the change rows are removed (or kept as applied under DoNotDeleteChanges,
 * blocked-changes.ts). A Complete synchronization also clears the dirty flag of its entity types:
 * the complete job's tasks after it recompute everything.
 */
import type { EntityManager } from "typeorm";
import { HeldChanges } from "../blocked-changes.js";
import { EncodedProperties } from "../resources/properties.js";
import { SYNCHRONIZATION_CHANGES } from "../resources/resource-queries.js";
import { ResourceStore, type ResourceInput, type WriteContext } from "../resources/resource-store.js";
import type { ManifestEntry } from "./batch-queue.js";
import { ApplySink, diffEntry, keepComputed } from "./synchronize-diff.js";
import { applyLinkDeletes, applyLinkInserts, type LinkContext, type Orphan } from "./synchronize-links.js";
import type { ConnectorModel, EntityTypeModel } from "./synchronize-model.js";
import { emptySynchronizeCounters, writeHistory, type SynchronizeCounters, type SynchronizeOptions } from "./synchronize-run.js";

export interface ApplyRun {
  options: SynchronizeOptions;
  model: ConnectorModel;
  taskInstanceId: number;
  /** The state of the change rows applied: pending (just computed) or blocked (a resume). */
  from: "pending" | "blocked";
  /** The batch's mode; a resume applies in the mode its history row recorded. */
  mode?: "Complete" | "Incremental";
  /** Called once the transaction committed: the batch can no longer be put back. */
  onCommit?: () => void;
  /** The links found orphan so far; applying adds those whose end is still missing. */
  orphans: Orphan[];
  /** A batch's files: its resource changes are computed again from them instead of read from change rows. */
  fromFiles?: { folder: string; entries: [ManifestEntry, EntityTypeModel][] };
}

export async function applyChanges(run: ApplyRun): Promise<SynchronizeCounters> {
  const { options, model, from, orphans, fromFiles } = run;
  const { store, job, connector } = options;
  const counters = { ...emptySynchronizeCounters(), orphans: orphans.length };
  const context: WriteContext = { at: new Date(), jobInstanceId: job.instanceId };
  await store.dataSource.transaction(async (m: EntityManager) => {
    const rs = new ResourceStore(m);
    const existing = await rs.synchronizationOfTask(run.taskInstanceId);
    const syncMode = run.mode ?? existing?.mode ?? "Complete";
    const linkContext: LinkContext = { connector, jobInstanceId: job.instanceId, signal: options.signal };
    // Links first ended, resources applied, then links inserted: a new link may name a new resource.
    await applyLinkDeletes(rs, linkContext, from, context, counters);
    if (fromFiles !== undefined) {
      for (const [entry, typeModel] of fromFiles.entries) {
        const incremental = syncMode === "Incremental";
        const sink = new ApplySink(rs, typeModel, connector, context, counters, options.doNotDeleteChanges ? job.instanceId : undefined, incremental);
        await diffEntry(incremental ? "Incremental" : "Complete", rs, fromFiles.folder, entry, typeModel, sink, options.signal);
        options.progress?.({ ...counters });
      }
    } else {
      await applyChangeRows(rs, options, model, from, syncMode === "Incremental", context, counters);
    }
    if (syncMode === "Complete") for (const entityType of model.entityTypes.keys()) await rs.clearDirty(entityType);
    await applyLinkInserts(rs, linkContext, from, context, counters, orphans);
    options.progress?.({ ...counters });
    const held = new HeldChanges(m, SYNCHRONIZATION_CHANGES);
    const scope = { owner: job.instanceId, subject: connector };
    if (options.doNotDeleteChanges) await held.markApplied(scope, from);
    else await held.remove(scope);
    await writeHistory(rs, options, run.taskInstanceId, syncMode, "Succeeded", counters, null);
  });
  run.onCommit?.();
  options.log("Information", `${connector}: ${counters.inserted} inserted, ${counters.updated} updated, ${counters.deleted} deleted;` +
    ` links ${counters.linksInserted} inserted, ${counters.linksDeleted} deleted, ${counters.orphans} orphans`);
  return counters;
}

/** The resource change rows in `state`, written page by page; Incremental marks what it writes dirty. */
async function applyChangeRows(
  rs: ResourceStore, options: SynchronizeOptions, model: ConnectorModel, state: "pending" | "blocked", dirty: boolean, context: WriteContext, counters: SynchronizeCounters,
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

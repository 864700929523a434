/**
 * What every part of a synchronization shares: its options, its counters, and its history row
 * (idm_synchronization_history: one per task instance, InProgress until it ends).
 */
import type { ResourceStore } from "../resources/resource-store.js";
import { ENTITY } from "../../store/entities.js";
import { refreshStatistics } from "../../store/refresh-statistics.js";
import type { Store } from "../../store/store.js";
import type { SynchronizationMode } from "../vocabulary.js";
import type { WorkContext } from "../work-context.js";

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

/** Rows written (or resolved) per round trip. */
export const FLUSH = 500;

/**
 * After a run that inserted or deleted many resources: the statistics of idm_resources are
 * refreshed (store/refresh-statistics.ts), so that the next run's key lookups use the unique index.
 */
export async function refreshStatisticsAfter(store: Store, counters: SynchronizeCounters): Promise<void> {
  await refreshStatistics(store, ENTITY.resource, counters.inserted + counters.deleted);
}

export function emptySynchronizeCounters(): SynchronizeCounters {
  return { inserted: 0, updated: 0, deleted: 0, linksInserted: 0, linksDeleted: 0, orphans: 0 };
}

/** Whether a synchronization changed anything (the task's didWork). */
export function changed(c: SynchronizeCounters): boolean {
  return c.inserted + c.updated + c.deleted + c.linksInserted + c.linksDeleted > 0;
}

/** Ends the task's history row (started now when it has none yet). */
export async function writeHistory(
  rs: ResourceStore, options: SynchronizeOptions, taskInstanceId: number, mode: SynchronizationMode,
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

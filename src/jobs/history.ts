/** What has run: instances, their logs, the deployed jobs with their last run, and retention. */
import { jobCron } from "../config/job-cron.js";
import { isJobChildren } from "../config/items.js";
import { readStoredItems } from "../domain/stored-items.js";
import { ENTITY, type JobInstanceRow, type TaskInstanceRow, type TaskLogRow } from "../store/entities.js";
import type { Store } from "../store/store.js";
import {
  deleteByJobInstance, deleteJobInstances, selectInstances, selectJobInstance, selectLastInstances, selectPrunableInstances, selectTaskInstances,
  selectTaskLogs,
} from "../store/job-instance-queries.js";
import { jobLeaseName } from "../store/job-lease.js";
import { goneHolder, readLease } from "../store/lease.js";

export type InstanceSummary = Omit<JobInstanceRow, "snapshot" | "selection">;

export async function listInstances(store: Store, job: string | undefined, limit: number): Promise<InstanceSummary[]> {
  return selectInstances(store.dataSource.manager, job, limit).getMany();
}

export interface InstanceTimeline {
  instance: InstanceSummary;
  /** In launch order: by launch group, then by the step's place in the job. */
  tasks: TaskInstanceRow[];
}

/** An instance with its tasks' states and times (what a Gantt chart of the run draws); undefined when there is none. */
export async function readInstanceTimeline(store: Store, instanceId: number): Promise<InstanceTimeline | undefined> {
  const manager = store.dataSource.manager;
  const found = await selectJobInstance(manager, instanceId).getOne();
  if (found === null) return undefined;
  const { snapshot: _snapshot, selection: _selection, ...instance } = found;
  const tasks = await selectTaskInstances(manager, instanceId).getMany();
  tasks.sort((a, b) => a.groupIndex - b.groupIndex || a.launchOrder - b.launchOrder);
  return { instance, tasks };
}

export interface DeployedJob {
  identifier: string;
  displayName: string;
  agent: string | null;
  cron: string | null;
  cronTimeZone: string;
  /** The next time the scheduler starts it; null without a cron (or with an invalid one). */
  nextDue: Date | null;
  tasks: number;
  lastInstance: Pick<JobInstanceRow, "id" | "state" | "startedAt" | "endedAt"> | null;
}

export async function listDeployedJobs(store: Store, now = new Date()): Promise<DeployedJob[]> {
  const manager = store.dataSource.manager;
  const jobs = await readStoredItems(manager, "Job");
  const last = new Map((await selectLastInstances(manager).getMany()).map((i) => [i.job, i]));
  return jobs.map((item) => {
    const attributes = item.attributes;
    const cron = typeof attributes.CronTabExpression === "string" ? attributes.CronTabExpression : null;
    const instance = last.get(item.identifier);
    return {
      identifier: item.identifier,
      displayName: String(attributes.DisplayName_L1 ?? ""),
      agent: typeof attributes.Agent === "string" ? attributes.Agent : null,
      cron,
      cronTimeZone: String(attributes.CronTimeZone ?? "UTC"),
      nextDue: cron === null ? null : nextRun(cron, attributes.CronTimeZone, now),
      tasks: isJobChildren(item.children) ? item.children.steps.length : 0,
      lastInstance: instance ? { id: instance.id, state: instance.state, startedAt: instance.startedAt, endedAt: instance.endedAt } : null,
    };
  });
}

function nextRun(pattern: string, cronTimeZone: unknown, now: Date): Date | null {
  try {
    return jobCron(pattern, cronTimeZone).nextRun(now);
  } catch {
    return null;
  }
}

export interface LogLine extends TaskLogRow {
  /** The task's identifier; undefined for the runner's own lines. */
  task: string | undefined;
}

export async function readLogs(store: Store, instanceId: number, options: { task?: string; afterId?: number } = {}): Promise<LogLine[]> {
  const manager = store.dataSource.manager;
  const tasks = await selectTaskInstances(manager, instanceId).getMany();
  const names = new Map(tasks.map((t) => [t.id, t.task]));
  const wanted = options.task === undefined ? undefined : new Set(tasks.filter((t) => t.task === options.task).map((t) => t.id));
  const rows = await selectTaskLogs(manager, instanceId, options.afterId ?? 0).getMany();
  return rows
    .filter((r) => wanted === undefined || (r.taskInstanceId !== null && wanted.has(r.taskInstanceId)))
    .map((r) => ({ ...r, task: r.taskInstanceId === null ? undefined : names.get(r.taskInstanceId) }));
}

export interface FollowEnd {
  state: JobInstanceRow["state"];
  /** Set when the instance is still InProgress but nothing runs it any more: why the follow stopped. */
  runnerGone?: string;
}

/**
 * Prints an instance's log lines (all, or one task's) and, with `follow`, the new ones until the
 * instance ends or its runner is gone: a runner killed with SIGKILL leaves its instance InProgress
 * until the next run of its job marks it Interrupted, and a follower must not wait for that.
 * undefined when there is no such instance.
 */
export async function followLogs(
  store: Store, instanceId: number, options: { task?: string; follow: boolean; pollMs: number }, print: (lines: LogLine[]) => void,
): Promise<FollowEnd | undefined> {
  const taskFilter = options.task === undefined ? {} : { task: options.task };
  let afterId = 0;
  for (;;) {
    const instance = await selectJobInstance(store.dataSource.manager, instanceId).getOne();
    if (instance === null) return undefined;
    const lines = await readLogs(store, instanceId, { ...taskFilter, afterId });
    print(lines);
    afterId = lines.at(-1)?.id ?? afterId;
    if (!options.follow || instance.state !== "InProgress") return { state: instance.state };
    const lease = jobLeaseName(instance.job);
    const gone = goneHolder(lease, await readLease(store, lease));
    if (gone !== undefined) {
      // Lines the runner wrote after the read above, before it went, are printed too.
      print(await readLogs(store, instanceId, { ...taskFilter, afterId }));
      return { state: instance.state, runnerGone: gone };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

export interface PruneResult {
  jobInstances: number;
  before: Date;
}

/** Removes the ended instances that started before `before`, with their tasks and logs, in one transaction. */
export async function pruneHistory(store: Store, before: Date): Promise<PruneResult> {
  return store.dataSource.transaction(async (manager) => {
    const ids = (await selectPrunableInstances(manager, before).getMany()).map((i) => i.id);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await deleteByJobInstance(manager, ENTITY.taskLog, chunk).execute();
      await deleteByJobInstance(manager, ENTITY.taskInstance, chunk).execute();
      await deleteJobInstances(manager, chunk).execute();
    }
    return { jobInstances: ids.length, before };
  });
}

/**
 * The built-in scheduler: starts deployed jobs at the times of their CronTabExpression.
 *
 * Each tick reads the deployed jobs again (a deploy is seen without a restart), finds for each the
 * latest cron time at or before the tick, and starts the job when that time is later than the last
 * one handled (idm_schedules) and than the deploy that last changed the job. What it decided is
 * recorded per job, so that a restarted scheduler neither runs a cron time twice nor forgets one.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Cron } from "croner";
import { jobCron } from "../config/job-cron.js";
import { In } from "typeorm";
import type { Settings } from "../config/settings.js";
import { ENTITY, type DeploymentRow, type ItemRow, type ScheduleRow } from "../store/entities.js";
import { acquireLease, readLease, type Lease } from "../store/lease.js";
import type { Store } from "../store/store.js";
import { insertSchedule, selectRunningInstances, selectSchedules, updateSchedule } from "../store/job-instance-queries.js";
import { jobLeaseName } from "../store/job-lease.js";
import { JobRunningError, runJob, type RunSummary } from "./runner.js";

export const SCHEDULER_LEASE = "scheduler";
/** The longest the loop sleeps between ticks: a deploy that adds or changes a cron is seen within it. */
const MAX_SLEEP_MS = 30_000;
/** The shortest: a timer that fires a little before the wall clock reaches the due time ticks again soon. */
const MIN_SLEEP_MS = 10;
/** SQL Server takes at most 2,100 parameters per statement. */
const IN_LIST_SIZE = 1000;

export interface TickOptions {
  /** Passed to the runs the tick starts: aborting it cancels them. */
  signal?: AbortSignal;
  /** The scheduler's messages: a job started or skipped, an invalid cron. */
  log?: (message: string) => void;
}

export interface StartedJob {
  job: string;
  /** The cron time this run is for. */
  due: Date;
  instanceId: number;
  /** Settles when the run ends; never awaited by the tick. */
  run: Promise<RunSummary>;
}

export interface SkippedJob {
  job: string;
  reason: string;
}

export interface NotDueJob {
  job: string;
  /** The job's next cron time after the tick (null when the pattern has none). */
  next: Date | null;
}

export interface TickResult {
  started: StartedJob[];
  skipped: SkippedJob[];
  notDue: NotDueJob[];
  /** The earliest next cron time of any job: when the loop ticks next. */
  next: Date | null;
}

interface ScheduledJob {
  job: string;
  pattern: string;
  /** The Job's CronTimeZone attribute (see jobCron). */
  cronTimeZone: unknown;
  /** When the deploy that last changed the job ended: cron times before it are not run. */
  deployedAt: Date | null;
}

/** Decides and starts the jobs due at `at`. Started runs go on after it returns (see TickResult). */
export async function schedulerTick(store: Store, settings: Settings, at: Date, options: TickOptions = {}): Promise<TickResult> {
  const log = options.log ?? (() => undefined);
  const manager = store.dataSource.manager;
  const jobs = await readScheduledJobs(store);
  const schedules = new Map((await selectSchedules(manager).getMany()).map((s) => [s.job, s]));
  const result: TickResult = { started: [], skipped: [], notDue: [], next: null };

  for (const job of jobs) {
    let cron: Cron;
    try {
      cron = jobCron(job.pattern, job.cronTimeZone);
    } catch (error) {
      const reason = `invalid CronTabExpression "${job.pattern}": ${(error as Error).message}`;
      log(`${job.job} skipped: ${reason}`);
      result.skipped.push({ job: job.job, reason });
      continue;
    }
    const next = cron.nextRun(at);
    if (next !== null && (result.next === null || next < result.next)) result.next = next;

    // After downtime several cron times may have passed: only the latest is run, once. Catching up
    // every missed time would start the same job back to back, which a schedule never intends.
    const due = latestDue(cron, at);
    const schedule = schedules.get(job.job);
    // A deploy must not start a job for a cron time before it; this also covers a cron changed, or a
    // job deleted and deployed again, after the last time handled.
    const handled = Math.max(schedule?.dueAt.getTime() ?? -Infinity, job.deployedAt?.getTime() ?? -Infinity);
    if (due === null || due.getTime() <= handled) {
      result.notDue.push({ job: job.job, next });
      continue;
    }

    try {
      await decide(store, settings, job.job, due, schedule !== undefined, options, log, result);
    } catch (error) {
      // The database failing for one job (a start recorded, then its row refused) must not hide the others.
      const reason = `failed: ${(error as Error).message}`;
      log(`${job.job} ${reason}`);
      if (!result.skipped.some((s) => s.job === job.job) && !result.started.some((s) => s.job === job.job)) {
        result.skipped.push({ job: job.job, reason });
      }
    }
  }
  return result;
}

/** Starts a due job, or records why not. */
async function decide(
  store: Store, settings: Settings, job: string, due: Date, known: boolean, options: TickOptions,
  log: (message: string) => void, result: TickResult,
): Promise<void> {
  const manager = store.dataSource.manager;
  const record = async (outcome: ScheduleRow["outcome"], jobInstanceId: number | null) => {
    const row: ScheduleRow = { job, dueAt: due, decidedAt: new Date(), outcome, jobInstanceId };
    await (known ? updateSchedule(manager, row) : insertSchedule(manager, row)).execute();
  };
  const overlap = async (instanceId: number | undefined) => {
    const reason = `${instanceId === undefined ? "an instance" : `instance ${instanceId}`} is still running`;
    log(`${job} skipped: ${reason}`);
    result.skipped.push({ job, reason });
    await record("overlap", instanceId ?? null);
  };

  // The run's lease says whether an instance is alive; an InProgress row alone may belong to a dead runner.
  const holder = await readLease(store, jobLeaseName(job));
  if (holder !== undefined && holder.expiresAt > new Date()) {
    const running = await selectRunningInstances(manager, job).getOne();
    return overlap(running?.id);
  }

  let started!: (instanceId: number) => void;
  const startedId = new Promise<number>((resolve) => (started = resolve));
  const run = runJob(job, {
    store, settings, trigger: "scheduler", ...(options.signal ? { signal: options.signal } : {}),
    onEvent: (event) => event.kind === "started" && started(event.instanceId),
  });
  run.catch(() => undefined); // the caller awaits it; until then a failed run is not "unhandled"
  let instanceId: number;
  try {
    // The run emits "started" before it can end, so the first to settle is the start or a failure to start.
    instanceId = await Promise.race([startedId, run.then((summary) => summary.instanceId)]);
  } catch (error) {
    if (error instanceof JobRunningError) return overlap(error.holder.instanceId);
    const reason = `failed to start: ${(error as Error).message}`;
    log(`${job} ${reason}`);
    result.skipped.push({ job, reason });
    return record("failed", null);
  }
  log(`${job} started: instance ${instanceId} for ${due.toISOString()}`);
  result.started.push({ job, due, instanceId, run });
  // Recorded as soon as the run starts, not when it ends: a scheduler that stops meanwhile must not start it again.
  await record("started", instanceId);
}

/** The latest cron time at or before `at`. croner's previousRuns excludes a time equal to its reference. */
function latestDue(cron: Cron, at: Date): Date | null {
  const second = new Date(Math.floor(at.getTime() / 1000) * 1000);
  if (cron.match(second)) return second;
  return cron.previousRuns(1, at)[0] ?? null;
}

async function readScheduledJobs(store: Store): Promise<ScheduledJob[]> {
  const manager = store.dataSource.manager;
  const rows = await manager.getRepository<ItemRow>(ENTITY.item).find({
    select: { identifier: true, attributes: true, changedBy: true },
    where: { kind: "Job" },
  });
  const jobs = rows
    .map((row) => ({ row, attributes: JSON.parse(row.attributes) as Record<string, unknown> }))
    .filter(({ attributes }) => typeof attributes.CronTabExpression === "string" && attributes.CronTabExpression.trim() !== "");

  const ids = [...new Set(jobs.map(({ row }) => row.changedBy).filter((id): id is number => id !== null))];
  const deployedAt = new Map<number, Date>();
  for (let i = 0; i < ids.length; i += IN_LIST_SIZE) {
    const deployments = await manager.getRepository<DeploymentRow>(ENTITY.deployment).find({
      select: { id: true, startedAt: true, endedAt: true },
      where: { id: In(ids.slice(i, i + IN_LIST_SIZE)) },
    });
    for (const d of deployments) deployedAt.set(Number(d.id), d.endedAt ?? d.startedAt);
  }

  return jobs
    .map(({ row, attributes }) => ({
      job: row.identifier,
      pattern: (attributes.CronTabExpression as string).trim(),
      cronTimeZone: attributes.CronTimeZone,
      deployedAt: row.changedBy === null ? null : (deployedAt.get(Number(row.changedBy)) ?? null),
    }))
    .sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
}

/** The lease that keeps a second scheduler from starting the same jobs; LeaseBusyError names its holder. */
export function acquireSchedulerLease(store: Store, settings: Settings, waitMs: number): Promise<Lease> {
  return acquireLease(store, SCHEDULER_LEASE, { waitMs, ttlMs: settings.jobs.leaseTtlSeconds * 1000 });
}

export interface OnceResult extends TickResult {
  /** The runs' outcomes, in the order of `started`: a summary, or the error the run failed with. */
  ended: (RunSummary | Error)[];
}

/** `idm scheduler --once`: one tick at `at` under the scheduler's lease, waiting for the runs it started. */
export async function schedulerOnce(store: Store, settings: Settings, at: Date, options: TickOptions = {}): Promise<OnceResult> {
  const lease = await acquireSchedulerLease(store, settings, 0);
  try {
    const result = await schedulerTick(store, settings, at, options);
    const ended = await Promise.all(result.started.map((s) => s.run.catch((error: unknown) => error as Error)));
    return { ...result, ended };
  } finally {
    await lease.release();
  }
}

export interface SchedulerOptions {
  /** Stops the loop and cancels the runs it started (SIGINT, SIGTERM). */
  signal: AbortSignal;
  log: (message: string) => void;
  /** How long to wait for the scheduler lease (a dead scheduler's lease expires after Jobs.LeaseTtlSeconds). */
  waitMs?: number;
}

/**
 * `idm scheduler`: ticks now, sleeps until the next cron time of any job (at most MAX_SLEEP_MS, to
 * see new deploys), and again, until the signal. Runs go on in the background; on stop the loop
 * cancels them through the signal and waits for them to end before it releases its lease.
 */
export async function runScheduler(store: Store, settings: Settings, options: SchedulerOptions): Promise<void> {
  const { signal, log } = options;
  const lease = await acquireSchedulerLease(store, settings, options.waitMs ?? settings.jobs.leaseTtlSeconds * 1000);
  // Losing the lease (a stall longer than its TTL let another scheduler take it) stops the ticking,
  // but not the runs: they hold their own job leases.
  const stop = AbortSignal.any([signal, lease.signal]);
  const runs = new Set<Promise<void>>();
  try {
    log("scheduler started");
    while (!stop.aborted) {
      let next: Date | null = null;
      try {
        const result = await schedulerTick(store, settings, new Date(), { signal, log });
        next = result.next;
        for (const { job, instanceId, run } of result.started) {
          const ended: Promise<void> = run.then(
            (summary) => log(`${job} instance ${instanceId} ended ${summary.state}`),
            (error: unknown) => log(`${job} instance ${instanceId} failed: ${(error as Error).message}`),
          ).finally(() => runs.delete(ended));
          runs.add(ended);
        }
      } catch (error) {
        // The database may be back at the next tick; a scheduler that exits would need a restart.
        log(`tick failed: ${(error as Error).message}`);
      }
      const wait = next === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(MIN_SLEEP_MS, next.getTime() - Date.now()));
      await sleep(wait, undefined, { signal: stop }).catch(() => undefined);
    }
    if (!signal.aborted) log(`scheduler stopping: ${(lease.signal.reason as Error).message}`);
    if (runs.size > 0) log(`waiting for ${runs.size} running job${runs.size === 1 ? "" : "s"} to end`);
    await Promise.all(runs);
  } finally {
    await lease.release();
  }
  log("scheduler stopped");
}

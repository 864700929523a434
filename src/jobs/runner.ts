/**
 * The job runner: the reference Invoke-Job state machine over the stored configuration. One run
 * holds the job's lease, works through the launch groups in order, checks each task's parents,
 * hands the task to its handler, and records every state in the database as it changes.
 */
import { hostname, userInfo } from "node:os";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sweepStaleTemporaries } from "../domain/maintenance/stale-temporaries.js";
import { endGroupsOfDeadRunners } from "../domain/processes/dead-runner-groups.js";
import { formatRecordedGroup } from "../domain/processes/recorded-group.js";
import { closestName } from "../config/did-you-mean.js";
import type { Settings } from "../config/settings.js";
import { jobIdentifiers } from "../deploy/history.js";
import type { JobInstanceRow, TaskInstanceRow } from "../store/entities.js";
import type { JobState, LogLevel, TaskState, Trigger } from "../domain/vocabulary.js";
import { acquireLease, LeaseBusyError, type Lease } from "../store/lease.js";
import { insertBatchSize, run } from "../store/statements.js";
import type { Store } from "../store/store.js";
import { handlerFor } from "../tasks/registry.js";
import type { TaskContext, TaskPaths } from "../tasks/task-handler.js";
import {
  insertJobInstance, insertTaskInstances, interruptJobInstances, interruptTaskInstances, selectCancelRequested,
  selectJobInstance, selectRunningInstances, selectTaskInstances, updateJobInstance, updateTaskInstance,
} from "../store/job-instance-queries.js";
import { jobLeaseName } from "../store/job-lease.js";
import { readJobSnapshot, type JobSnapshot, type StepSnapshot } from "./job-snapshot.js";
import { launchGroups } from "./launch-groups.js";
import {
  abandoned, cancelledBeforeStart, endLogLevel, endState, finalJobState, notImplemented, stopAfterGroup, taskError, tasksToRerun, thrown,
  unmetDependency, type RunStop, type TaskEnd,
} from "./run-rules.js";
import { isWholeJob, selectSteps, type Selection } from "./selection.js";
import { logThreshold, TaskLogWriter } from "./task-log.js";

/** How often a run looks for `idm cancel`'s flag. */
const CANCEL_POLL_MS = 500;
/** How long a cancelled task's handler may take to stop before the run stops waiting for it. */
const CANCEL_GRACE_MS = 3_000;

export interface TaskView {
  id: number;
  identifier: string;
  type: string;
  level: number;
  groupIndex: number;
  state: TaskState;
  attempt: number;
  startedAt: Date | null;
  endedAt: Date | null;
  didWork: boolean;
  counters: Record<string, number>;
  error: string | null;
}

export interface RunSummary {
  job: string;
  instanceId: number;
  state: JobState;
  tasks: TaskView[];
}

export type RunEvent =
  | { kind: "started"; job: string; instanceId: number; tasks: TaskView[] }
  | { kind: "task"; task: TaskView }
  /** A log line of a task (task set) or of the runner itself (its own start and end lines). */
  | { kind: "log"; source: "task" | "runner"; task: string | undefined; level: LogLevel; message: string }
  | { kind: "ended"; summary: RunSummary };

export interface RunOptions {
  store: Store;
  settings: Settings;
  trigger?: Trigger;
  selection?: Selection;
  /** Thresholds forced for every task (`idm run --force`). */
  force?: boolean;
  /** Cancels the run (Ctrl-C, SIGTERM, a stopping scheduler). */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

export class JobNotFoundError extends Error {
  constructor(readonly job: string, readonly closest: string | undefined) {
    super(`no job "${job}" is deployed${closest ? `; did you mean ${closest}?` : ""}`);
    this.name = "JobNotFoundError";
  }
}

export class JobStartDeniedError extends Error {
  constructor(readonly job: string) {
    super(`job ${job} cannot be started by hand (UserStartDenied); the scheduler starts it`);
    this.name = "JobStartDeniedError";
  }
}

export class JobRunningError extends Error {
  constructor(readonly job: string, readonly holder: { instanceId: number | undefined; host: string; pid: number; startedAt: Date }) {
    const instance = holder.instanceId === undefined ? "an instance" : `instance ${holder.instanceId}`;
    super(`job ${job} is already running: ${instance} on ${holder.host} pid ${holder.pid}, started ${holder.startedAt.toISOString()}`);
    this.name = "JobRunningError";
  }
}

/** An instance that does not exist or is not in the state the request needs. */
export class InstanceStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InstanceStateError";
  }
}


export async function runJob(job: string, options: RunOptions): Promise<RunSummary> {
  const { store } = options;
  const snapshot = await readJobSnapshot(store, job);
  if (snapshot === undefined) throw new JobNotFoundError(job, closestName(job, await jobIdentifiers(store)));
  const trigger = options.trigger ?? "cli";
  if (trigger === "cli" && snapshot.attributes.UserStartDenied === true) throw new JobStartDeniedError(job);
  const selection = options.selection ?? {};
  const steps = selectSteps(snapshot.steps, selection);

  const lease = await takeJobLease(store, job, options.settings);
  try {
    const takeover = await interruptDeadInstances(store, job);
    const startedAt = new Date();
    const instance: Omit<JobInstanceRow, "id"> = {
      job, state: "InProgress", trigger, user: currentUser(), host: hostname(), pid: process.pid, startedAt, endedAt: null,
      cancelRequested: false, forced: options.force ?? false, deploymentId: snapshot.deploymentId,
      selection: isWholeJob(selection) ? null : JSON.stringify(selection), snapshot: JSON.stringify(snapshot),
    };
    const manager = store.dataSource.manager;
    const inserted = await insertJobInstance(manager, instance).execute();
    const instanceId = Number(inserted.identifiers[0]!.id);
    const rows = launchGroups(steps, options.settings.jobs.maxTaskBatchSize).flatMap((group, groupIndex) =>
      group.steps.map((step): Omit<TaskInstanceRow, "id" | "processGroup"> => ({
        jobInstanceId: instanceId, task: step.identifier, taskType: step.type, level: group.level, launchOrder: step.launchOrder,
        groupIndex, state: "Pending", startedAt: null, endedAt: null, attempt: 0, didWork: false, counters: null, error: null,
      })));
    const size = insertBatchSize(store.dialect, 14);
    for (let i = 0; i < rows.length; i += size) await run(manager, insertTaskInstances(manager, rows.slice(i, i + size)));
    const taskRows = await selectTaskInstances(manager, instanceId).getMany();
    return await new JobRun(options, snapshot, { ...instance, id: instanceId }, taskRows, lease, new Set(), takeover).execute();
  } finally {
    await lease.release();
  }
}

/** Reruns the blocked tasks of a Blocked instance with thresholds forced, then the tasks that had not run. */
export async function resumeJob(instanceId: number, options: RunOptions): Promise<RunSummary> {
  const { store } = options;
  const manager = store.dataSource.manager;
  const found = await selectJobInstance(manager, instanceId).getOne();
  if (found === null) throw new InstanceStateError(`there is no job instance ${instanceId} (idm instances lists them)`);
  const lease = await takeJobLease(store, found.job, options.settings);
  try {
    const takeover = await interruptDeadInstances(store, found.job);
    const instance = await selectJobInstance(manager, instanceId).getOneOrFail();
    if (instance.state !== "Blocked") throw new InstanceStateError(`job instance ${instanceId} is ${instance.state}; only a Blocked instance can be resumed`);
    const taskRows = await selectTaskInstances(manager, instanceId).getMany();
    const blocked = tasksToRerun(taskRows);
    for (const task of taskRows.filter((t) => blocked.has(t.id))) task.state = "Pending";
    Object.assign(instance, { state: "InProgress", endedAt: null, cancelRequested: false, pid: process.pid, host: hostname() });
    await updateJobInstance(manager, instanceId, { state: "InProgress", endedAt: null, cancelRequested: false, pid: process.pid, host: hostname() }).execute();
    const snapshot = JSON.parse(instance.snapshot) as JobSnapshot;
    return await new JobRun(options, snapshot, instance, taskRows, lease, blocked, takeover).execute();
  } finally {
    await lease.release();
  }
}

async function takeJobLease(store: Store, job: string, settings: Settings): Promise<Lease> {
  try {
    return await acquireLease(store, jobLeaseName(job), { waitMs: 0, ttlMs: settings.jobs.leaseTtlSeconds * 1000 });
  } catch (error) {
    if (!(error instanceof LeaseBusyError)) throw error;
    const running = await selectRunningInstances(store.dataSource.manager, job).getOne();
    throw new JobRunningError(job, running === null
      ? { instanceId: undefined, host: error.holder.host, pid: error.holder.pid, startedAt: error.holder.acquiredAt }
      : { instanceId: running.id, host: running.host, pid: running.pid, startedAt: running.startedAt });
  }
}

type LogLine = [LogLevel, string];

/**
 * With the job's lease in hand, an instance still InProgress belongs to a runner that died: the
 * process groups it left running are ended first, then it is marked Interrupted. Returns the log lines
 * saying so, for the new run's log (which does not exist yet).
 */
async function interruptDeadInstances(store: Store, job: string): Promise<LogLine[]> {
  const manager = store.dataSource.manager;
  const dead = await selectRunningInstances(manager, job).getMany();
  if (dead.length === 0) return [];
  const lines: LogLine[] = [];
  await endGroupsOfDeadRunners(manager, dead, (level, message) => lines.push([level, message]));
  const ids = dead.map((i) => i.id);
  const now = new Date();
  await interruptTaskInstances(manager, ids, now).execute();
  await interruptJobInstances(manager, ids, now).execute();
  lines.push(["Warning", `job instance${ids.length === 1 ? "" : "s"} ${ids.join(", ")}, left InProgress by a runner that died, marked Interrupted`]);
  return lines;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}

function counterText(counters: Record<string, number>): string | null {
  return Object.keys(counters).length === 0 ? null : JSON.stringify(counters);
}

class JobRun {
  readonly #controller = new AbortController();
  readonly #log: TaskLogWriter;
  readonly #steps: Map<number, StepSnapshot>;
  readonly #views: TaskView[];
  readonly #jobThreshold: number;
  readonly #paths: TaskPaths;
  /** Resolves CANCEL_GRACE_MS after the run is cancelled: a handler that ignores its signal is not waited for. */
  readonly #cancelGrace: Promise<undefined>;

  constructor(
    private readonly options: RunOptions,
    private readonly snapshot: JobSnapshot,
    private readonly instance: JobInstanceRow,
    taskRows: TaskInstanceRow[],
    private readonly lease: Lease,
    /** Tasks of a resume that ended Blocked: they run again, with thresholds forced. */
    private readonly forcedTasks: Set<number>,
    /** What taking over from a dead runner did, for this run's log. */
    private readonly takeover: LogLine[] = [],
  ) {
    this.#log = new TaskLogWriter(options.store, instance.id);
    const byOrder = new Map(snapshot.steps.map((s) => [s.launchOrder, s]));
    this.#steps = new Map(taskRows.map((t) => [t.id, byOrder.get(t.launchOrder)!]));
    this.#views = taskRows.map((t) => ({
      id: t.id, identifier: t.task, type: t.taskType, level: t.level, groupIndex: t.groupIndex, state: t.state, attempt: t.attempt,
      startedAt: t.startedAt, endedAt: t.endedAt, didWork: t.didWork, counters: t.counters ? (JSON.parse(t.counters) as Record<string, number>) : {},
      error: t.error,
    }));
    this.#jobThreshold = logThreshold(snapshot.attributes.LogLevel);
    const paths = options.settings.paths;
    this.#paths = {
      configuration: snapshot.configurationFolder,
      work: resolve(paths.work),
      temp: resolve(paths.temp),
      export: resolve(paths.export),
    };
    const signal = this.#controller.signal;
    this.#cancelGrace = new Promise((done) => {
      signal.addEventListener("abort", () => void sleep(CANCEL_GRACE_MS, undefined, { ref: false }).then(() => done(undefined)), { once: true });
    });
  }

  get #summary(): RunSummary {
    return { job: this.snapshot.job, instanceId: this.instance.id, state: this.instance.state, tasks: this.#views };
  }

  #emit(event: RunEvent): void {
    this.options.onEvent?.(event);
  }

  #runnerLog(level: LogLevel, message: string): void {
    this.#log.add(null, level, message, this.#jobThreshold);
    this.#emit({ kind: "log", source: "runner", task: undefined, level, message });
  }

  async execute(): Promise<RunSummary> {
    const stopWatching = this.#watchForCancel();
    this.#emit({ kind: "started", job: this.snapshot.job, instanceId: this.instance.id, tasks: this.#views });
    this.#runnerLog("Information", `job ${this.snapshot.job} instance ${this.instance.id} started (${this.instance.trigger}, ${this.instance.user}@${this.instance.host} pid ${this.instance.pid})`);
    for (const [level, message] of this.takeover) this.#runnerLog(level, message);
    sweepStaleTemporaries([this.#paths.work, this.#paths.temp, this.#paths.export], (level, message) => this.#runnerLog(level, message));
    let stop: RunStop | undefined;
    try {
      const groups = [...new Set(this.#views.map((v) => v.groupIndex))].sort((a, b) => a - b);
      for (const group of groups) {
        if (stop !== undefined || this.#controller.signal.aborted) break;
        const tasks = this.#views.filter((v) => v.groupIndex === group && v.state === "Pending");
        await Promise.all(tasks.map((task) => this.#runTask(task)));
        stop = stopAfterGroup(tasks.map((t) => t.state));
      }
    } finally {
      stopWatching();
    }
    this.instance.state = finalJobState(this.#views.map((v) => v.state), this.#controller.signal.aborted);
    this.instance.endedAt = new Date();
    this.#runnerLog(this.instance.state === "Succeeded" ? "Information" : "Warning", `job ${this.snapshot.job} instance ${this.instance.id} ended ${this.instance.state}`);
    try {
      await this.#log.flush();
    } catch (error) {
      // The instance must still end (and its lease be released by the caller): a run is not lost for its log.
      this.instance.state = "Error";
      const message = `job ${this.snapshot.job} instance ${this.instance.id} ended Error: the job's log could not be written (${errorMessage(error)}); lines not yet written are lost`;
      this.#emit({ kind: "log", source: "runner", task: undefined, level: "Error", message });
    }
    await updateJobInstance(this.options.store.dataSource.manager, this.instance.id, { state: this.instance.state, endedAt: this.instance.endedAt }).execute();
    this.#emit({ kind: "ended", summary: this.#summary });
    return this.#summary;
  }

  /** Aborts the run on the caller's signal, on `idm cancel`, and when the lease is lost. */
  #watchForCancel(): () => void {
    const abort = (reason: unknown) => {
      if (!this.#controller.signal.aborted) this.#controller.abort(reason);
    };
    const external = this.options.signal;
    const onExternal = () => abort(external?.reason instanceof Error ? external.reason : new Error("cancelled by the caller"));
    external?.addEventListener("abort", onExternal);
    if (external?.aborted) onExternal();
    const onLeaseLost = () => abort(this.lease.signal.reason);
    this.lease.signal.addEventListener("abort", onLeaseLost);
    const manager = this.options.store.dataSource.manager;
    let polling = false;
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      selectCancelRequested(manager, this.instance.id).getOne()
        .then((row) => row?.cancelRequested && abort(new Error("cancel requested (idm cancel)")))
        .catch(() => undefined)
        .finally(() => (polling = false));
    }, CANCEL_POLL_MS);
    return () => {
      clearInterval(timer);
      external?.removeEventListener("abort", onExternal);
      this.lease.signal.removeEventListener("abort", onLeaseLost);
    };
  }

  async #update(view: TaskView, set: Partial<Omit<TaskInstanceRow, "id">>): Promise<void> {
    const manager = this.options.store.dataSource.manager;
    await run(manager, updateTaskInstance(manager, view.id, set));
    this.#emit({ kind: "task", task: view });
  }

  async #runTask(view: TaskView): Promise<void> {
    const step = this.#steps.get(view.id)!;
    const threshold = logThreshold(step.attributes.LogLevel, this.snapshot.attributes.LogLevel);
    const log = (level: LogLevel, message: string, source: "task" | "runner" = "task") => {
      this.#log.add(view.id, level, message, threshold);
      this.#emit({ kind: "log", source, task: view.identifier, level, message });
    };
    const skip = unmetDependency(step.dependsOn, this.#views);
    if (skip !== undefined) {
      Object.assign(view, { state: "Skipped", startedAt: new Date(), endedAt: new Date(), error: skip });
      log("Information", skip, "runner");
      await this.#update(view, { state: "Skipped", startedAt: view.startedAt, endedAt: view.endedAt, error: skip });
      return;
    }

    Object.assign(view, { state: "InProgress", attempt: view.attempt + 1, startedAt: new Date(), endedAt: null, error: null });
    await this.#update(view, { state: "InProgress", attempt: view.attempt, startedAt: view.startedAt, endedAt: null, error: null });
    // The effective level, as the product's job log shows it: the launch group, from 0.
    log("Information", `task ${view.identifier} (${view.type}) started at level ${view.groupIndex}, attempt ${view.attempt}`, "runner");

    const result = await this.#handle(step, view, (level, message) => log(level, message));
    const state = endState(result.state, step.attributes.ContinueOnError === true);
    Object.assign(view, {
      state, endedAt: new Date(), didWork: result.didWork, counters: result.counters ?? view.counters,
      error: taskError(result.message, step.source),
    });
    log(endLogLevel(state), `task ${view.identifier} ended ${state}${view.error ? `: ${view.error}` : ""}`, "runner");
    // processGroup too: a handler abandoned after a cancel never clears its own.
    await this.#update(view, { state, endedAt: view.endedAt, didWork: view.didWork, counters: counterText(view.counters), error: view.error, processGroup: null });
  }

  async #handle(step: StepSnapshot, view: TaskView, log: TaskContext["log"]): Promise<TaskEnd> {
    const handler = handlerFor(step.type);
    if (handler === undefined) return notImplemented(step.type);
    const signal = this.#controller.signal;
    if (signal.aborted) return cancelledBeforeStart();
    const context: TaskContext = {
      store: this.options.store,
      taskInstanceId: view.id,
      settings: this.options.settings,
      job: { identifier: this.snapshot.job, instanceId: this.instance.id },
      paths: this.#paths,
      force: this.instance.forced || this.forcedTasks.has(view.id),
      signal,
      log,
      progress: (counters) => {
        view.counters = { ...counters };
        this.#emit({ kind: "task", task: view });
      },
      recordProcessGroup: async (group) => {
        const manager = this.options.store.dataSource.manager;
        try {
          await run(manager, updateTaskInstance(manager, view.id, { processGroup: formatRecordedGroup(group) }));
        } catch (error) {
          log("Warning", `the process group of the task's child could not be recorded (${errorMessage(error)}): if this runner dies, the next run of the job cannot end it`);
        }
      },
    };
    const running = handler.run(context, step);
    try {
      const result = await Promise.race([running, this.#cancelGrace]);
      return result ?? abandoned(CANCEL_GRACE_MS);
    } catch (error) {
      return thrown(error, signal.aborted);
    }
  }

}

/** Asks the runner of an instance to cancel it (it looks every half second); the instance as it stands. */
export async function requestCancel(store: Store, instanceId: number): Promise<JobInstanceRow> {
  const manager = store.dataSource.manager;
  const instance = await selectJobInstance(manager, instanceId).getOne();
  if (instance === null) throw new InstanceStateError(`there is no job instance ${instanceId} (idm instances lists them)`);
  if (instance.state !== "InProgress") return instance;
  await updateJobInstance(manager, instanceId, { cancelRequested: true }).execute();
  return { ...instance, cancelRequested: true };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The rules of a job run (README, Running jobs), as functions of states: which tasks a group runs,
 * whether a task's parents let it run, what state a task ends in, when the run stops starting tasks
 * and what state the job ends in. No database, no clock, no I/O: runner.ts applies them and records
 * what they decide.
 */
import type { JobState, LogLevel, TaskState } from "../domain/vocabulary.js";

/** What a rule needs to know of a task of the run. */
export interface TaskStanding {
  identifier: string;
  state: TaskState;
  didWork: boolean;
}

/** How a task ended, before the runner records it: a handler's result, or what the runner decided instead. */
export interface TaskEnd {
  state: TaskState;
  didWork: boolean;
  counters?: Record<string, number>;
  message?: string;
}

/** Why a run stops starting tasks after a group. */
export type RunStop = "error" | "blocked";

/**
 * Why the task must not run (it ends Skipped with this reason), or undefined when it may: a task
 * with parents in this run runs only if one of them ended Succeeded having done work. Parents left
 * out of the run (a selection) do not count: selecting a task runs it.
 */
export function unmetDependency(dependsOn: readonly string[], run: readonly TaskStanding[]): string | undefined {
  const parents = run.filter((t) => dependsOn.includes(t.identifier));
  if (parents.length === 0 || parents.some((p) => p.state === "Succeeded" && p.didWork)) return undefined;
  const states = parents.map((p) => `${p.identifier} ${p.state}${p.state === "Succeeded" ? " without work" : ""}`);
  return `skipped: no parent task ended Succeeded having done work (${states.join(", ")})`;
}

/** The state a task ends in: under ContinueOnError an Error is a Warning, and the job goes on. */
export function endState(state: TaskState, continueOnError: boolean): TaskState {
  return state === "Error" && continueOnError ? "Warning" : state;
}

/** The level of the runner's line that says how a task ended. */
export function endLogLevel(state: TaskState): LogLevel {
  if (state === "Succeeded" || state === "Skipped") return "Information";
  return state === "Warning" ? "Warning" : "Error";
}

/** A task's error as recorded: its message, after where the task is written in the configuration. */
export function taskError(message: string | undefined, source: { file: string; line: number } | undefined): string | null {
  if (message === undefined) return null;
  return `${source ? `${source.file}:${source.line}: ` : ""}${message}`;
}

/**
 * Whether the run starts nothing after this group: a Blocked task stops it (to be resumed), an Error
 * too; the other tasks of the group have finished meanwhile and the tasks not started stay Pending.
 */
export function stopAfterGroup(group: readonly TaskState[]): RunStop | undefined {
  if (group.includes("Blocked")) return "blocked";
  if (group.includes("Error")) return "error";
  return undefined;
}

/** The job's state once its run has stopped: Cancelled when it was cancelled, else the worst of its tasks' states. */
export function finalJobState(tasks: readonly TaskState[], cancelled: boolean): JobState {
  if (cancelled) return "Cancelled";
  for (const state of ["Blocked", "Error", "Warning"] as const) if (tasks.includes(state)) return state;
  return "Succeeded";
}

/**
 * What a resume reruns: the Blocked tasks of a Blocked instance, with thresholds forced (the tasks that
 * had not run are still Pending and run after them, unforced).
 */
export function tasksToRerun<T extends { id: number; state: TaskState }>(tasks: readonly T[]): Set<number> {
  return new Set(tasks.filter((t) => t.state === "Blocked").map((t) => t.id));
}

export function notImplemented(type: string): TaskEnd {
  return { state: "Error", didWork: false, message: `task-not-implemented: ${type} has no handler in this version of idm-toolkit` };
}

/** A task whose turn came after the run was cancelled. */
export function cancelledBeforeStart(): TaskEnd {
  return { state: "Cancelled", didWork: false, message: "cancelled before it started" };
}

/** A handler that kept running this long after the cancel: the run stops waiting for it. */
export function abandoned(graceMs: number): TaskEnd {
  return { state: "Cancelled", didWork: false, message: `cancelled; the handler did not stop within ${graceMs} ms` };
}

/** A handler that threw: Cancelled when the run was cancelled meanwhile (the error is how it stopped), else Error. */
export function thrown(error: unknown, cancelled: boolean): TaskEnd {
  const message = error instanceof Error ? error.message : String(error);
  return cancelled ? { state: "Cancelled", didWork: false, message: `cancelled: ${message}` } : { state: "Error", didWork: false, message };
}

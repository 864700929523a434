/**
 * The domain's words, in one place: the states of jobs, tasks and changes, the synchronization
 * modes and the log levels. Every layer may import this file (it imports nothing), the store's row
 * types included.
 */

/** The levels of a log line, in order; a Job's or task's LogLevel keeps its own level and those above. */
export const LOG_LEVELS = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const JOB_STATES = ["InProgress", "Succeeded", "Warning", "Error", "Blocked", "Cancelled", "Interrupted"] as const;
export type JobState = (typeof JOB_STATES)[number];
export type TaskState = JobState | "Pending" | "Skipped";
/** How a task's own work ended; the runner turns it into a TaskState (ContinueOnError, skips, cancel). */
export type TaskOutcome = "Succeeded" | "Warning" | "Error" | "Blocked";
export type Trigger = "cli" | "scheduler" | "api";

/** pending: computed, not applied; blocked: a threshold stopped the work (kept for review and resume); discarded: a later run superseded it. */
export type ChangeState = "pending" | "blocked" | "applied" | "discarded";

export const SYNC_MODES = ["Initial", "Complete", "Incremental"] as const;
export type SynchronizationMode = (typeof SYNC_MODES)[number];

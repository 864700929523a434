/**
 * The contract between the job runner and the handler of one task type (DESIGN.md). A handler does
 * the task's work and says what came of it; the runner owns states, logs, ContinueOnError and order.
 */
import type { Settings } from "../config/settings.js";
import type { AttributeValue } from "../config/coerce-attribute.js";
import type { TaskType } from "../config/generated/schema-types.js";
import type { Store } from "../store/store.js";
import type { LogLevel, TaskOutcome } from "../domain/vocabulary.js";


/** A task as the job instance froze it at start: the stored task with the step's override applied. */
export interface TaskSnapshot {
  identifier: string;
  type: string;
  attributes: Record<string, AttributeValue>;
  /** Parent tasks (TaskDependsOnTask). */
  dependsOn: string[];
  entityTypes: string[];
  resourceTypes: string[];
  /** Where the task is written in the configuration, for error messages. */
  source: { file: string; line: number } | undefined;
}

export interface TaskPaths {
  /** The folder the running configuration was deployed from (relative paths in tasks resolve here). */
  configuration: string | undefined;
  work: string;
  temp: string;
  export: string;
}

export interface TaskContext {
  store: Store;
  settings: Settings;
  job: { identifier: string; instanceId: number };
  paths: TaskPaths;
  /** Thresholds are forced (`idm run --force`, or the resume of a blocked task). */
  force: boolean;
  /** Aborted on cancel, Ctrl-C or loss of the job's lease: stop the query or process, then return or throw. */
  signal: AbortSignal;
  log(level: LogLevel, message: string): void;
  /** Replaces the task's counters, shown live and kept with the task instance. */
  progress(counters: Record<string, number>): void;
}


export interface TaskResult {
  state: TaskOutcome;
  /** Whether the task changed or produced something: a child task (TaskDependsOnTask) runs only if a parent did. */
  didWork: boolean;
  counters?: Record<string, number>;
  /** Why the task ended Error, Warning or Blocked. */
  message?: string;
}

export interface TaskHandler {
  type: TaskType;
  /** Where the reference product runs the task; informative until agents are separate processes. */
  side: "agent" | "server" | "both";
  run(context: TaskContext, task: TaskSnapshot): Promise<TaskResult>;
}

export function defineTask(handler: TaskHandler): TaskHandler {
  return handler;
}

/**
 * The contract between the job runner and the handler of one task type (DESIGN.md). A handler does
 * the task's work and says what came of it; the runner owns states, logs, ContinueOnError and order.
 * `defineTask` binds a handler to its type's generated attribute interface, so that a handler reads
 * `task.attributes.IgnoreCookieFile` as a boolean and a misspelt attribute does not compile.
 */
import type { Settings } from "../config/settings.js";
import type { AttributeValue } from "../config/coerce-attribute.js";
import type { TaskSide } from "../config/schema/catalog.js";
import type { TaskAttributesByType, TaskType } from "../config/generated/schema-types.js";
import type { TaskOutcome } from "../domain/vocabulary.js";
import type { WorkContext } from "../domain/work-context.js";
import type { RecordedGroup } from "../domain/processes/recorded-group.js";

export type { TaskSide };

/**
 * A task as the job instance froze it at start: the stored task with the step's override applied.
 * The runner holds it read back from JSON, so its attributes are untyped here; TaskOf gives a
 * handler the same snapshot typed by its task type.
 */
export interface TaskSnapshot<Attributes extends object = Record<string, AttributeValue>> {
  identifier: string;
  type: string;
  attributes: Attributes;
  /** Parent tasks (TaskDependsOnTask). */
  dependsOn: string[];
  entityTypes: string[];
  resourceTypes: string[];
  /** Where the task is written in the configuration, for error messages. */
  source: { file: string; line: number } | undefined;
}

/**
 * The snapshot of a task of type T as its handler gets it. Deploy stores a task's attributes coerced
 * (booleans, numbers, enum names) with the defaults applied, and refuses a configuration with a
 * missing required attribute or a value of the wrong type; an override only replaces values with
 * values of the same attribute and type (it names no new ones). So the stored attributes are the
 * generated interface exactly: a defaulted attribute is present, an optional one may be absent.
 */
export type TaskOf<T extends TaskType> = TaskSnapshot<TaskAttributesByType[T]> & { type: T };

export interface TaskPaths {
  /** The folder the running configuration was deployed from (relative paths in tasks resolve here). */
  configuration: string | undefined;
  work: string;
  temp: string;
  export: string;
}

/** What a running task gets: the domain's work context, plus what only a task of a job has. */
export interface TaskContext extends WorkContext {
  /** The task instance (idm_task_instances.id) this run of the task is. */
  taskInstanceId: number;
  settings: Settings;
  paths: TaskPaths;
  /** Thresholds are forced (`idm run --force`, or the resume of a blocked task). */
  force: boolean;
  /**
   * Records the process group of a child the task started (null once it has ended) on the task
   * instance, so that if this runner dies the next run of the job ends the group before it starts.
   * Never rejects: a record that cannot be written is a warning in the task's log.
   */
  recordProcessGroup(group: RecordedGroup | null): Promise<void>;
}

export interface TaskResult {
  state: TaskOutcome;
  /** Whether the task changed or produced something: a child task (TaskDependsOnTask) runs only if a parent did. */
  didWork: boolean;
  counters?: Record<string, number>;
  /** Why the task ended Error, Warning or Blocked. */
  message?: string;
}

/**
 * A handler as the runner (and a test) calls it: with the snapshot of a task of its type, whose
 * attributes only the handler knows the type of (a typed TaskOf or the runner's untyped snapshot).
 */
export interface TaskHandler<T extends TaskType = TaskType> {
  type: T;
  /** Where the reference product runs the task (the schema's x-side); informative until agents are separate processes. */
  side: TaskSide;
  run(context: TaskContext, task: TaskSnapshot<object>): Promise<TaskResult>;
}

/** A handler as it is written: its run reads the attributes of its own task type. */
export interface TaskDefinition<T extends TaskType> {
  type: T;
  side: TaskSide;
  run(context: TaskContext, task: TaskOf<T>): Promise<TaskResult>;
}

export function defineTask<T extends TaskType>(definition: TaskDefinition<T>): TaskHandler<T> {
  // The one place the snapshot's attributes become typed: the runner hands a handler only tasks of
  // its type, whose attributes deploy checked against that type's schema (see TaskOf).
  return definition as unknown as TaskHandler<T>;
}

/** A string attribute that is absent or empty is no value: XML writes `Attr=""` for "not set". */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Like nonEmpty, and white space alone is no value either. */
export function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

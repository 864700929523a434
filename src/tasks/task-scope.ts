/** What several task handlers read the same way: the work context, a batch size, and the entity types a task covers. */
import type { EntityTypeRun, WorkContext } from "../domain/work-context.js";
import type { TaskContext, TaskOf } from "./task-handler.js";

/** The store, cancel signal, log and progress a domain function takes from the task's context. */
export function workOf<Counters extends object>(context: TaskContext): Pick<WorkContext<Counters>, "store" | "signal" | "log" | "progress"> {
  return {
    store: context.store,
    signal: context.signal,
    log: (level, message) => context.log(level, message),
    progress: (counters) => context.progress({ ...(counters as Record<string, number>) }),
  };
}

/** A batch size as the domain takes it: 0 (the engine's default) for an absent, zero or negative value. */
export function batchCount(value: number | undefined): number {
  return value !== undefined && value > 0 ? Math.floor(value) : 0;
}

/**
 * The entity types of a task with AllEntityType: undefined for all of them, else its TaskEntityType
 * children; an error message when it names none (the task would do nothing, silently).
 */
export function entityTypeScope(task: TaskOf<"UpdateEntityPropertyExpressionsTask" | "ComputeCorrelationKeysTask">): { entityTypes: string[] | undefined } | { error: string } {
  if (task.attributes.AllEntityType === true) return { entityTypes: undefined };
  if (task.entityTypes.length > 0) return { entityTypes: task.entityTypes };
  return { error: `${task.type} ${task.identifier} names no entity type: set AllEntityType="true" or add TaskEntityType children` };
}

/**
 * A run over the resources of the task's TaskEntityType children (none: every entity type its rules
 * read), Dirty or not, with `batchSize` the task's batch attribute.
 */
export function entityTypeRunOf<Counters extends object>(
  context: TaskContext, task: { entityTypes: string[]; attributes: { Dirty?: boolean } }, batchSize: number | undefined,
): EntityTypeRun<Counters> {
  return {
    ...workOf<Counters>(context),
    entityTypes: task.entityTypes.length === 0 ? undefined : task.entityTypes,
    dirty: task.attributes.Dirty === true,
    batchSize: batchCount(batchSize),
  };
}

/**
 * What a job scaffolding generates, before it becomes configuration elements: a job as a list of
 * launch groups (group i runs at Level i), each holding generated tasks or steps that reuse a task
 * declared elsewhere (AddTask). Arguments edit this shape; expand.ts turns it into elements.
 */
import type { AttributeValue } from "../coerce-attribute.js";
import type { TaskType } from "../generated/schema-types.js";

export type Attributes = Record<string, AttributeValue>;

export interface PlannedTask {
  type: TaskType;
  identifier: string;
  attributes: Attributes;
  dependsOn: string[];
  entityTypes: string[];
  resourceTypes: string[];
}

/** A generated task, or a Step naming a task declared elsewhere. */
export type PlannedEntry = { task: PlannedTask } | { step: string };

export interface PlannedJob {
  identifier: string;
  attributes: Attributes;
  groups: PlannedEntry[][];
  /** False for the connector-page jobs, whose steps carry no Level (the reference's output). */
  levels: boolean;
  /** DoNotCreateJob: the tasks are generated at the top level, without the job. */
  withoutJob?: boolean;
}

export function plannedTask(type: TaskType, identifier: string, attributes: Attributes, lists: Partial<Pick<PlannedTask, "dependsOn" | "entityTypes" | "resourceTypes">> = {}): PlannedTask {
  return { type, identifier, attributes, dependsOn: lists.dependsOn ?? [], entityTypes: lists.entityTypes ?? [], resourceTypes: lists.resourceTypes ?? [] };
}

export function entryIdentifier(entry: PlannedEntry): string {
  return "task" in entry ? entry.task.identifier : entry.step;
}

/**
 * The job a run executes, read from the stored items (never from XML) and frozen into the job
 * instance at start: a deploy during the run changes nothing for it, and resume reruns the same job.
 */
import type { AttributeValue } from "../config/coerce-attribute.js";
import { TASK_TYPES } from "../config/generated/schema-types.js";
import { isJobChildren, isTaskChildren } from "../config/items.js";
import { readStoredItem, readStoredItemsByIdentifier } from "../domain/stored-items.js";
import { ENTITY, type DeploymentRow } from "../store/entities.js";
import type { Store } from "../store/store.js";
import type { TaskSnapshot } from "../tasks/task-handler.js";

export interface StepSnapshot extends TaskSnapshot {
  level: number;
  /** 1-based document order inside the job. */
  launchOrder: number;
}

export interface JobSnapshot {
  job: string;
  attributes: Record<string, AttributeValue>;
  /** The last applied deployment: the configuration this run executes. */
  deploymentId: number | null;
  /** The folder that deployment came from; relative paths in tasks resolve against it. */
  configurationFolder: string | undefined;
  steps: StepSnapshot[];
}

/** undefined when no job of that identifier is deployed. */
export async function readJobSnapshot(store: Store, job: string): Promise<JobSnapshot | undefined> {
  const manager = store.dataSource.manager;
  const jobItem = await readStoredItem(manager, "Job", job);
  if (jobItem === undefined) return undefined;
  if (!isJobChildren(jobItem.children)) throw new Error(`stored Job ${job} has no steps`);
  const steps = jobItem.children.steps;

  const identifiers = [...new Set(steps.map((s) => s.task))];
  const tasks = new Map((await readStoredItemsByIdentifier(manager, TASK_TYPES, identifiers)).map((item) => [item.identifier, item]));

  const deployment = await manager.getRepository<DeploymentRow>(ENTITY.deployment).findOne({
    select: { id: true, sourceFolder: true },
    where: { status: "applied", kind: "deploy" },
    order: { id: "DESC" },
  });

  return {
    job,
    attributes: jobItem.attributes,
    deploymentId: deployment?.id ?? null,
    configurationFolder: deployment?.sourceFolder,
    steps: [...steps].sort((a, b) => a.launchOrder - b.launchOrder).map((step) => {
      const task = tasks.get(step.task);
      if (task === undefined) throw new Error(`stored Job ${job} names task ${step.task}, which is not stored`);
      const children = isTaskChildren(task.children) ? task.children : { dependsOn: [], entityTypes: [], resourceTypes: [] };
      return {
        identifier: task.identifier,
        type: task.kind,
        attributes: { ...task.attributes, ...(step.override ?? {}) },
        dependsOn: children.dependsOn,
        entityTypes: children.entityTypes,
        resourceTypes: children.resourceTypes,
        source: task.source === null ? undefined : { file: task.source.file, line: task.source.line },
        level: step.level,
        launchOrder: step.launchOrder,
      };
    }),
  };
}

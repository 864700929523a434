/**
 * The job a run executes, read from the stored items (never from XML) and frozen into the job
 * instance at start: a deploy during the run changes nothing for it, and resume reruns the same job.
 */
import { In } from "typeorm";
import type { AttributeValue } from "../config/coerce-attribute.js";
import { TASK_TYPES } from "../config/generated/schema-types.js";
import { isJobChildren, isTaskChildren } from "../deploy/items.js";
import { LazyStoredItem } from "../deploy/stored-items.js";
import { ENTITY, type DeploymentRow, type ItemRow } from "../store/entities.js";
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

/** SQL Server takes at most 2,100 parameters per statement. */
const IN_LIST_SIZE = 1000;

/** undefined when no job of that identifier is deployed. */
export async function readJobSnapshot(store: Store, job: string): Promise<JobSnapshot | undefined> {
  const manager = store.dataSource.manager;
  const jobRow = await manager.getRepository<ItemRow>(ENTITY.item).findOneBy({ kind: "Job", identifier: job });
  if (jobRow === null) return undefined;
  const jobItem = new LazyStoredItem(jobRow);
  if (!isJobChildren(jobItem.children)) throw new Error(`stored Job ${job} has no steps`);
  const steps = jobItem.children.steps;

  const identifiers = [...new Set(steps.map((s) => s.task))];
  const tasks = new Map<string, LazyStoredItem>();
  for (let i = 0; i < identifiers.length; i += IN_LIST_SIZE) {
    const rows = await manager.getRepository<ItemRow>(ENTITY.item).findBy({
      kind: In([...TASK_TYPES]),
      identifier: In(identifiers.slice(i, i + IN_LIST_SIZE)),
    });
    for (const row of rows) tasks.set(row.identifier, new LazyStoredItem(row));
  }

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

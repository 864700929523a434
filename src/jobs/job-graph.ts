/**
 * What `idm steps` prints and pictures draw: a job's launch groups (launchGroups, as a run places
 * them) with the effective levels and launch order the product's Get-JobSteps shows (launchSequence),
 * and the TaskDependsOnTask edges between its steps, from the snapshot a run would take
 * (readJobSnapshot). Steps are named by launch order, not by task identifier: a job may list one task twice.
 */
import type { StepSnapshot } from "./job-snapshot.js";
import { launchGroups, launchSequence } from "./launch-groups.js";

export interface DependencyEdge {
  /** order of the parent step. */
  parent: number;
  /** order of the step that depends on it. */
  child: number;
}

export interface GraphStep extends StepSnapshot {
  /** Position in the launch sequence, from 0 (Get-JobSteps' Order). */
  order: number;
}

export interface GraphGroup {
  /** The effective level: the group's index, from 0. */
  level: number;
  /** The Level its steps declare, -1 for a step without one. */
  declaredLevel: number;
  steps: GraphStep[];
}

export interface JobGraph {
  job: string;
  groups: GraphGroup[];
  edges: DependencyEdge[];
}

/**
 * A parent that is not a step of the job draws no edge: the run rules ignore parents outside the
 * run (unmetDependency), so such a dependency never decides anything in this job.
 */
export function jobGraph(job: string, steps: StepSnapshot[], maxTaskBatchSize: number): JobGraph {
  const groups = launchGroups(steps, maxTaskBatchSize);
  const graphGroups: GraphGroup[] = groups.map((g, level) => ({ level, declaredLevel: g.level, steps: [] }));
  for (const launched of launchSequence(groups)) graphGroups[launched.level]!.steps.push({ ...launched.step, order: launched.order });
  const ordered = graphGroups.flatMap((g) => g.steps);
  const edges: DependencyEdge[] = [];
  for (const child of ordered) {
    const parents = new Set(child.dependsOn);
    for (const parent of ordered) {
      if (parents.has(parent.identifier)) edges.push({ parent: parent.order, child: child.order });
    }
  }
  return { job, groups: graphGroups, edges };
}

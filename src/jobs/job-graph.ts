/**
 * What a picture of a job shows: its launch groups (launchGroups, as a run places them) and the
 * TaskDependsOnTask edges between its steps, from the snapshot a run would take (readJobSnapshot).
 * Steps are named by launch order, not by task identifier: a job may list one task twice.
 */
import type { StepSnapshot } from "./job-snapshot.js";
import { launchGroups, type LaunchGroup } from "./launch-groups.js";

export interface DependencyEdge {
  /** launchOrder of the parent step. */
  parent: number;
  /** launchOrder of the step that depends on it. */
  child: number;
}

export interface JobGraph {
  job: string;
  groups: LaunchGroup<StepSnapshot>[];
  edges: DependencyEdge[];
}

/**
 * A parent that is not a step of the job draws no edge: the run rules ignore parents outside the
 * run (unmetDependency), so such a dependency never decides anything in this job.
 */
export function jobGraph(job: string, steps: StepSnapshot[], maxTaskBatchSize: number): JobGraph {
  const groups = launchGroups(steps, maxTaskBatchSize);
  const ordered = groups.flatMap((g) => g.steps);
  const edges: DependencyEdge[] = [];
  for (const child of ordered) {
    const parents = new Set(child.dependsOn);
    for (const parent of ordered) {
      if (parents.has(parent.identifier)) edges.push({ parent: parent.launchOrder, child: child.launchOrder });
    }
  }
  return { job, groups, edges };
}

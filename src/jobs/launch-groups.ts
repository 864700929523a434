/**
 * Launch groups: the order in which a job's steps start (the reference's Get-JobSteps). Steps with
 * the same Level start together, and level N+1 starts when every level-N task has ended; a step
 * without a level (-1) is a group of its own; no group holds more than MaxTaskBatchSize tasks.
 */
/** What placing a step needs: a stored JobStepItem and a run's StepSnapshot both have it. */
export interface PlacedStep {
  level: number;
  launchOrder: number;
}

export interface LaunchGroup<S extends PlacedStep = PlacedStep> {
  /** The steps' Level, or -1 for a step without one. */
  level: number;
  steps: S[];
}

export const DEFAULT_MAX_TASK_BATCH_SIZE = 5;

/**
 * Leveled groups run in ascending level. A step without a level keeps its place in document order:
 * it runs right after the group of the last leveled step written before it (first, if none is).
 */
export function launchGroups<S extends PlacedStep>(steps: S[], maxTaskBatchSize = DEFAULT_MAX_TASK_BATCH_SIZE): LaunchGroup<S>[] {
  if (!Number.isInteger(maxTaskBatchSize) || maxTaskBatchSize < 1) throw new Error(`MaxTaskBatchSize must be a positive integer, not ${maxTaskBatchSize}`);
  const ordered = [...steps].sort((a, b) => a.launchOrder - b.launchOrder);
  const byLevel = new Map<number, S[]>();
  /** Unleveled steps, keyed by the level of the last leveled step before them (undefined: none). */
  const unleveledAfter = new Map<number | undefined, S[]>();
  let lastLevel: number | undefined;
  for (const step of ordered) {
    if (step.level === -1) {
      const list = unleveledAfter.get(lastLevel) ?? [];
      unleveledAfter.set(lastLevel, [...list, step]);
    } else {
      byLevel.set(step.level, [...(byLevel.get(step.level) ?? []), step]);
      lastLevel = step.level;
    }
  }
  const single = (step: S): LaunchGroup<S> => ({ level: -1, steps: [step] });
  const groups: LaunchGroup<S>[] = (unleveledAfter.get(undefined) ?? []).map(single);
  for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
    const levelSteps = byLevel.get(level)!;
    for (let i = 0; i < levelSteps.length; i += maxTaskBatchSize) groups.push({ level, steps: levelSteps.slice(i, i + maxTaskBatchSize) });
    groups.push(...(unleveledAfter.get(level) ?? []).map(single));
  }
  return groups;
}

/** A step as the product's Get-JobSteps and job log show it. */
export interface LaunchedStep<S extends PlacedStep = PlacedStep> {
  step: S;
  /** Position in the launch sequence, from 0. */
  order: number;
  /** The effective level: the index of its launch group, from 0. */
  level: number;
}

/**
 * The product renumbers levels as it runs them: each launch group is one effective level, counted
 * from 0, so that a level MaxTaskBatchSize splits becomes several levels and a step without a level
 * gets one of its own. The declared Level stays on the step.
 */
export function launchSequence<S extends PlacedStep>(groups: LaunchGroup<S>[]): LaunchedStep<S>[] {
  let order = 0;
  return groups.flatMap((group, level) => group.steps.map((step) => ({ step, order: order++, level })));
}

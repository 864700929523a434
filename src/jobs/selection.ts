/**
 * The part of a job a run executes: the reference Invoke-Job options -t, -b, -e, -s and -c.
 * -b and -e bound a range of steps (number or task identifier, both included); -t, -s and -c then
 * keep one task, the tasks whose identifier contains a text, or the first task of a type.
 */
import { closestName } from "../config/did-you-mean.js";
import type { StepSnapshot } from "./job-snapshot.js";

export interface Selection {
  task?: string;
  begin?: string;
  end?: string;
  contains?: string;
  type?: string;
}

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SelectionError";
  }
}

export function isWholeJob(selection: Selection): boolean {
  return Object.values(selection).every((v) => v === undefined);
}

export function selectSteps(steps: StepSnapshot[], selection: Selection): StepSnapshot[] {
  const first = selection.begin === undefined ? 0 : stepIndex(steps, selection.begin, "-b");
  const last = selection.end === undefined ? steps.length - 1 : stepIndex(steps, selection.end, "-e");
  if (first > last) throw new SelectionError(`step ${selection.begin} comes after step ${selection.end}`);
  let selected = steps.slice(first, last + 1);
  if (selection.task !== undefined) {
    const task = selection.task;
    selected = selected.filter((s) => s.identifier === task);
    if (selected.length === 0) throw unknownTask(steps, task);
  }
  if (selection.contains !== undefined) {
    const text = selection.contains;
    selected = selected.filter((s) => s.identifier.includes(text));
    if (selected.length === 0) throw new SelectionError(`no task of the selection has an identifier containing "${text}"`);
  }
  if (selection.type !== undefined) {
    const type = selection.type;
    const firstOfType = selected.find((s) => s.type === type);
    if (firstOfType === undefined) {
      const closest = closestName(type, new Set(steps.map((s) => s.type)));
      throw new SelectionError(`no task of type ${type} in the selection${closest ? `; did you mean ${closest}?` : ""}`);
    }
    selected = [firstOfType];
  }
  return selected;
}

/** A 1-based step number, or a task identifier. */
function stepIndex(steps: StepSnapshot[], step: string, option: string): number {
  if (/^\d+$/.test(step)) {
    const index = Number(step) - 1;
    if (index < 0 || index >= steps.length) throw new SelectionError(`${option} ${step}: the job has steps 1 to ${steps.length}`);
    return index;
  }
  const index = steps.findIndex((s) => s.identifier === step);
  if (index === -1) throw unknownTask(steps, step);
  return index;
}

function unknownTask(steps: StepSnapshot[], task: string): SelectionError {
  const closest = closestName(task, steps.map((s) => s.identifier));
  return new SelectionError(`the job has no task ${task}${closest ? `; did you mean ${closest}?` : ""}`);
}

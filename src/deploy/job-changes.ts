/**
 * The job-level summary of a plan, in words: per job, what its run will do differently (tasks
 * added or removed, levels, order, dependencies, schedule, overrides, task settings).
 */
import { isJobChildren, isTaskChildren, type Item, type JobStepItem } from "../config/items.js";
import type { FieldChange, ItemDelete, ItemUpdate, JobChanges } from "./plan.js";
import type { StoredItem } from "../domain/stored-items.js";

interface Changes {
  inserts: Item[];
  updates: ItemUpdate[];
  deletes: ItemDelete[];
}

export function describeJobChanges(desired: Item[], stored: StoredItem[], { inserts, updates, deletes }: Changes): JobChanges[] {
  const result = new Map<string, string[]>();
  const say = (job: string, change: string): void => {
    let list = result.get(job);
    if (!list) result.set(job, (list = []));
    list.push(change);
  };
  const storedJobs = new Map(stored.filter((s) => s.kind === "Job").map((s) => [s.identifier, s]));
  for (const job of inserts.filter((i) => i.kind === "Job")) {
    const steps = isJobChildren(job.children) ? job.children.steps : [];
    say(job.identifier, `job added with ${steps.length} task${steps.length === 1 ? "" : "s"}${steps.length ? `: ${steps.map((s) => s.task).join(", ")}` : ""}`);
  }
  for (const job of deletes.filter((d) => d.kind === "Job")) say(job.identifier, "job removed");
  for (const update of updates.filter((u) => u.kind === "Job")) {
    const before = storedJobs.get(update.identifier)!;
    describeJob(update, isJobChildren(before.children) ? before.children.steps : [], (c) => say(update.identifier, c));
  }
  // A task's own changes show in every job that runs it.
  const jobsOfTask = new Map<string, string[]>();
  for (const job of desired.filter((d) => d.kind === "Job" && isJobChildren(d.children))) {
    for (const step of (job.children as { steps: JobStepItem[] }).steps) {
      jobsOfTask.set(step.task, [...(jobsOfTask.get(step.task) ?? []), job.identifier]);
    }
  }
  for (const update of updates.filter((u) => isTaskChildren(u.item.children))) {
    for (const job of new Set(jobsOfTask.get(update.identifier) ?? [])) {
      for (const change of describeTaskChanges(update.identifier, update.changes)) say(job, change);
    }
  }
  return [...result].sort(([a], [b]) => (a < b ? -1 : 1)).map(([job, changes]) => ({ job, changes }));
}

function describeJob(update: ItemUpdate, before: JobStepItem[], say: (change: string) => void): void {
  for (const change of update.changes.filter((c) => c.path.startsWith("attributes."))) {
    const name = change.path.slice("attributes.".length);
    const label = name === "CronTabExpression" || name === "CronTimeZone" ? `cron ${name}` : name;
    say(`${label}: ${show(change.before)} → ${show(change.after)}`);
  }
  const after = isJobChildren(update.item.children) ? update.item.children.steps : [];
  const beforeByKey = byOccurrence(before);
  const afterByKey = byOccurrence(after);
  for (const [k, step] of afterByKey) if (!beforeByKey.has(k)) say(`task ${step.task} added (level ${step.level}, order ${step.launchOrder})`);
  for (const [k, step] of beforeByKey) if (!afterByKey.has(k)) say(`task ${step.task} removed`);
  const common = [...afterByKey.keys()].filter((k) => beforeByKey.has(k));
  const commonBefore = [...beforeByKey.keys()].filter((k) => afterByKey.has(k));
  for (const [index, k] of common.entries()) {
    const was = beforeByKey.get(k)!;
    const now = afterByKey.get(k)!;
    if (commonBefore[index] !== k) say(`task ${now.task} order ${was.launchOrder} → ${now.launchOrder}`);
    if (was.level !== now.level) say(`task ${now.task} level ${was.level} → ${now.level}`);
    if (JSON.stringify(was.override ?? null) !== JSON.stringify(now.override ?? null)) {
      say(`override of task ${now.task}: ${show(was.override ?? null)} → ${show(now.override ?? null)}`);
    }
  }
}

/** Steps keyed by task and occurrence: a job may run one task twice (a Step and an override). */
function byOccurrence(steps: JobStepItem[]): Map<string, JobStepItem> {
  const seen = new Map<string, number>();
  return new Map(steps.map((step) => {
    const n = (seen.get(step.task) ?? 0) + 1;
    seen.set(step.task, n);
    return [`${step.task}#${n}`, step];
  }));
}

function describeTaskChanges(task: string, changes: FieldChange[]): string[] {
  return changes.flatMap((change) => {
    if (change.path === "children.dependsOn") {
      const before = new Set(change.before as string[]);
      const after = new Set(change.after as string[]);
      return [
        ...[...after].filter((p) => !before.has(p)).map((p) => `task ${task}: dependency on ${p} added`),
        ...[...before].filter((p) => !after.has(p)).map((p) => `task ${task}: dependency on ${p} removed`),
      ];
    }
    const name = change.path.replace(/^(attributes|children)\./, "");
    // A level shows as the job step's level already.
    if (name === "Level") return [];
    return [`task ${task}: ${name} ${show(change.before)} → ${show(change.after)}`];
  });
}

function show(value: unknown): string {
  return value === null || value === undefined ? "(none)" : typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

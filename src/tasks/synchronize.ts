/**
 * SynchronizeTask: applies the oldest queued batch of its connector to the resource store
 * (src/sync/synchronize.ts; README, SynchronizeTask). Thresholds end the task Blocked with the
 * changes kept; the resume (context.force), `idm run --force` and ForceSynchronization apply them.
 */
import { resolve } from "node:path";
import type { AttributeValue } from "../config/coerce-attribute.js";
import { synchronize } from "../sync/synchronize.js";
import { defineTask, type TaskContext, type TaskResult, type TaskSnapshot } from "./task-handler.js";

const text = (value: AttributeValue | undefined): string | undefined =>
  value === undefined || value === "" ? undefined : String(value);

const isTrue = (value: AttributeValue | undefined): boolean => value === true || value === 1 || (typeof value === "string" && ["true", "1"].includes(value.toLowerCase()));

export async function runSynchronize(context: TaskContext, task: TaskSnapshot): Promise<TaskResult> {
  const connector = text(task.attributes.Connector);
  if (connector === undefined) throw new Error(`SynchronizeTask ${task.identifier} has no Connector`);
  const outcome = await synchronize({
    store: context.store,
    connector,
    workFolder: resolve(context.paths.work),
    job: context.job,
    task: task.identifier,
    force: context.force || isTrue(task.attributes.ForceSynchronization),
    doNotDeleteChanges: isTrue(task.attributes.DoNotDeleteChanges),
    orphansFile: isTrue(task.attributes.Orphans),
    signal: context.signal,
    log: (level, message) => context.log(level, message),
    progress: (counters) => context.progress({ ...counters }),
  });
  return {
    state: outcome.state,
    didWork: outcome.didWork,
    counters: { ...outcome.counters },
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
  };
}

export default defineTask({
  type: "SynchronizeTask",
  side: "server",
  run: (context, task) => runSynchronize(context, task),
});

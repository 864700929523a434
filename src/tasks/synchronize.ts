/**
 * SynchronizeTask: applies the oldest queued batch of its connector to the resource store
 * (src/domain/sync/synchronize.ts; README, SynchronizeTask). Thresholds end the task Blocked with the
 * changes kept; the resume (context.force), `idm run --force` and ForceSynchronization apply them.
 */
import { resolve } from "node:path";
import { attributeText, isTrueAttribute } from "../config/coerce-attribute.js";
import { synchronize } from "../domain/sync/synchronize.js";
import { defineTask, type TaskContext, type TaskResult, type TaskSnapshot } from "./task-handler.js";



export async function runSynchronize(context: TaskContext, task: TaskSnapshot): Promise<TaskResult> {
  const connector = attributeText(task.attributes.Connector);
  if (connector === undefined) throw new Error(`SynchronizeTask ${task.identifier} has no Connector`);
  const outcome = await synchronize({
    store: context.store,
    connector,
    workFolder: resolve(context.paths.work),
    job: context.job,
    task: task.identifier,
    force: context.force || isTrueAttribute(task.attributes.ForceSynchronization),
    doNotDeleteChanges: isTrueAttribute(task.attributes.DoNotDeleteChanges),
    orphansFile: isTrueAttribute(task.attributes.Orphans),
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

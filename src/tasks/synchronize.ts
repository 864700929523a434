/**
 * SynchronizeTask: applies the oldest queued batch of its connector to the resource store
 * (src/domain/sync/synchronize.ts; README, SynchronizeTask). Thresholds end the task Blocked with the
 * changes kept; the resume (context.force), `idm run --force` and ForceSynchronization apply them.
 */
import { resolve } from "node:path";
import { synchronize } from "../domain/sync/synchronize.js";
import { defineTask, nonEmpty, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runSynchronize(context: TaskContext, task: TaskOf<"SynchronizeTask">): Promise<TaskResult> {
  const a = task.attributes;
  const connector = nonEmpty(a.Connector);
  if (connector === undefined) throw new Error(`SynchronizeTask ${task.identifier} has no Connector`);
  const outcome = await synchronize({
    store: context.store,
    connector,
    workFolder: resolve(context.paths.work),
    job: context.job,
    task: task.identifier,
    force: context.force || a.ForceSynchronization === true,
    doNotDeleteChanges: a.DoNotDeleteChanges === true,
    orphansFile: a.Orphans === true,
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

export default defineTask<"SynchronizeTask">({
  type: "SynchronizeTask",
  side: "server",
  run: (context, task) => runSynchronize(context, task),
});

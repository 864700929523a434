/**
 * PrepareSynchronizationTask: cleanses and sorts the export files of a connector's mappings and
 * queues them as one batch for SynchronizeTask (src/domain/sync/prepare.ts; README, PrepareSynchronizationTask).
 */
import { resolve } from "node:path";
import { databaseQueue } from "../domain/sync/batch-queue.js";
import { readConnectorMappings } from "../domain/sync/mappings.js";
import { DEFAULT_MEMORY_BUDGET, prepareSynchronization } from "../domain/sync/prepare.js";
import type { SynchronizationMode } from "../domain/vocabulary.js";
import { defineTask, nonEmpty, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";


/** The handler's work, with the sort's memory budget as a parameter (tests force the external sort). */
export async function runPrepareSynchronization(
  context: TaskContext,
  task: TaskOf<"PrepareSynchronizationTask">,
  memoryBudgetBytes = DEFAULT_MEMORY_BUDGET,
): Promise<TaskResult> {
  const a = task.attributes;
  const connector = nonEmpty(a.Connector);
  if (connector === undefined) throw new Error(`PrepareSynchronizationTask ${task.identifier} has no Connector`);
  const mode: SynchronizationMode = a.SynchronizationMode ?? "Complete";
  if (nonEmpty(a.WorkingDirectory) !== undefined) {
    throw new Error(`PrepareSynchronizationTask ${task.identifier}: WorkingDirectory is not supported yet (the batch goes to Paths.Work/Collect)`);
  }
  const type = a.Type ?? "None";
  const commandColumn = nonEmpty(a.ColumnName) ?? (type === "None" ? undefined : "command");

  const files = await readConnectorMappings(context.store, connector);
  if (files.length === 0) {
    context.log("Warning", `connector ${connector} has no EntityTypeMapping or EntityAssociationMapping: nothing to prepare`);
    return { state: "Succeeded", didWork: false, counters: {} };
  }
  const outcome = await prepareSynchronization({
    connector,
    mode,
    files,
    exportFolder: resolve(context.paths.export),
    workFolder: resolve(context.paths.work),
    database: databaseQueue(context.store),
    commandColumn,
    memoryBudgetBytes,
    job: context.job,
    task: task.identifier,
    signal: context.signal,
    log: (level, message) => context.log(level, message),
    progress: (counters) => context.progress({ ...counters }),
  });
  const { sortRuns: _runs, ...counters } = outcome.counters;
  context.log("Information", `queued batch ${outcome.batch} of ${connector} (${mode}, ${outcome.manifest.entries.length} files)`);
  return { state: "Succeeded", didWork: true, counters: { ...counters } };
}

export default defineTask<"PrepareSynchronizationTask">({
  type: "PrepareSynchronizationTask",
  side: "agent",
  run: (context, task) => runPrepareSynchronization(context, task),
});

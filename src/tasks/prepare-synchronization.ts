/**
 * PrepareSynchronizationTask: cleanses and sorts the export files of a connector's mappings and
 * queues them as one batch for SynchronizeTask (src/domain/sync/prepare.ts; README, PrepareSynchronizationTask).
 */
import { resolve } from "node:path";
import { attributeText } from "../config/coerce-attribute.js";
import { readConnectorMappings } from "../domain/sync/mappings.js";
import { DEFAULT_MEMORY_BUDGET, prepareSynchronization } from "../domain/sync/prepare.js";
import { SYNC_MODES, type SynchronizationMode } from "../domain/vocabulary.js";
import { defineTask, type TaskContext, type TaskResult, type TaskSnapshot } from "./task-handler.js";


/** The handler's work, with the sort's memory budget as a parameter (tests force the external sort). */
export async function runPrepareSynchronization(
  context: TaskContext,
  task: TaskSnapshot,
  memoryBudgetBytes = DEFAULT_MEMORY_BUDGET,
): Promise<TaskResult> {
  const connector = attributeText(task.attributes.Connector);
  if (connector === undefined) throw new Error(`PrepareSynchronizationTask ${task.identifier} has no Connector`);
  const modeText = attributeText(task.attributes.SynchronizationMode) ?? "Complete";
  const mode = SYNC_MODES.find((m) => m.toLowerCase() === modeText.toLowerCase()) as SynchronizationMode | undefined;
  if (mode === undefined) throw new Error(`PrepareSynchronizationTask ${task.identifier}: unknown SynchronizationMode ${modeText}`);
  if (attributeText(task.attributes.WorkingDirectory) !== undefined) {
    throw new Error(`PrepareSynchronizationTask ${task.identifier}: WorkingDirectory is not supported yet (the batch goes to Paths.Work/Collect)`);
  }
  const type = attributeText(task.attributes.Type) ?? "None";
  const commandColumn = attributeText(task.attributes.ColumnName) ?? (type === "None" ? undefined : "command");

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

export default defineTask({
  type: "PrepareSynchronizationTask",
  side: "agent",
  run: (context, task) => runPrepareSynchronization(context, task),
});

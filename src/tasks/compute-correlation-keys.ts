/**
 * ComputeCorrelationKeysTask: the keys of the ResourceCorrelationRules for the resources of every
 * entity type a rule reads (AllEntityType) or of the TaskEntityType children, all of them or only the
 * Dirty ones and their dependants (src/domain/rolemodel/correlation-keys.ts; README).
 */
import { computeCorrelationKeys } from "../domain/rolemodel/correlation-keys.js";
import { batchCount, entityTypeScope, workOf } from "./task-scope.js";
import { defineTask, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runComputeCorrelationKeys(context: TaskContext, task: TaskOf<"ComputeCorrelationKeysTask">): Promise<TaskResult> {
  const a = task.attributes;
  const scope = entityTypeScope(task);
  if ("error" in scope) return { state: "Error", didWork: false, message: scope.error };
  const counters = await computeCorrelationKeys({
    ...workOf(context),
    entityTypes: scope.entityTypes,
    dirty: a.Dirty === true,
    batchSize: batchCount(a.BatchSize),
  });
  const result: TaskResult = { state: "Succeeded", didWork: counters.changed > 0 || counters.retired > 0, counters: { ...counters } };
  if (counters.errors === 0) return result;
  return { ...result, state: "Warning", message: `${counters.errors} correlation keys could not be computed (see the warnings): those resources have no key for that rule` };
}

export default defineTask<"ComputeCorrelationKeysTask">({
  type: "ComputeCorrelationKeysTask",
  side: "server",
  run: (context, task) => runComputeCorrelationKeys(context, task),
});

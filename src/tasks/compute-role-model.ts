/**
 * ComputeRoleModelTask: Evaluate Policy for the owners of the TaskEntityType children (without any,
 * of every SourceEntityType of the ContextRules and ResourceTypes), all of them or only the Dirty
 * ones, in batches of BatchSelectSize (src/domain/rolemodel/compute-role-model.ts; README).
 */
import { computeRoleModel } from "../domain/rolemodel/compute-role-model.js";
import { entityTypeRunOf } from "./task-scope.js";
import { defineTask, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runComputeRoleModel(context: TaskContext, task: TaskOf<"ComputeRoleModelTask">): Promise<TaskResult> {
  const a = task.attributes;
  const counters = await computeRoleModel({
    ...entityTypeRunOf(context, task, a.BatchSelectSize),
    jobInstanceId: context.job.instanceId,
    blockProvisioning: a.BlockProvisioning === true,
    blockAllResourceTypeProvisioning: a.BlockAllResourceTypeProvisioning === true,
    ignoreHistorization: a.IgnoreHistorization === true,
  });
  const didWork = counters.inserted + counters.updated + counters.ended + counters.deleted > 0;
  const result: TaskResult = { state: "Succeeded", didWork, counters: { ...counters } };
  if (counters.errors === 0) return result;
  return { ...result, state: "Warning", message: `${counters.errors} role model warnings (see the log): the rules concerned gave no value for those owners` };
}

export default defineTask<"ComputeRoleModelTask">({
  type: "ComputeRoleModelTask",
  side: "server",
  run: (context, task) => runComputeRoleModel(context, task),
});

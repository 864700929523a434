/**
 * UpdateEntityPropertyExpressionsTask: recomputes the computed properties (EntityPropertyExpression)
 * of every entity type (AllEntityType) or of the TaskEntityType children, all resources or only the
 * Dirty ones and their dependants (src/domain/expressions/update-expressions.ts; README).
 */
import { updateExpressions } from "../domain/expressions/update-expressions.js";
import { batchCount, entityTypeScope, workOf } from "./task-scope.js";
import { defineTask, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runUpdateEntityPropertyExpressions(context: TaskContext, task: TaskOf<"UpdateEntityPropertyExpressionsTask">): Promise<TaskResult> {
  const a = task.attributes;
  const scope = entityTypeScope(task);
  if ("error" in scope) return { state: "Error", didWork: false, message: scope.error };
  const counters = await updateExpressions({
    ...workOf(context),
    entityTypes: scope.entityTypes,
    dirty: a.Dirty === true,
    batchSelectSize: batchCount(a.BatchSelectSize),
    batchUpdateSize: batchCount(a.BatchUpdateSize),
    jobInstanceId: context.job.instanceId,
  });
  const result: TaskResult = { state: "Succeeded", didWork: counters.changed > 0, counters: { ...counters } };
  if (counters.errors === 0) return result;
  return { ...result, state: "Warning", message: `${counters.errors} evaluations failed (see the warnings): those properties kept their stored values` };
}

export default defineTask<"UpdateEntityPropertyExpressionsTask">({
  type: "UpdateEntityPropertyExpressionsTask",
  side: "server",
  run: (context, task) => runUpdateEntityPropertyExpressions(context, task),
});

/**
 * UpdateEntityPropertyExpressionsTask: recomputes the computed properties (EntityPropertyExpression)
 * of every entity type (AllEntityType) or of the TaskEntityType children, all resources or only the
 * Dirty ones and their dependants (src/domain/expressions/update-expressions.ts; README).
 */
import { isTrueAttribute, type AttributeValue } from "../config/coerce-attribute.js";
import { updateExpressions } from "../domain/expressions/update-expressions.js";
import { defineTask, type TaskContext, type TaskResult, type TaskSnapshot } from "./task-handler.js";

const count = (value: AttributeValue | undefined): number => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
};

export async function runUpdateEntityPropertyExpressions(context: TaskContext, task: TaskSnapshot): Promise<TaskResult> {
  const all = isTrueAttribute(task.attributes.AllEntityType);
  if (!all && task.entityTypes.length === 0) {
    return { state: "Error", didWork: false, message: `UpdateEntityPropertyExpressionsTask ${task.identifier} names no entity type: set AllEntityType="true" or add TaskEntityType children` };
  }
  const counters = await updateExpressions({
    store: context.store,
    entityTypes: all ? undefined : task.entityTypes,
    dirty: isTrueAttribute(task.attributes.Dirty),
    batchSelectSize: count(task.attributes.BatchSelectSize),
    batchUpdateSize: count(task.attributes.BatchUpdateSize),
    jobInstanceId: context.job.instanceId,
    signal: context.signal,
    log: (level, message) => context.log(level, message),
    progress: (c) => context.progress({ ...c }),
  });
  const result: TaskResult = { state: "Succeeded", didWork: counters.changed > 0, counters: { ...counters } };
  if (counters.errors === 0) return result;
  return { ...result, state: "Warning", message: `${counters.errors} evaluations failed (see the warnings): those properties kept their stored values` };
}

export default defineTask({
  type: "UpdateEntityPropertyExpressionsTask",
  side: "server",
  run: (context, task) => runUpdateEntityPropertyExpressions(context, task),
});

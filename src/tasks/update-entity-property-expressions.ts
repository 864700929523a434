/**
 * UpdateEntityPropertyExpressionsTask: recomputes the computed properties (EntityPropertyExpression)
 * of every entity type (AllEntityType) or of the TaskEntityType children, all resources or only the
 * Dirty ones and their dependants (src/domain/expressions/update-expressions.ts; README).
 */
import { updateExpressions } from "../domain/expressions/update-expressions.js";
import { defineTask, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

/** A batch size as updateExpressions takes it: 0 (the engine default) for 0 or a negative one. */
const count = (value: number | undefined): number => (value !== undefined && value > 0 ? Math.floor(value) : 0);

export async function runUpdateEntityPropertyExpressions(context: TaskContext, task: TaskOf<"UpdateEntityPropertyExpressionsTask">): Promise<TaskResult> {
  const a = task.attributes;
  const all = a.AllEntityType === true;
  if (!all && task.entityTypes.length === 0) {
    return { state: "Error", didWork: false, message: `UpdateEntityPropertyExpressionsTask ${task.identifier} names no entity type: set AllEntityType="true" or add TaskEntityType children` };
  }
  const counters = await updateExpressions({
    store: context.store,
    entityTypes: all ? undefined : task.entityTypes,
    dirty: a.Dirty === true,
    batchSelectSize: count(a.BatchSelectSize),
    batchUpdateSize: count(a.BatchUpdateSize),
    jobInstanceId: context.job.instanceId,
    signal: context.signal,
    log: (level, message) => context.log(level, message),
    progress: (c) => context.progress({ ...c }),
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

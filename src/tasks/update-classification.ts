/**
 * UpdateClassificationTask: the ResourceClassificationRules give the owner-less resources of the
 * TaskEntityType children (without any, of every entity type a rule classifies) their resource type
 * as found assignments, all of them or only the Dirty ones (src/domain/rolemodel/classification.ts; README).
 */
import { updateClassification } from "../domain/rolemodel/classification.js";
import { entityTypeRunOf } from "./task-scope.js";
import { defineTask, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runUpdateClassification(context: TaskContext, task: TaskOf<"UpdateClassificationTask">): Promise<TaskResult> {
  const a = task.attributes;
  const counters = await updateClassification({
    ...entityTypeRunOf(context, task, a.BatchSize),
    jobInstanceId: context.job.instanceId,
  });
  const didWork = counters.classified + counters.reclassified + counters.unclassified > 0;
  const result: TaskResult = { state: "Succeeded", didWork, counters: { ...counters } };
  if (counters.errors === 0) return result;
  return { ...result, state: "Warning", message: `${counters.errors} classifications failed (see the warnings): those resources kept their found assignments as they were` };
}

export default defineTask<"UpdateClassificationTask">({
  type: "UpdateClassificationTask",
  side: "server",
  run: (context, task) => runUpdateClassification(context, task),
});

/**
 * SavePreExistingAccessRightsTask: requalifies the access rights a first installation found as
 * pre-existing, selected by default or by the task's three SQL attributes
 * (src/domain/rolemodel/pre-existing.ts; README "SavePreExistingAccessRightsTask").
 */
import { PRE_EXISTING_SELECTIONS, PreExistingSelectionError, savePreExistingAccessRights, type PreExistingAttribute } from "../domain/rolemodel/pre-existing.js";
import { workOf } from "./task-scope.js";
import { defineTask, nonBlank, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runSavePreExistingAccessRights(context: TaskContext, task: TaskOf<"SavePreExistingAccessRightsTask">): Promise<TaskResult> {
  const sql: Partial<Record<PreExistingAttribute, string>> = {};
  for (const attribute of Object.keys(PRE_EXISTING_SELECTIONS) as PreExistingAttribute[]) {
    const text = nonBlank(task.attributes[attribute]);
    if (text !== undefined) sql[attribute] = text;
  }
  try {
    const counters = await savePreExistingAccessRights({
      ...workOf(context),
      sql,
      jobInstanceId: context.job.instanceId,
    });
    return { state: "Succeeded", didWork: counters.resourceTypes + counters.scalars + counters.navigations > 0, counters: { ...counters } };
  } catch (error) {
    if (error instanceof PreExistingSelectionError) return { state: "Error", didWork: false, message: `${error.message} (nothing was requalified)` };
    throw error;
  }
}

export default defineTask<"SavePreExistingAccessRightsTask">({
  type: "SavePreExistingAccessRightsTask",
  side: "server",
  run: (context, task) => runSavePreExistingAccessRights(context, task),
});

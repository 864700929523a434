/**
 * BuildRoleModelTask: the RoleMappings of the task's Connector (or all) generate their single roles
 * and navigation rules, kept apart from the deployed items (src/domain/rolemodel/build-role-model.ts; README).
 */
import { buildRoleModel } from "../domain/rolemodel/build-role-model.js";
import { workOf } from "./task-scope.js";
import { defineTask, nonEmpty, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runBuildRoleModel(context: TaskContext, task: TaskOf<"BuildRoleModelTask">): Promise<TaskResult> {
  const { counters, didWork } = await buildRoleModel({
    ...workOf(context),
    connector: nonEmpty(task.attributes.Connector),
    jobInstanceId: context.job.instanceId,
  });
  const result: TaskResult = { state: "Succeeded", didWork, counters: { ...counters } };
  if (counters.errors === 0) return result;
  return { ...result, state: "Warning", message: `${counters.errors} role mapping warnings (see the log): a mapping that cannot run, a failed expression, a colliding role identifier` };
}

export default defineTask<"BuildRoleModelTask">({
  type: "BuildRoleModelTask",
  side: "server",
  run: (context, task) => runBuildRoleModel(context, task),
});

/**
 * GenerateProvisioningOrdersTask: the Pending assignments of the TaskResourceType children (or of the
 * resource types the Connector provisions, or all) become order files under Paths.Work and move to
 * Transmitted (src/domain/rolemodel/orders.ts; README). A provisioning threshold ends the task Blocked
 * with the orders kept; the resume (context.force), `idm run --force` and ForceProvisioning send them.
 */
import { resolve } from "node:path";
import { generateProvisioningOrders } from "../domain/rolemodel/orders.js";
import { workOf } from "./task-scope.js";
import { defineTask, nonEmpty, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runGenerateProvisioningOrders(context: TaskContext, task: TaskOf<"GenerateProvisioningOrdersTask">): Promise<TaskResult> {
  const a = task.attributes;
  const connector = nonEmpty(a.Connector);
  if (task.resourceTypes.length === 0 && connector === undefined) {
    context.log("Information", `GenerateProvisioningOrdersTask ${task.identifier} names no TaskResourceType and no Connector: the orders of every resource type`);
  }
  const outcome = await generateProvisioningOrders({
    ...workOf(context),
    job: context.job,
    workFolder: resolve(context.paths.work),
    resourceTypes: task.resourceTypes.length === 0 ? undefined : task.resourceTypes,
    connector,
    batchInsertSize: a.BatchInsertSize > 0 ? a.BatchInsertSize : 0,
    batchSelectSize: a.BatchSelectSize > 0 ? a.BatchSelectSize : 0,
    force: context.force || a.ForceProvisioning === true,
  });
  return {
    state: outcome.state,
    didWork: outcome.counters.orders > 0,
    counters: { ...outcome.counters },
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
  };
}

export default defineTask<"GenerateProvisioningOrdersTask">({
  type: "GenerateProvisioningOrdersTask",
  side: "server",
  run: (context, task) => runGenerateProvisioningOrders(context, task),
});

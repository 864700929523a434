/**
 * FulfillTask: applies the orders of the order files of its resource types (TaskResourceType, else
 * those routed to its Connector's connections; Connection narrows them) through their connections'
 * fulfilment packages, BatchSize orders per package call (src/domain/provisioning/fulfil.ts; README
 * "Provisioning (FulfillTask)"). Errored orders end the task Error (a Warning under ContinueOnError,
 * which also lets the task try every order).
 */
import { resolve } from "node:path";
import { settingsOrigin } from "../config/settings.js";
import { scriptRoots } from "./allowed-path.js";
import { fulfilOrders } from "../domain/provisioning/fulfil.js";
import { defineTask, nonBlank, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";
import { batchCount, workOf } from "./task-scope.js";

export async function runFulfill(context: TaskContext, task: TaskOf<"FulfillTask">): Promise<TaskResult> {
  const a = task.attributes;
  let outcome;
  try {
    outcome = await fulfilOrders({
      ...workOf(context),
      job: context.job,
      workFolder: resolve(context.paths.work),
      scriptRoots: scriptRoots(context),
      resourceTypes: task.resourceTypes.length === 0 ? undefined : task.resourceTypes,
      connector: nonBlank(a.Connector),
      connection: nonBlank(a.Connection),
      batchSize: batchCount(a.BatchSize),
      continueOnError: a.ContinueOnError === true,
      dirty: a.Dirty === true,
      ignoreHistorization: a.IgnoreHistorization === true,
      connections: context.settings.connections,
    });
  } catch (error) {
    if (context.signal.aborted || !(error instanceof Error) || !error.message.startsWith("settings ")) throw error;
    throw new Error(`${error.message}; ${settingsOrigin(context.settings)}`, { cause: error });
  }
  return {
    state: outcome.state,
    didWork: outcome.counters.orders > 0,
    counters: { ...outcome.counters },
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
  };
}

export default defineTask<"FulfillTask">({
  type: "FulfillTask",
  side: "both",
  run: (context, task) => runFulfill(context, task),
});

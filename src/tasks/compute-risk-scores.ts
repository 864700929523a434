/**
 * ComputeRiskScoresTask: each owner's risk score from its identified risks, as its ContextRule's
 * RiskFactorType says, for the owners of the TaskEntityType children (without any, of every
 * ContextRule's SourceEntityType), all of them or only the Dirty ones
 * (src/domain/rolemodel/risk-scores.ts; README "Risk scores").
 */
import { computeRiskScores } from "../domain/rolemodel/risk-scores.js";
import { entityTypeRunOf } from "./task-scope.js";
import { defineTask, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";

export async function runComputeRiskScores(context: TaskContext, task: TaskOf<"ComputeRiskScoresTask">): Promise<TaskResult> {
  const a = task.attributes;
  const counters = await computeRiskScores({
    ...entityTypeRunOf(context, task, a.BatchSize),
    jobInstanceId: context.job.instanceId,
  });
  const didWork = counters.scored + counters.rescored + counters.unscored > 0;
  if (counters.undeployed > 0) {
    context.log("Warning", `${counters.undeployed} identified risks name a Risk that is not deployed: they count in no score until ComputeRoleModelTask runs again`);
  }
  return { state: "Succeeded", didWork, counters: { ...counters } };
}

export default defineTask<"ComputeRiskScoresTask">({
  type: "ComputeRiskScoresTask",
  side: "server",
  run: (context, task) => runComputeRiskScores(context, task),
});

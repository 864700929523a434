/**
 * A top-level task that no job runs (no Step, no override, no AddTask of a scaffolding) is deployed
 * and never run: most often an AddTask or a Step that was forgotten, so it is said.
 */
import { position } from "./check-attributes.js";
import type { Configuration } from "./configuration.js";
import type { Problem } from "./problems.js";

export function checkOrphanTasks(configuration: Configuration, problems: Problem[]): void {
  const inJobs = new Set<string>();
  for (const job of configuration.jobs) for (const step of job.steps) inJobs.add(step.task);
  for (const task of configuration.tasks) {
    // Generated tasks without a job are what DoNotCreateJob and CreateConnectorsJobs ask for.
    if (inJobs.has(task.identifier) || task.element.generatedBy !== undefined) continue;
    problems.push({
      code: "orphan-task", severity: "warning", ...position(task.element.xml),
      message: `${task.type} "${task.identifier}" is in no job: deployed, it never runs`,
      hint: `add <Step Identifier="${task.identifier}"/> to a Job, or an <AddTask Task="${task.identifier}" .../> to a job scaffolding`,
    });
  }
}

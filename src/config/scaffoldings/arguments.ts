/**
 * The argument children of a job scaffolding applied to the job it plans: AddTask places a task
 * declared elsewhere before or after one of the job's tasks (in a launch group of its own, so the
 * groups after it move one level down, as the reference's output shows), LinkDependTask adds a
 * dependency, CronTabExpression schedules the job. Arguments the product has and idm-toolkit does
 * not apply are accepted with a warning.
 */
import { position } from "../check-attributes.js";
import type { ConfigElement } from "../configuration.js";
import { closestName } from "../did-you-mean.js";
import type { Problem } from "../problems.js";
import { findAttribute } from "../xml-tree.js";
import { entryIdentifier, type PlannedJob } from "./planned-job.js";

/** Arguments read by the pipelines themselves (options), not applied here. */
const PIPELINE_OPTIONS = new Set(["OpenIdIdentifier", "DoNotCreateJob", "NoProvisioning", "NoSynchronization", "NotUsed",
  "NoConnectorSynchronization", "NoConnectorProvisioning", "Configuration"]);

export function applyArguments(scaffolding: ConfigElement, job: PlannedJob, problems: Problem[]): void {
  for (const argument of scaffolding.children) {
    const a = argument.attributes;
    switch (argument.spec.name) {
      case "AddTask":
        addTask(scaffolding, argument, job, problems);
        break;
      case "LinkDependTask":
        linkDependTask(scaffolding, argument, job, problems);
        break;
      case "CronTabExpression":
        job.attributes.CronTabExpression = String(a.CronTab);
        job.attributes.CronTimeZone = String(a.CronTimeZone ?? "UTC");
        break;
      default:
        if (!PIPELINE_OPTIONS.has(argument.spec.name)) notApplied(argument, `${argument.spec.name} is accepted but not applied by idm-toolkit`, problems);
    }
  }
}

function addTask(scaffolding: ConfigElement, argument: ConfigElement, job: PlannedJob, problems: Problem[]): void {
  const { Task: task, TaskToCompareWith: anchor, Before: before, After: after, Occurence: occurrence, CopyOccurence: copy } = argument.attributes;
  if (typeof task !== "string" || typeof anchor !== "string") return;
  if (before === true && after === true) {
    problems.push({ code: "invalid-value", severity: "error", ...position(findAttribute(argument.xml, "After") ?? argument.xml),
      message: `AddTask Task="${task}": Before and After are both true; a task goes either before or after ${anchor}`, hint: "keep one of them" });
    return;
  }
  if (typeof copy === "number" && copy !== 0) notApplied(argument, `AddTask CopyOccurence="${copy}" is not applied by idm-toolkit: the task is added once`, problems);
  const wanted = typeof occurrence === "number" ? occurrence : 0;
  let seen = 0;
  const index = job.groups.findIndex((g) => g.some((e) => entryIdentifier(e) === anchor && seen++ === wanted));
  if (index === -1) {
    const inJob = job.groups.flat().map(entryIdentifier);
    const closest = closestName(anchor, inJob);
    problems.push({
      code: "unresolved-reference", severity: "error", ...position(findAttribute(argument.xml, "TaskToCompareWith") ?? argument.xml),
      message: `AddTask TaskToCompareWith="${anchor}": the job ${job.identifier} that ${scaffolding.spec.name} generates has no such task` +
        (wanted > 0 ? ` (occurrence ${wanted})` : ""),
      hint: closest ? `did you mean ${closest}?` : `its tasks: ${inJob.slice(0, 5).join(", ")}${inJob.length > 5 ? ", …" : ""}`,
    });
    return;
  }
  job.groups.splice(before === true ? index : index + 1, 0, [{ step: task }]);
}

function linkDependTask(scaffolding: ConfigElement, argument: ConfigElement, job: PlannedJob, problems: Problem[]): void {
  const { Task: child, DependOn: parent, ChildOccurence: childOccurrence, ParentOccurence: parentOccurrence } = argument.attributes;
  if (typeof child !== "string" || typeof parent !== "string") return;
  if ((typeof childOccurrence === "number" && childOccurrence !== 0) || (typeof parentOccurrence === "number" && parentOccurrence !== 0)) {
    notApplied(argument, "LinkDependTask ChildOccurence and ParentOccurence are not applied by idm-toolkit: the task itself is linked", problems);
  }
  const generated = job.groups.flat().find((e) => "task" in e && e.task.identifier === child);
  if (generated === undefined || !("task" in generated)) {
    // A hand-written task keeps its own dependencies: adding one here would change that item too.
    problems.push({
      code: "unsupported-argument", severity: "warning", ...position(findAttribute(argument.xml, "Task") ?? argument.xml),
      message: `LinkDependTask Task="${child}" is not a task ${scaffolding.spec.name} generates for ${job.identifier}: idm-toolkit links only generated tasks; ` +
        `declare <TaskDependsOnTask ParentTask="${parent}"/> in the task itself`,
    });
    return;
  }
  if (!generated.task.dependsOn.includes(parent)) generated.task.dependsOn.push(parent);
}

function notApplied(argument: ConfigElement, message: string, problems: Problem[]): void {
  problems.push({ code: "unsupported-argument", severity: "warning", message, ...position(argument.xml) });
}

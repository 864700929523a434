import { Option, type Command } from "commander";
import { INSTANCES_FORMATS, type InstancesFlags } from "../actions/instances-formats.js";

export function registerHistory(program: Command): void {
  const actions = () => import("../actions/history.js");
  program
    .command("jobs")
    .description("list the deployed jobs: cron, next due time, last instance")
    .option("--json", "print as JSON")
    .addHelpText("after", `
Examples:
  $ idm jobs
  $ idm jobs --json`)
    .action(async (flags: { json?: boolean }) => (await actions()).jobs(program, flags));

  program
    .command("instances")
    .description("list job instances, newest first; with an id, that instance and its tasks, or a Gantt chart of its run")
    .argument("[instanceId]", "one job instance: its tasks, their states and times")
    .option("--job <identifier>", "only this job's (list)")
    .option("--limit <n>", "at most this many (list)", "50")
    .addOption(new Option("--format <format>", "text, json, or mermaid (a gantt chart; needs an instance id)").choices(INSTANCES_FORMATS).default("text"))
    .option("--json", "print as JSON (same as --format json)")
    .addHelpText("after", `
Examples:
  $ idm instances --job HR_Complete --limit 10
  $ idm instances 42
  $ idm instances 42 --format mermaid > run-42.mmd`)
    .action(async (id: string | undefined, flags: InstancesFlags, command: Command) => (await actions()).instances(program, id, flags, command));

  program
    .command("logs")
    .description("print the log of a job instance")
    .argument("<instanceId>", "job instance id (idm instances)")
    .option("--task <identifier>", "only this task's lines")
    .option("-f, --follow", "keep printing new lines until the instance ends")
    .addHelpText("after", `
Examples:
  $ idm logs 42
  $ idm logs 42 --task HR_Export
  $ idm logs 42 --follow`)
    .action(async (id: string, flags: { task?: string; follow?: boolean }) => (await actions()).logs(program, id, flags));

  const history = program.command("history").description("job history upkeep")
    .addHelpText("after", `
Examples:
  $ idm history prune
  $ idm history prune --older-than 30`);
  history
    .command("prune")
    .description("delete ended job instances older than the retention (setting Jobs.HistoryRetentionDays, default 90), with their tasks and logs")
    .option("--older-than <days>", "retention in days, instead of the setting")
    .option("--json", "print as JSON")
    .addHelpText("after", `
Examples:
  $ idm history prune
  $ idm history prune --older-than 30 --json`)
    .action(async (flags: { olderThan?: string; json?: boolean }) => (await actions()).pruneHistoryOlderThan(program, flags));
}

import type { Command } from "commander";

export function registerHistory(program: Command): void {
  const actions = () => import("../actions/history.js");
  program
    .command("jobs")
    .description("list the deployed jobs: cron, next due time, last instance")
    .option("--json", "print as JSON")
    .action(async (flags: { json?: boolean }) => (await actions()).jobs(program, flags));

  program
    .command("instances")
    .description("list job instances, newest first")
    .option("--job <identifier>", "only this job's")
    .option("--limit <n>", "at most this many", "50")
    .option("--json", "print as JSON")
    .action(async (flags: { job?: string; limit: string; json?: boolean }) => (await actions()).instances(program, flags));

  program
    .command("logs")
    .description("print the log of a job instance")
    .argument("<instanceId>", "job instance id (idm instances)")
    .option("--task <identifier>", "only this task's lines")
    .option("-f, --follow", "keep printing new lines until the instance ends")
    .action(async (id: string, flags: { task?: string; follow?: boolean }) => (await actions()).logs(program, id, flags));

  const history = program.command("history").description("job history upkeep");
  history
    .command("prune")
    .description("delete ended job instances older than the retention (setting Jobs.HistoryRetentionDays, default 90), with their tasks and logs")
    .option("--older-than <days>", "retention in days, instead of the setting")
    .option("--json", "print as JSON")
    .action(async (flags: { olderThan?: string; json?: boolean }) => (await actions()).pruneHistoryOlderThan(program, flags));
}

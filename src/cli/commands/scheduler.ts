import type { Command } from "commander";

export function registerScheduler(program: Command): void {
  program
    .command("scheduler")
    .description("start deployed jobs at the times of their CronTabExpression, until Ctrl-C or SIGTERM")
    .option("--once", "one tick: start the jobs due, wait for them to end, print what was decided")
    .option("--at <time>", "with --once: the time of the tick, ISO 8601 (default now; without an offset, local time)")
    .addHelpText("after", `
Examples:
  $ idm scheduler
  $ idm scheduler --once
  $ idm scheduler --once --at 2025-01-06T02:00:00Z`)
    .action(async (options: { once?: boolean; at?: string }) => (await import("../actions/scheduler.js")).scheduler(program, options));
}

import type { Command } from "commander";

export function registerShow(program: Command): void {
  program
    .command("show")
    .description("print a stored item, where it came from and the deployment that last changed it")
    .argument("<kind>", "element kind: Job, a task type such as ExportTask, Agent, ...")
    .argument("<identifier>", "the item's identifier")
    .option("--json", "print as JSON")
    .addHelpText("after", `
Examples:
  $ idm show Job HR_Complete
  $ idm show ExportTask HR_Export --json`)
    .action(async (kind: string, identifier: string, options: { json?: boolean }) =>
      (await import("../actions/show.js")).show(program, kind, identifier, options));
}

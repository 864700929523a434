import type { Command } from "commander";

export function registerDeployments(program: Command): void {
  program
    .command("deployments")
    .description("list the deployments of the ledger, newest first")
    .option("--json", "print as JSON")
    .addHelpText("after", `
Examples:
  $ idm deployments
  $ idm deployments --json`)
    .action(async (options: { json?: boolean }) => (await import("../actions/deployments.js")).deployments(program, options));
}

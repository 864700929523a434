import type { Command } from "commander";
import type { DeployFlags } from "../actions/deploy.js";

export function registerDeploy(program: Command): void {
  program
    .command("deploy")
    .description("apply a configuration folder to the database in one transaction, with a ledger entry")
    .argument("[dir]", "configuration folder", ".")
    .option("--plan <file>", "apply this saved plan exactly (refused if the database changed since)")
    .option("--scope <path>", "only items whose source file is under this folder")
    .option("--allow-deletes", "allow a deploy that deletes many items")
    .option("--force-cascade-delete", "same as --allow-deletes (the reference tool's flag)")
    .option("--lock-timeout <seconds>", "how long to wait for another deploy to finish", "30")
    .option("--json", "print the result as JSON")
    .addHelpText("after", `
Examples:
  $ idm deploy conf-samples/demo
  $ idm deploy . --plan plan.json
  $ idm deploy . --scope HR --allow-deletes`)
    .action(async (dir: string, flags: DeployFlags) => (await import("../actions/deploy.js")).deploy(program, dir, flags));
}

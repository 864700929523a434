import type { Command } from "commander";

export function registerRollback(program: Command): void {
  program
    .command("rollback")
    .description("deploy the items as they were after a deployment (a new ledger entry)")
    .argument("<deploymentId>", "deployment to go back to (idm deployments lists them)")
    .option("--allow-deletes", "allow a rollback that deletes many items")
    .option("--lock-timeout <seconds>", "how long to wait for another deploy to finish", "30")
    .option("--json", "print the result as JSON")
    .addHelpText("after", `
Examples:
  $ idm deployments
  $ idm rollback 3
  $ idm rollback 3 --allow-deletes`)
    .action(async (id: string, flags: { allowDeletes?: boolean; lockTimeout: string; json?: boolean }) =>
      (await import("../actions/rollback.js")).rollback(program, id, flags));
}

import type { Command } from "commander";

export function registerOrders(program: Command): void {
  program
    .command("orders")
    .description("the provisioning orders: change type, owner, target, changes, state and order file")
    .option("--resource-type <identifier>", "only this resource type's")
    .option("--state <state>", "pending, blocked, applied or discarded (default: all)")
    .option("--json", "print as JSON")
    .addHelpText("after", `
Examples:
  $ idm orders
  $ idm orders --resource-type AD_Account --state blocked
  $ idm orders --json`)
    .action(async (flags: { resourceType?: string; state?: string; json?: boolean }) => (await import("../actions/orders.js")).orders(program, flags));
}

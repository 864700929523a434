import type { Command } from "commander";

export function registerOrders(program: Command): void {
  const orders = program
    .command("orders")
    .description("the provisioning orders: change type, owner, target, changes, state and order file")
    .option("--resource-type <identifier>", "only this resource type's")
    .option("--state <state>", "AwaitingApproval, Pending, Transmitted, Executed, Errored, Verified, Declined or Discarded (default: all)")
    .option("--json", "print as JSON")
    .addHelpText("after", `
Examples:
  $ idm orders --resource-type AD_Account --state AwaitingApproval
  $ idm orders approve 12 a40 --comment "checked with HR"
  $ idm orders --json`)
    .action(async (flags: { resourceType?: string; state?: string; json?: boolean }) => (await import("../actions/orders.js")).orders(program, flags));
  for (const decision of ["approve", "decline"] as const) {
    orders
      .command(`${decision} <id...>`)
      .description(`${decision} orders awaiting approval: an order id (12) or an assignment without order (a40), recorded with who and when`)
      .option("--comment <text>", "why, recorded with the decision")
      .addHelpText("after", `
Examples:
  $ idm orders --state AwaitingApproval
  $ idm orders ${decision} 12 a40 --comment "checked with HR"`)
      .action(async (ids: string[], flags: { comment?: string }) => (await import("../actions/orders.js")).review(program, decision, ids, flags));
  }
  orders
    .command("complete <id>")
    .description("close a manual ticket (an order of the Manual package): Executed, or Errored with --error")
    .option("--error <message>", "the ticket could not be done: the order is Errored with this message")
    .addHelpText("after", `
Examples:
  $ idm orders --state Transmitted
  $ idm orders complete 12
  $ idm orders complete 13 --error "no licence left"`)
    .action(async (id: string, flags: { error?: string }) => (await import("../actions/orders.js")).complete(program, id, flags));
}

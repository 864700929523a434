/**
 * The Manual package (Connection Package `Usercube.Manual…`, with a
 * ManualProvisioningResourceTypeMapping): a person provisions the target system by hand. Each order
 * becomes an open ticket: its outcome is Ticket (the order stays Transmitted), and the task's log
 * says what to do. The person closes it with `idm orders complete <id> [--error message]`
 * (domain/provisioning/tickets.ts). No settings are read: a ticket needs no connection.
 *
 * Idempotence: an order is handed to this package once, or again only when a run was killed before
 * recording the outcome; the ticket is then logged a second time, and nothing else is done twice.
 */
import type { FulfilContext, FulfilOrder, Fulfiller, FulfilPackage, FulfilRoute, OrderOutcome } from "./fulfiller.js";

class TicketFulfiller implements Fulfiller {
  constructor(private readonly route: FulfilRoute, private readonly log: FulfilContext["log"]) {}

  async *apply(orders: readonly FulfilOrder[], signal: AbortSignal): AsyncIterable<OrderOutcome> {
    for (const { id, order } of orders) {
      if (signal.aborted) return;
      const owner = typeof order.Owner?.Identifier === "string" ? ` for ${order.Owner.Identifier}` : "";
      const resource = typeof order.Resource?.Identifier === "string" ? ` (${order.Resource.Identifier})` : "";
      const changes = Object.keys(order.Changes).length === 0 ? "" : `: ${JSON.stringify(order.Changes)}`;
      this.log("Information", `ticket ${id} open (Connection ${this.route.connection}): ${order.ChangeType} ${this.route.resourceType}${owner}${resource}${changes}; close it with idm orders complete ${id}`);
      yield { id, state: "Ticket", message: "ticket open" };
    }
  }

  async close(): Promise<void> {}
}

export const manualPackage: FulfilPackage = {
  name: "Manual",
  handles: (packageName) => /^Usercube\.Manual(@|$)/i.test(packageName),
  settingsOptional: true,
  async open(route: FulfilRoute, context: FulfilContext): Promise<Fulfiller> {
    return new TicketFulfiller(route, context.log);
  },
};

import type { Command } from "commander";
import { resolve } from "node:path";
import type { OrderReport } from "../../domain/rolemodel/order-report.js";
import type { ReviewSubject } from "../../domain/rolemodel/order-review.js";
import { osUser } from "../../deploy/os-user.js";
import { CliError } from "../cli-error.js";
import { withStore } from "../context.js";
import { EXIT_ABSENT, EXIT_USAGE } from "../exit-codes.js";
import { resourceText } from "./assignments.js";
import { reportSubjectError } from "./report-errors.js";

export async function orders(program: Command, flags: { resourceType?: string; state?: string; json?: boolean }): Promise<void> {
  const { ORDER_STATES, orderReport, orderStatesOf } = await import("../../domain/rolemodel/order-report.js");
  const states = flags.state === undefined ? undefined : orderStatesOf(flags.state);
  if (flags.state !== undefined && states === undefined) throw new CliError(`--state must be one of ${ORDER_STATES.join(", ")}`, EXIT_USAGE);
  const filter = { ...(flags.resourceType === undefined ? {} : { resourceType: flags.resourceType }), ...(states === undefined ? {} : { states }) };
  const rows = await withStore(program, (store) => reportSubjectError(() => orderReport(store, filter)));
  if (flags.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  if (rows.length === 0) {
    const which = [flags.state, flags.resourceType && `of ${flags.resourceType}`].filter(Boolean).join(" ");
    return void process.stdout.write(`No ${which ? `${which} ` : ""}provisioning order is recorded.\n`);
  }
  process.stdout.write(rows.map(orderText).join(""));
}

function orderText(order: OrderReport): string {
  const owner = order.owner === null ? "no owner" : resourceText(order.owner);
  const target = order.target === null ? "new resource" : resourceText(order.target);
  const changes = Object.keys(order.changes).length === 0 ? "" : `\n    ${JSON.stringify(order.changes)}`;
  const id = order.id === null ? `a${order.assignment}` : `#${order.id}`;
  return `${id}  ${order.state.padEnd(16)} ${order.changeType.padEnd(8)} ${order.resourceType}  ${owner} → ${target}${order.file === null ? "" : `  ${order.file}`}${changes}\n`;
}

/** `idm orders approve|decline <id…>`: who is the OS user, as the deploy ledger records it. */
export async function review(program: Command, decision: "approve" | "decline", ids: string[], flags: { comment?: string }): Promise<void> {
  const { parseReviewSubject, reviewOrders, ReviewError } = await import("../../domain/rolemodel/order-review.js");
  const subjects: ReviewSubject[] = ids.map((text) => {
    const subject = parseReviewSubject(text);
    if (subject === undefined) throw new CliError(`${text} is not an order id (12) nor an assignment (a12)`, EXIT_USAGE);
    return subject;
  });
  const verdict = { decision: decision === "approve" ? "Approved" as const : "Declined" as const, by: osUser(), at: new Date(), comment: flags.comment ?? null };
  const orderIds = await withStore(program, async (store) => {
    try {
      return await reviewOrders(store, subjects, verdict);
    } catch (error) {
      if (error instanceof ReviewError) throw new CliError(`${error.message}; nothing was decided`, error.reason === "unknown" ? EXIT_ABSENT : 1);
      throw error;
    }
  });
  const next = decision === "approve" ? "the next GenerateProvisioningOrders writes them" : "they will not be provisioned";
  process.stdout.write(`${verdict.decision} by ${verdict.by}: ${orderIds.map((id) => `#${id}`).join(", ")} (${next}).\n`);
}

/** `idm orders complete <id> [--error message]`: closes a manual ticket. */
export async function complete(program: Command, text: string, flags: { error?: string }): Promise<void> {
  const { completeTicket, TicketError } = await import("../../domain/provisioning/tickets.js");
  const id = /^#?([1-9][0-9]*)$/.exec(text.trim())?.[1];
  if (id === undefined) throw new CliError(`${text} is not an order id`, EXIT_USAGE);
  if (flags.error !== undefined && flags.error.trim() === "") throw new CliError("--error needs a message: why the ticket could not be done", EXIT_USAGE);
  const by = osUser();
  const closed = await withStore(program, async (store, settings) => {
    try {
      return await completeTicket(store, Number(id), { ...(flags.error === undefined ? {} : { error: flags.error }), by, at: new Date(), workFolder: resolve(settings.paths.work) });
    } catch (error) {
      if (error instanceof TicketError) throw new CliError(error.message, error.reason === "unknown" ? EXIT_ABSENT : 1);
      throw error;
    }
  });
  process.stdout.write(`Order #${closed.id} ${closed.state} (ticket closed by ${by}).\n`);
}

import type { Command } from "commander";
import type { OrderReport } from "../../domain/rolemodel/order-report.js";
import type { ChangeState } from "../../domain/vocabulary.js";
import { CliError } from "../cli-error.js";
import { withStore } from "../context.js";
import { EXIT_USAGE } from "../exit-codes.js";
import { resourceText } from "./assignments.js";
import { reportSubjectError } from "./report-errors.js";

export async function orders(program: Command, flags: { resourceType?: string; state?: string; json?: boolean }): Promise<void> {
  const { ORDER_STATES, orderReport } = await import("../../domain/rolemodel/order-report.js");
  if (flags.state !== undefined && !ORDER_STATES.includes(flags.state as ChangeState)) throw new CliError(`--state must be one of ${ORDER_STATES.join(", ")}`, EXIT_USAGE);
  const filter = { ...(flags.resourceType === undefined ? {} : { resourceType: flags.resourceType }), ...(flags.state === undefined ? {} : { state: flags.state as ChangeState }) };
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
  return `#${order.id}  ${order.state.padEnd(9)} ${order.changeType.padEnd(8)} ${order.resourceType}  ${owner} → ${target}${order.file === null ? "" : `  ${order.file}`}${changes}\n`;
}

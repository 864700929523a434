/**
 * Closing a manual ticket (`idm orders complete <id> [--error message]`, README "The Manual
 * package"): an order the Manual package left open (fulfil_state Ticket) gets its outcome, as
 * FulfillTask records one (fulfil-store.ts): Executed, "ticket closed by <who>", or Errored with the
 * message; its assignment and Transmitted values move to Executed or Errored. With the mapping's
 * TicketSynchroIsNotAvailable (model.md §A.7: no synchronization will ever read the target back)
 * an Executed assignment goes straight on to Verified. The order file's results are rewritten, and
 * the file moves to Completed/ once all its orders have an outcome (order-results.ts).
 */
import { isTrueAttribute, type AttributeValue } from "../../config/coerce-attribute.js";
import type { Store } from "../../store/store.js";
import { AssignmentStore } from "../rolemodel/assignment-store.js";
import { FulfilStore } from "./fulfil-store.js";
import { completeOrderFile, readOrderFile, writeResults } from "./order-results.js";
import { isRoute, readRoutes } from "./route.js";

/** An order that is not there (`unknown`) or not an open ticket (`state`). */
export class TicketError extends Error {
  constructor(message: string, readonly reason: "unknown" | "state") {
    super(message);
  }
}

export interface TicketClosing {
  /** Absent: Executed; present: Errored with this message. */
  error?: string;
  by: string;
  at: Date;
  /** Paths.Work, resolved: where the order files are. */
  workFolder: string;
}

export interface ClosedTicket {
  id: number;
  state: "Executed" | "Errored" | "Verified";
  /** The order file, moved to Completed/ when this was its last open order. */
  file: string | null;
}

export async function completeTicket(store: Store, id: number, closing: TicketClosing): Promise<ClosedTicket> {
  const assignments = new AssignmentStore(store.dataSource.manager);
  const [order] = await assignments.ordersOf("id", [id]);
  if (order === undefined) throw new TicketError(`no provisioning order ${id} is recorded`, "unknown");
  if (order.fulfilState !== "Ticket") {
    throw new TicketError(`order ${id} is not an open ticket (${order.fulfilState ?? order.state}): only an order the Manual package left open is completed`, "state");
  }
  const state = closing.error === undefined ? "Executed" : "Errored";
  const message = closing.error ?? `ticket closed by ${closing.by}`;
  const fulfil = new FulfilStore(store);
  await fulfil.record([{ id, assignedResourceTypeId: order.assignedResourceTypeId, state, message }], closing.at, null);
  const route = (await readRoutes(store)).get(order.resourceType);
  const verified = state === "Executed" && route !== undefined && isRoute(route) && isTrueAttribute(route.mapping.TicketSynchroIsNotAvailable as AttributeValue | undefined);
  if (verified) await assignments.moveProvisioningState([order.assignedResourceTypeId], "Executed", "Verified");
  return { id, state: verified ? "Verified" : state, file: order.orderFile === null ? null : await finishFile(fulfil, closing.workFolder, order.resourceType, order.orderFile) };
}

/** The file's results rewritten, and its move to Completed/ once every order of it has an outcome; its name now. */
async function finishFile(fulfil: FulfilStore, workFolder: string, resourceType: string, orderFile: string): Promise<string> {
  const rows = await fulfil.ofFile([resourceType], orderFile);
  const read = await readOrderFile(workFolder, orderFile);
  await writeResults(workFolder, orderFile, rows, Array.isArray(read) ? read : []);
  if (!rows.every((r) => r.fulfilState === "Executed" || r.fulfilState === "Errored")) return orderFile;
  const moved = await completeOrderFile(workFolder, orderFile);
  if (moved === undefined) return orderFile;
  await fulfil.moveFile(rows.map((r) => r.id), moved);
  return moved;
}

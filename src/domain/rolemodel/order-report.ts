/**
 * `idm orders`: the provisioning orders (idm_provisioning_orders) in the shape the CLI prints as
 * JSON (issue 15, item 7), in id order, owner and target named by entity type and key, each in the
 * product's words for where it is (ORDER_STATES, README "Provisioning review"). The resource type
 * assignments AwaitingApproval (BlockProvisioning, a low confidence…) have no order row yet: they
 * follow the orders, `id` null and named by their `assignment`, with the change they would send.
 */
import type { Store } from "../../store/store.js";
import type { OrderRow, ResourceTypeWithValues } from "./assignment-rows.js";
import { AssignmentStore } from "./assignment-store.js";
import { orderDocumentsOf } from "./order-documents.js";
import { checkResourceType, missingRef, resourceRefs, type ResourceRef } from "./report-lookups.js";
import { readResourceTypes } from "./role-model-items.js";
import type { OrderChangeType, ProvisioningState } from "./states.js";

/**
 * AwaitingApproval: held for a review (a threshold, or BlockProvisioning); Pending: to write (an
 * approved one included); Transmitted: written to an order file, or an open manual ticket;
 * Executed / Errored: FulfillTask's outcome (or the ticket's); Verified: executed and its assignment
 * verified; Declined: a review declined it; Discarded: a later run computed it again.
 */
export const ORDER_STATES = ["AwaitingApproval", "Pending", "Transmitted", "Executed", "Errored", "Verified", "Declined", "Discarded"] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** The held-changes words `--state` accepted before, kept as aliases of the states they cover. */
export const ORDER_STATE_ALIASES: Readonly<Record<string, readonly OrderState[]>> = {
  blocked: ["AwaitingApproval"],
  pending: ["Pending"],
  applied: ["Transmitted", "Executed", "Errored", "Verified"],
  discarded: ["Declined", "Discarded"],
};

/** The states a `--state` word names (a state, case aside, or an old alias); undefined when it names none. */
export function orderStatesOf(word: string): readonly OrderState[] | undefined {
  const state = ORDER_STATES.find((s) => s.toLowerCase() === word.toLowerCase());
  return state === undefined ? ORDER_STATE_ALIASES[word.toLowerCase()] : [state];
}

export interface OrderReport {
  /** The order's id; null for an assignment AwaitingApproval that has no order yet. */
  id: number | null;
  /** The resource type assignment the order is for: what `idm orders approve a<assignment>` names. */
  assignment: number;
  resourceType: string;
  changeType: OrderChangeType;
  owner: Omit<ResourceRef, "id"> | null;
  target: Omit<ResourceRef, "id"> | null;
  changes: Record<string, unknown>;
  state: OrderState;
  /** The order file it was written to; null while it is not written (awaiting approval, pending). */
  file: string | null;
}

export interface OrderReportFilter {
  resourceType?: string;
  /** Any of these states. */
  states?: readonly OrderState[];
}

/** Where an order is, from its held-change state, its review, its fulfilment and its assignment's state. */
export function orderState(order: Pick<OrderRow, "state" | "decision" | "fulfilState">, assignmentState: ProvisioningState | undefined): OrderState {
  switch (order.state) {
    case "blocked":
      return order.decision === "Approved" ? "Pending" : "AwaitingApproval";
    case "pending":
      return "Pending";
    case "discarded":
      return order.decision === "Declined" ? "Declined" : "Discarded";
    case "applied":
      if (order.fulfilState === "Errored") return "Errored";
      if (order.fulfilState === "Executed") return assignmentState === "Verified" ? "Verified" : "Executed";
      return "Transmitted";
  }
}

/** The orders, filtered; an unknown resource type is an UnknownSubjectError (with the orders of one no longer deployed still shown). */
export async function orderReport(store: Store, filter: OrderReportFilter = {}): Promise<OrderReport[]> {
  const assignments = new AssignmentStore(store.dataSource.manager);
  const rows = await assignments.allOrders(filter.resourceType === undefined ? {} : { resourceType: filter.resourceType });
  const awaiting = await awaitingApproval(store, filter.resourceType);
  if (filter.resourceType !== undefined && rows.length === 0 && awaiting.length === 0) await checkResourceType(store, filter.resourceType);
  const states = new Map((await assignments.resourceTypesByIds([...new Set(rows.map((r) => r.assignedResourceTypeId))])).map((a) => [a.id, a.provisioningState]));
  const refs = await resourceRefs(store, [...rows, ...awaiting].flatMap((r) => [r.ownerId, r.targetId].filter((id): id is number => id !== null)));
  const named = (id: number | null): Omit<ResourceRef, "id"> | null => {
    if (id === null) return null;
    const { entityType, key } = refs.get(id) ?? missingRef(id);
    return { entityType, key };
  };
  const report: OrderReport[] = [
    ...rows.map((r): OrderReport => ({
      id: r.id, assignment: r.assignedResourceTypeId, resourceType: r.resourceType, changeType: r.changeType, owner: named(r.ownerId), target: named(r.targetId),
      changes: JSON.parse(r.changes) as Record<string, unknown>, state: orderState(r, states.get(r.assignedResourceTypeId)), file: r.orderFile,
    })),
    ...awaiting.map((a): OrderReport => ({
      id: null, assignment: a.assignedResourceTypeId, resourceType: a.resourceType, changeType: a.changeType, owner: named(a.ownerId), target: named(a.targetId),
      changes: a.changes, state: "AwaitingApproval", file: null,
    })),
  ];
  return filter.states === undefined ? report : report.filter((o) => filter.states!.includes(o.state));
}

/** An AwaitingApproval assignment as the order it would make. */
export interface AwaitingOrder {
  assignedResourceTypeId: number;
  resourceType: string;
  changeType: OrderChangeType;
  ownerId: number | null;
  targetId: number | null;
  changes: Record<string, unknown>;
}

/**
 * Derogations (Found, Historic) and suggested correlations (PendingApproval: a confidence below 100)
 * are decided by resource reconciliation, not by the provisioning review (§C.12 Screens): the role
 * model would put them back AwaitingApproval whatever the review said.
 */
const RECONCILED: ReadonlySet<string> = new Set(["Found", "Historic", "PendingApproval"]);

/** The resource type assignments AwaitingApproval (of one resource type, or all deployed ones), those of reconciliation aside, as orders. */
export async function awaitingApproval(store: Store, resourceType?: string): Promise<AwaitingOrder[]> {
  const types = await readResourceTypes(store);
  const chosen = resourceType === undefined ? [...types.keys()] : [resourceType].filter((t) => types.has(t));
  const assignments = new AssignmentStore(store.dataSource.manager);
  const rows: ResourceTypeWithValues[] = [];
  for (const type of chosen) {
    for await (const page of assignments.resourceTypesInState(type, "AwaitingApproval")) rows.push(...page.filter((a) => !isReconciled(a)));
  }
  return awaitingOrders(store, rows);
}

export function isReconciled(assignment: Pick<ResourceTypeWithValues, "workflowState">): boolean {
  return RECONCILED.has(assignment.workflowState);
}

/** These AwaitingApproval assignments as the orders they would make, in assignment order (those of a resource type no longer deployed make none). */
export async function awaitingOrders(store: Store, rows: readonly ResourceTypeWithValues[]): Promise<AwaitingOrder[]> {
  if (rows.length === 0) return [];
  const types = await readResourceTypes(store);
  const documentsOf = await orderDocumentsOf(store);
  const orders: AwaitingOrder[] = [];
  for (const identifier of new Set(rows.map((r) => r.resourceType))) {
    const type = types.get(identifier);
    if (type === undefined) continue;
    const documents = documentsOf(type);
    const parts = await documents.partsOf(rows.filter((r) => r.resourceType === identifier), "AwaitingApproval");
    orders.push(...parts.map((part) => ({ ...part, resourceType: identifier })));
  }
  return orders.sort((a, b) => a.assignedResourceTypeId - b.assignedResourceTypeId);
}

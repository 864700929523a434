/**
 * The provisioning review (`idm orders approve|decline`, README "Provisioning review"): a person
 * approves or declines what waits in AwaitingApproval, recorded on the order row with who, when and
 * the comment (idm_provisioning_orders.decision, decided_by, decided_at, decision_comment).
 *
 * What waits is of two kinds:
 * - an order a provisioning threshold blocked (state blocked; its assignment stays Pending), named
 *   by its order id;
 * - a resource type assignment AwaitingApproval (BlockProvisioning, a low confidence…), which has
 *   no order yet, named `a<assignment id>`. The review records the order it would make (computed
 *   now, as GenerateProvisioningOrders computes it), with job_instance_id REVIEW_JOB_INSTANCE.
 *
 * Approve: the order is blocked and Approved, its assignment Pending; the next
 * GenerateProvisioningOrders of its resource type writes it as it was reviewed, whatever the
 * thresholds say (orders.ts). Decline: the order is discarded, and its assignment and its values
 * in the same state move to DECLINED (Inactive): nothing is sent, and ComputeRoleModel keeps them
 * declined while its rules compute the same change (a different value makes a new order).
 *
 * Every id is checked before anything changes, and all are decided in one transaction.
 */
import type { Store } from "../../store/store.js";
import { DECLINED } from "./evaluate/provisioning-states.js";
import type { NewOrder, OrderDecision, OrderRow } from "./assignment-rows.js";
import { AssignmentStore } from "./assignment-store.js";
import { awaitingOrders, isReconciled } from "./order-report.js";
import { readMappedConnectors, readResourceTypes } from "./role-model-items.js";

/** The job instance of the orders a review records for assignments that had none: no job made them. */
export const REVIEW_JOB_INSTANCE = 0;

/** What a review names: an order, or an assignment AwaitingApproval without one. */
export type ReviewSubject = { order: number } | { assignment: number };

export interface ReviewDecision {
  decision: OrderDecision;
  by: string;
  at: Date;
  comment: string | null;
}

/** A subject that is not there (`unknown`) or not awaiting approval (`state`). */
export class ReviewError extends Error {
  constructor(message: string, readonly reason: "unknown" | "state") {
    super(message);
  }
}

/** `12`, `#12` (an order) or `a12` (an assignment); undefined when the text is neither. */
export function parseReviewSubject(text: string): ReviewSubject | undefined {
  const match = /^(#|a)?([1-9][0-9]*)$/i.exec(text.trim());
  if (match === null) return undefined;
  const id = Number(match[2]);
  return match[1]?.toLowerCase() === "a" ? { assignment: id } : { order: id };
}

/** Decides on every subject, in one transaction; the ids of the orders decided, in the subjects' order. */
export async function reviewOrders(store: Store, subjects: readonly ReviewSubject[], decision: ReviewDecision): Promise<number[]> {
  const orderIds = subjects.flatMap((s) => ("order" in s ? [s.order] : []));
  const assignmentIds = subjects.flatMap((s) => ("assignment" in s ? [s.assignment] : []));
  const reading = new AssignmentStore(store.dataSource.manager);
  const orders = new Map<number, OrderRow>((await reading.ordersOf("id", orderIds)).map((o) => [o.id, o]));
  const named = await reading.resourceTypesByIds(assignmentIds);
  const waiting = named.filter((a) => a.provisioningState === "AwaitingApproval");
  const known = new Set(named.map((a) => a.id));
  for (const subject of subjects) {
    if ("order" in subject) {
      const order = orders.get(subject.order);
      if (order === undefined) throw new ReviewError(`no provisioning order ${subject.order} is recorded`, "unknown");
      if (order.state !== "blocked" || order.decision !== null) {
        throw new ReviewError(`order ${subject.order} is not awaiting approval (${order.decision ?? order.state}): only an order a threshold blocked is reviewed`, "state");
      }
    } else if (!known.has(subject.assignment)) {
      throw new ReviewError(`no resource type assignment a${subject.assignment} is recorded`, "unknown");
    } else {
      const a = waiting.find((w) => w.id === subject.assignment);
      if (a === undefined) throw new ReviewError(`assignment a${subject.assignment} is not AwaitingApproval`, "state");
      if (isReconciled(a)) throw new ReviewError(`assignment a${subject.assignment} is ${a.workflowState}: resource reconciliation decides on it, not the provisioning review`, "state");
    }
  }
  const computed = await awaitingOrders(store, waiting);
  for (const a of waiting.filter((w) => !computed.some((c) => c.assignedResourceTypeId === w.id))) {
    throw new ReviewError(`assignment a${a.id} is of ResourceType ${a.resourceType}, which is no longer deployed: its order cannot be computed`, "state");
  }
  const connectors = await readMappedConnectors(store);
  const types = await readResourceTypes(store);
  return store.dataSource.transaction(async (m) => {
    const assignments = new AssignmentStore(m);
    const blocked = [...orders.values()];
    const newOrders = computed.map((o): NewOrder => {
      const target = types.get(o.resourceType)?.targetEntityType;
      return {
        assignedResourceTypeId: o.assignedResourceTypeId, resourceType: o.resourceType, connector: (target === undefined ? undefined : connectors.get(target)) ?? target ?? o.resourceType,
        changeType: o.changeType, ownerId: o.ownerId, targetId: o.targetId, changes: JSON.stringify(o.changes), orderFile: null, createdAt: decision.at,
        jobInstanceId: REVIEW_JOB_INSTANCE, state: decision.decision === "Approved" ? "blocked" : "discarded",
        decision: decision.decision, decidedBy: decision.by, decidedAt: decision.at, decisionComment: decision.comment,
      };
    });
    await assignments.insertOrders(newOrders);
    await assignments.recordDecision(blocked.map((o) => o.id), decision);
    const awaitingIds = computed.map((o) => o.assignedResourceTypeId);
    if (decision.decision === "Approved") {
      await assignments.moveProvisioningState(awaitingIds, "AwaitingApproval", "Pending");
    } else {
      await assignments.discardOrders(blocked.map((o) => o.id));
      await assignments.moveProvisioningState(blocked.map((o) => o.assignedResourceTypeId), "Pending", DECLINED);
      await assignments.moveProvisioningState(awaitingIds, "AwaitingApproval", DECLINED);
    }
    // In id order: an assignment reviewed before (declined, then computed anew) maps to its newest order.
    const recorded = new Map((await assignments.ordersOf("assignment", awaitingIds, { jobInstanceId: REVIEW_JOB_INSTANCE })).map((o) => [o.assignedResourceTypeId, o.id]));
    return subjects.map((s) => ("order" in s ? s.order : recorded.get(s.assignment)!));
  });
}

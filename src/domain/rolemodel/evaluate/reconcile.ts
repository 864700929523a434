/**
 * The delta to save for one owner (reference model.md §C.12 steps 3, 4, 6, 7): expected rows
 * against stored ones.
 *
 * - Declined or cancelled stored rows are deleted; ended ones (ValidTo passed) are historized.
 * - An expected row with a counterpart updates it when anything differs; without one it is inserted.
 * - A stored row nothing expects any more: manual, found and pre-existing ones are kept; a confirmed
 *   target of a resource type the owner lost is deprovisioned (a Deleted order, waiting for a review
 *   when BlockProvisioning applies or AllowRemove forbids it); a navigation value the target still
 *   holds is removed the same way; anything else is historized at `now` (deleted if it had not begun).
 *
 * Reconciling the result of a reconcile with the same inputs gives no change.
 */
import type { Assignment, AssignmentChange, AssignmentDelta, ExpectedAssignments, ExpectedRow, StoredAssignment } from "./assignments.js";
import { holds } from "./compare-values.js";
import { isKept } from "./evaluate-owner.js";
import { isConfirmed } from "./expected-resource-types.js";
import { matchRows } from "./match-rows.js";
import type { PolicyModel, TargetValues } from "./model.js";
import { spanOf } from "./periods.js";
import { inFlightState, isBlocked, isSettled, resourceTypeState, valueState, withoutId, type StateContext } from "./provisioning-states.js";
import { sameRow } from "./same-row.js";

export interface ReconcileOptions {
  model: PolicyModel;
  /** Default: when the expected assignments were evaluated. */
  now?: Date;
  /** ComputeRoleModelTask BlockProvisioning: block every generated order. */
  blockProvisioning?: boolean;
  /** ComputeRoleModelTask BlockAllResourceTypeProvisioning: review every order whatever the resource types say. */
  blockAllResourceTypeProvisioning?: boolean;
  /** Stored row id → when it entered its Transmitted or Executed state, for TransmittedStateValidityPeriod. */
  stateSince?: ReadonlyMap<string, Date>;
}

export function reconcile(expected: ExpectedAssignments, existing: readonly StoredAssignment[], targetValues: TargetValues, options: ReconcileOptions): AssignmentDelta {
  const now = (options.now ?? expected.evaluatedAt).getTime();
  const ctx: StateContext = {
    targets: targetValues,
    resourceTypes: new Map(options.model.resourceTypes.map((rt) => [rt.identifier, rt])),
    blockProvisioning: options.blockProvisioning ?? false,
    blockAllResourceTypeProvisioning: options.blockAllResourceTypeProvisioning ?? false,
    now,
    stateSince: options.stateSince ?? new Map(),
  };
  const changes: AssignmentChange[] = [];
  const kept: StoredAssignment[] = [];
  const live: StoredAssignment[] = [];
  for (const row of existing) {
    if (row.workflowState === "Declined") changes.push({ change: "delete", id: row.id, row, reason: "declined" });
    else if (row.workflowState === "Cancellation") changes.push({ change: "delete", id: row.id, row, reason: "cancelled" });
    else if (spanOf(row.validFrom, row.validTo).to <= now) changes.push({ change: "historize", id: row.id, row, validTo: row.validTo! });
    else live.push(row);
  }
  const rows: ExpectedRow[] = [...expected.roles, ...expected.resourceTypes, ...expected.values, ...expected.risks];
  const { pairs, unclaimed } = matchRows(rows, live);
  for (const [e, x] of pairs) {
    const row = stateOf(e, x, ctx);
    if (!x) changes.push({ change: "insert", row });
    else if (sameRow(row, withoutId(x))) kept.push(x);
    else changes.push({ change: "update", id: x.id, before: x, row });
  }
  const stillHeld = new Set(expected.resourceTypes.filter((r) => r.target !== null && !r.needsReview).map((r) => `${r.resourceType}\u0000${r.target!.id}`));
  for (const x of unclaimed) {
    const change = unexpected(x, now, ctx, stillHeld);
    if (change) changes.push(change);
    else kept.push(x);
  }
  return { changes, kept };
}

function stateOf(e: ExpectedRow, x: StoredAssignment | null, ctx: StateContext): Assignment {
  switch (e.kind) {
    case "resourceType":
      return resourceTypeState(e, x, ctx);
    case "scalar":
    case "navigation":
    case "binary":
      return valueState(e, x, ctx);
    default: {
      const { storedId: _s, ...row } = e;
      return row;
    }
  }
}

/** What becomes of a stored row nothing expects; null keeps it as it is. */
function unexpected(x: StoredAssignment, now: number, ctx: StateContext, stillHeld: ReadonlySet<string>): AssignmentChange | null {
  if (isKept(x, now)) return null;
  const end = (): AssignmentChange =>
    spanOf(x.validFrom, x.validTo).from > now ? { change: "delete", id: x.id, row: x, reason: "never-started" } : { change: "historize", id: x.id, row: x, validTo: new Date(now) };
  const removal = (allowed: boolean): AssignmentChange | null => {
    if (x.kind !== "resourceType" && x.kind !== "navigation") return end();
    if (x.changeType === "Deleted" && isSettled(x.provisioningState)) {
      const state = inFlightState(ctx, x);
      return state === x.provisioningState ? null : { change: "update", id: x.id, before: x, row: { ...withoutId(x), provisioningState: state } as Assignment };
    }
    const state = isBlocked(ctx, x.resourceType) || !allowed ? "AwaitingApproval" : "Pending";
    const row = { ...withoutId(x), provisioningState: state, changeType: "Deleted" } as Assignment;
    return { change: "update", id: x.id, before: x, row };
  };
  if (x.kind === "resourceType") {
    if (!isConfirmed(x, ctx.targets)) return end();
    return removal(ctx.resourceTypes.get(x.resourceType)?.allowRemove ?? true);
  }
  if (x.kind === "navigation" && x.target !== null && x.isMapped && stillHeld.has(`${x.resourceType}\u0000${x.target.id}`)) {
    const current = ctx.targets.get(x.target.id)?.[x.property] ?? null;
    if (holds(current, x.policyValue, x.comparisonType)) return removal(true);
  }
  return end();
}

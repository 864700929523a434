/**
 * Step 6 of Evaluate Policy: the provisioning state of each expected resource type and value, from
 * its stored counterpart and what the target holds (reference model.md §C.12, §C.14).
 *
 * - The target already holds the value: Verified (an unmapped value, never read back, is Verified
 *   once its order was Executed).
 * - The same policy value is already on its way (AwaitingApproval, Pending, Transmitted, Executed,
 *   Errored): its state stays; the engine does not send it twice. Transmitted or Executed for longer
 *   than the resource type's TransmittedStateValidityPeriod (minutes, 0 = no limit), it turns Errored:
 *   the target system never showed what was sent.
 * - Otherwise a new order: AwaitingApproval when provisioning is blocked (the resource type's
 *   BlockProvisioning, the task's flags, a creation AllowAdd forbids, a confidence below 100),
 *   else Pending.
 * - A declined order (DECLINED: its assignment and values were moved there by `idm orders decline`)
 *   stays declined while the rules compute the same change; a different policy value is a new order.
 */
import type { ProvisioningState } from "../states.js";
import { AUTOMATIC_CONFIDENCE } from "../states.js";
import type { ExpectedResourceType, ExpectedValue, ResourceTypeAssignment, StoredAssignment, ValueAssignment } from "./assignments.js";
import { holds, sameValue } from "./compare-values.js";
import type { ResourceType, TargetValues } from "./model.js";

export const IN_FLIGHT: ReadonlySet<ProvisioningState> = new Set(["AwaitingApproval", "Pending", "Transmitted", "Executed", "Errored"]);
/**
 * The state of an assignment whose order a provisioning review declined: the product's Inactive (6),
 * neither to send nor sent. Without it the next run would compute the order again, Pending, every night.
 */
export const DECLINED: ProvisioningState = "Inactive";
/** A stored state the engine carries as it is while the same change is expected: on its way, or declined. */
export function isSettled(state: ProvisioningState): boolean {
  return IN_FLIGHT.has(state) || state === DECLINED;
}
/** Derogations belong to the reviewers: the engine carries them as they are. */
export const DEROGATIONS = new Set(["Found", "Historic"]);

export interface StateContext {
  targets: TargetValues;
  resourceTypes: ReadonlyMap<string, ResourceType>;
  blockProvisioning: boolean;
  blockAllResourceTypeProvisioning: boolean;
  /** The evaluation instant, in milliseconds. */
  now: number;
  /** Stored row id → when it entered its Transmitted or Executed state (its order's times); absent: unknown, never expires. */
  stateSince: ReadonlyMap<string, Date>;
}

const AWAITING_TARGET: ReadonlySet<ProvisioningState> = new Set(["Transmitted", "Executed"]);

/** The state a stored row in flight stays in: Errored once it waited for the target system longer than its resource type allows. */
export function inFlightState(ctx: StateContext, x: StoredAssignment & { resourceType: string; provisioningState: ProvisioningState }): ProvisioningState {
  if (!AWAITING_TARGET.has(x.provisioningState)) return x.provisioningState;
  const minutes = ctx.resourceTypes.get(x.resourceType)?.transmittedStateValidityPeriod ?? 0;
  const since = ctx.stateSince.get(x.id);
  if (minutes <= 0 || since === undefined) return x.provisioningState;
  return ctx.now - since.getTime() > minutes * 60_000 ? "Errored" : x.provisioningState;
}

export function isBlocked(ctx: StateContext, resourceType: string): boolean {
  return ctx.blockAllResourceTypeProvisioning || ctx.blockProvisioning || (ctx.resourceTypes.get(resourceType)?.blockProvisioning ?? true);
}

export function resourceTypeState(e: ExpectedResourceType, stored: StoredAssignment | null, ctx: StateContext): ResourceTypeAssignment {
  const x = stored?.kind === "resourceType" ? stored : null;
  if (x && e.storedId !== undefined && DEROGATIONS.has(x.workflowState)) return withoutId(x);
  const row = (provisioningState: ProvisioningState, changeType: ResourceTypeAssignment["changeType"]): ResourceTypeAssignment => resourceTypeRow(e, provisioningState, changeType);
  if (e.needsReview) return row("AwaitingApproval", null);
  if (e.target !== null) return row("Verified", null);
  if (x && x.target === null && x.changeType === "Added" && isSettled(x.provisioningState)) return row(inFlightState(ctx, x), "Added");
  const allowAdd = ctx.resourceTypes.get(e.resourceType)?.allowAdd ?? true;
  return row(isBlocked(ctx, e.resourceType) || !allowAdd ? "AwaitingApproval" : "Pending", "Added");
}

export function currentValueOf(ctx: StateContext, target: { id: string } | null, property: string): ValueAssignment["currentValue"] {
  if (target === null) return null;
  return ctx.targets.get(target.id)?.[property] ?? null;
}

export function valueState(e: ExpectedValue, stored: StoredAssignment | null, ctx: StateContext): ValueAssignment {
  const x = stored && stored.kind === e.kind ? stored : null;
  if (x && e.storedId !== undefined && DEROGATIONS.has(x.workflowState)) return withoutId(x);
  const currentValue = currentValueOf(ctx, e.target, e.property);
  const row = (provisioningState: ProvisioningState, changeType: ValueAssignment["changeType"]): ValueAssignment => valueRow(e, currentValue, provisioningState, changeType);
  if (e.questioned) return row("None", null);
  const samePolicy = x !== null && sameValue(x.policyValue, e.policyValue);
  if (e.isMapped ? e.target !== null && holds(currentValue, e.policyValue, e.comparisonType) : samePolicy && (x.provisioningState === "Executed" || x.provisioningState === "Verified")) {
    return row("Verified", null);
  }
  if (samePolicy && isSettled(x.provisioningState)) return row(inFlightState(ctx, x), x.changeType);
  const lowConfidence = e.confidence !== null && e.confidence < AUTOMATIC_CONFIDENCE;
  const changeType = e.kind === "navigation" || e.target === null ? "Added" : "Modified";
  return row(isBlocked(ctx, e.resourceType) || lowConfidence ? "AwaitingApproval" : "Pending", changeType);
}

// Rows are spelled out field by field: spreading a rest-destructured object of this size was a
// fifth of the evaluation's time.
function resourceTypeRow(e: ExpectedResourceType, provisioningState: ProvisioningState, changeType: ResourceTypeAssignment["changeType"]): ResourceTypeAssignment {
  return {
    kind: "resourceType",
    resourceType: e.resourceType,
    target: e.target,
    correlation: e.correlation,
    heldBack: e.heldBack,
    origin: e.origin,
    workflowState: e.workflowState,
    rule: e.rule,
    validFrom: e.validFrom,
    validTo: e.validTo,
    provisioningState,
    changeType,
  };
}

function valueRow(e: ExpectedValue, currentValue: ValueAssignment["currentValue"], provisioningState: ProvisioningState, changeType: ValueAssignment["changeType"]): ValueAssignment {
  return {
    kind: e.kind,
    resourceType: e.resourceType,
    target: e.target,
    property: e.property,
    policyValue: e.policyValue,
    currentValue,
    comparisonType: e.comparisonType,
    isMapped: e.isMapped,
    confidence: e.confidence,
    questioned: e.questioned,
    origin: e.origin,
    workflowState: e.workflowState,
    rule: e.rule,
    validFrom: e.validFrom,
    validTo: e.validTo,
    provisioningState,
    changeType,
  };
}

export function withoutId<T extends { id: string }>(row: T): Omit<T, "id"> {
  const { id: _id, ...rest } = row;
  return rest;
}

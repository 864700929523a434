/**
 * When each stored row waiting for the target system entered its state, for TransmittedStateValidityPeriod:
 * the times of its assignment's newest order. An order is written for a whole assignment (its Transmitted
 * values go with it), so Transmitted dates from the order's creation and Executed from its fulfilment
 * (its creation when the fulfilment time is missing: an order recorded before migration 0009).
 * Rows are named as the engine names them (assignment-adapter.ts): `type:<id>`, `value:<id>`.
 */
import type { OrderTimes } from "../assignment-store.js";
import type { OwnerAssignments, ResourceTypeWithValues } from "../assignment-rows.js";
import type { ProvisioningState } from "../states.js";

const AWAITING: ReadonlySet<ProvisioningState> = new Set(["Transmitted", "Executed"]);

/** The assignments whose order times are needed: those of resource types with a period, waiting themselves or by a value. */
export function awaitingAssignments(owners: Iterable<OwnerAssignments>, withPeriod: ReadonlySet<string>): number[] {
  const ids: number[] = [];
  for (const owner of owners) {
    for (const t of owner.resourceTypes) if (withPeriod.has(t.resourceType) && waits(t)) ids.push(t.id);
  }
  return ids;
}

function waits(t: ResourceTypeWithValues): boolean {
  return AWAITING.has(t.provisioningState) || t.values.some((v) => AWAITING.has(v.provisioningState));
}

export function stateSince(owner: OwnerAssignments, times: ReadonlyMap<number, OrderTimes>): Map<string, Date> {
  const since = new Map<string, Date>();
  const of = (state: ProvisioningState, t: OrderTimes) => (state === "Executed" ? (t.fulfilledAt ?? t.createdAt) : t.createdAt);
  for (const t of owner.resourceTypes) {
    const order = times.get(t.id);
    if (order === undefined) continue;
    if (AWAITING.has(t.provisioningState)) since.set(`type:${t.id}`, of(t.provisioningState, order));
    for (const v of t.values) if (AWAITING.has(v.provisioningState)) since.set(`value:${v.id}`, of(v.provisioningState, order));
  }
  return since;
}

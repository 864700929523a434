/**
 * `idm orders`: the provisioning orders (idm_provisioning_orders) in the shape the CLI prints as
 * JSON (issue 15, item 7), in id order, owner and target named by entity type and key.
 */
import type { Store } from "../../store/store.js";
import type { ChangeState } from "../vocabulary.js";
import type { OrderRow } from "./assignment-rows.js";
import { AssignmentStore } from "./assignment-store.js";
import { checkResourceType, missingRef, resourceRefs, type ResourceRef } from "./report-lookups.js";
import type { OrderChangeType } from "./states.js";

export const ORDER_STATES: readonly ChangeState[] = ["pending", "blocked", "applied", "discarded"];

export interface OrderReport {
  id: number;
  resourceType: string;
  changeType: OrderChangeType;
  owner: Omit<ResourceRef, "id"> | null;
  target: Omit<ResourceRef, "id"> | null;
  changes: Record<string, unknown>;
  state: ChangeState;
  /** The order file it was written to; null while it is not written (blocked, pending). */
  file: string | null;
}

export interface OrderReportFilter {
  resourceType?: string;
  state?: ChangeState;
}

/** The orders, filtered; an unknown resource type is an UnknownSubjectError (with the orders of one no longer deployed still shown). */
export async function orderReport(store: Store, filter: OrderReportFilter = {}): Promise<OrderReport[]> {
  const assignments = new AssignmentStore(store.dataSource.manager);
  const rows: OrderRow[] = [];
  for await (const page of assignments.orders(filter)) rows.push(...page);
  if (filter.resourceType !== undefined && rows.length === 0) await checkResourceType(store, filter.resourceType);
  const refs = await resourceRefs(store, rows.flatMap((r) => [r.ownerId, r.targetId].filter((id): id is number => id !== null)));
  const named = (id: number | null): Omit<ResourceRef, "id"> | null => {
    if (id === null) return null;
    const { entityType, key } = refs.get(id) ?? missingRef(id);
    return { entityType, key };
  };
  return rows.map((r) => ({
    id: r.id, resourceType: r.resourceType, changeType: r.changeType, owner: named(r.ownerId), target: named(r.targetId),
    changes: JSON.parse(r.changes) as Record<string, unknown>, state: r.state, file: r.orderFile,
  }));
}

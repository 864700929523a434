/**
 * The statements of the provisioning orders (idm_provisioning_orders, migrations/0007). The orders of
 * a run for a resource type are a queue of held changes (blocked-changes.ts): computed pending, held
 * blocked when a provisioning threshold is exceeded, applied once written to an order file. The SQL
 * Server snapshot test prints these statements.
 */
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { ENTITY, type StoredOrderRow } from "../../store/entities.js";
import type { Statement } from "../../store/statements.js";
import type { HeldChangeQueue } from "../blocked-changes.js";
import { insertRows, updateWhere } from "../table-statements.js";
import type { ChangeState } from "../vocabulary.js";
import type { NewOrder, OrderDecision } from "./assignment-rows.js";
import type { OrderChangeType } from "./states.js";

/** A run's orders for one resource type are held, applied or discarded together; counted per resource type and change type. */
export const PROVISIONING_ORDERS: HeldChangeQueue = {
  tables: [{ entity: ENTITY.provisioningOrder, countBy: ["resourceType", "changeType"] }],
  owner: "jobInstanceId",
  subject: "resourceType",
};

export function insertOrders(m: EntityManager, rows: readonly NewOrder[]): Statement {
  return insertRows(m, ENTITY.provisioningOrder, rows);
}

export interface OrderFilter {
  resourceType?: string;
  state?: ChangeState;
  changeType?: OrderChangeType;
  jobInstanceId?: number;
  /** The review's decision (null: none recorded). */
  decision?: OrderDecision | null;
  /** Only these orders. */
  ids?: readonly number[];
  /** Orders of any of these assignments. */
  assignments?: readonly number[];
}

/** One page of orders in id order after `afterId`, filtered. */
export function selectOrders(m: EntityManager, filter: OrderFilter, afterId: number, limit: number): SelectQueryBuilder<StoredOrderRow> {
  const query = m.createQueryBuilder<StoredOrderRow>(ENTITY.provisioningOrder, "o").where("o.id > :afterId", { afterId });
  if (filter.resourceType !== undefined) query.andWhere("o.resourceType = :resourceType", { resourceType: filter.resourceType });
  if (filter.state !== undefined) query.andWhere("o.state = :state", { state: filter.state });
  if (filter.changeType !== undefined) query.andWhere("o.changeType = :changeType", { changeType: filter.changeType });
  if (filter.jobInstanceId !== undefined) query.andWhere("o.jobInstanceId = :jobInstanceId", { jobInstanceId: filter.jobInstanceId });
  if (filter.decision === null) query.andWhere("o.decision IS NULL");
  else if (filter.decision !== undefined) query.andWhere("o.decision = :decision", { decision: filter.decision });
  if (filter.ids !== undefined) query.andWhere("o.id IN (:...ids)", { ids: filter.ids.length === 0 ? [-1] : filter.ids });
  if (filter.assignments !== undefined) query.andWhere("o.assignedResourceTypeId IN (:...assignments)", { assignments: filter.assignments.length === 0 ? [-1] : filter.assignments });
  return query.orderBy("o.id", "ASC").limit(limit);
}

/** When the orders of these assignments were written and fulfilled, in id order (the last is the newest). */
export function selectOrderTimes(m: EntityManager, assignedResourceTypeIds: readonly number[]): SelectQueryBuilder<StoredOrderRow> {
  return m.createQueryBuilder<StoredOrderRow>(ENTITY.provisioningOrder, "o")
    .select(["o.id", "o.assignedResourceTypeId", "o.createdAt", "o.fulfilledAt"])
    .where("o.assignedResourceTypeId IN (:...ids)", { ids: assignedResourceTypeIds })
    .orderBy("o.id", "ASC");
}

/** The file these orders were written to, and their new state. */
export function setOrderFile(m: EntityManager, ids: readonly number[], file: string, state: ChangeState): Statement {
  return updateWhere<StoredOrderRow>(m, ENTITY.provisioningOrder, { orderFile: file, state }, (w) => w.in("id", ids));
}

/** Orders a review declined: discarded, never written. */
export function discardOrders(m: EntityManager, ids: readonly number[]): Statement {
  return updateWhere<StoredOrderRow>(m, ENTITY.provisioningOrder, { state: "discarded" }, (w) => w.in("id", ids));
}

/** The review of blocked orders: who decided what, when, and why. */
export function recordOrderDecision(
  m: EntityManager, ids: readonly number[], decision: { decision: OrderDecision; by: string; at: Date; comment: string | null },
): Statement {
  return updateWhere<StoredOrderRow>(m, ENTITY.provisioningOrder, {
    decision: decision.decision, decidedBy: decision.by, decidedAt: decision.at, decisionComment: decision.comment,
  }, (w) => w.in("id", ids));
}

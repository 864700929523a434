/**
 * The statements of FulfillTask on idm_provisioning_orders (migrations/0007, 0009), built apart from
 * their runs so that the SQL Server snapshot test prints them (test/domain/provisioning/snapshots).
 */
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { ENTITY, type StoredOrderRow } from "../../store/entities.js";
import type { Statement } from "../../store/statements.js";
import { updateWhere } from "../table-statements.js";
import type { FulfilState } from "../rolemodel/assignment-rows.js";

const COLUMNS = ["o.id", "o.assignedResourceTypeId", "o.resourceType", "o.connector", "o.changeType", "o.ownerId", "o.orderFile", "o.fulfilState", "o.fulfilMessage"];

/** A page of the orders written to files (state applied) of these resource types without an outcome yet, after `afterId`. */
export function selectOutstanding(m: EntityManager, resourceTypes: readonly string[], afterId: number, limit: number): SelectQueryBuilder<StoredOrderRow> {
  return m.createQueryBuilder<StoredOrderRow>(ENTITY.provisioningOrder, "o")
    .select(COLUMNS)
    .where("o.id > :afterId", { afterId })
    .andWhere("o.state = :state", { state: "applied" })
    .andWhere("o.resourceType IN (:...types)", { types: resourceTypes })
    .andWhere("(o.fulfilState IS NULL OR o.fulfilState = :inFlight)", { inFlight: "InFlight" })
    .orderBy("o.id", "ASC")
    .limit(limit);
}

/**
 * Every order of one file, in id order. A file holds orders of the resource types named: the
 * (resource_type, state, id) index narrows the read to them instead of the whole table.
 */
export function selectOfFile(m: EntityManager, resourceTypes: readonly string[], orderFile: string): SelectQueryBuilder<StoredOrderRow> {
  return m.createQueryBuilder<StoredOrderRow>(ENTITY.provisioningOrder, "o")
    .select(COLUMNS)
    .where("o.resourceType IN (:...types)", { types: resourceTypes })
    .andWhere("o.state = :state", { state: "applied" })
    .andWhere("o.orderFile = :orderFile", { orderFile })
    .orderBy("o.id", "ASC");
}

/** Orders handed to a package (InFlight), or given back (null). */
export function setFulfilState(m: EntityManager, ids: readonly number[], state: Extract<FulfilState, "InFlight"> | null): Statement {
  return updateWhere<StoredOrderRow>(m, ENTITY.provisioningOrder, { fulfilState: state, fulfilMessage: null } as Partial<StoredOrderRow>, (w) => w.in("id", ids));
}

/** One order's outcome. */
export function recordOutcome(m: EntityManager, id: number, outcome: { state: Exclude<FulfilState, "InFlight">; message: string }, at: Date, jobInstanceId: number | null): Statement {
  return updateWhere<StoredOrderRow>(m, ENTITY.provisioningOrder, {
    fulfilState: outcome.state, fulfilMessage: outcome.message, fulfilledAt: at, fulfilledByJobInstance: jobInstanceId,
  }, (w) => w.equal({ id }));
}

/**
 * The statements of FulfillTask on idm_provisioning_orders (migrations/0007, 0009), built apart from
 * their runs so that the SQL Server snapshot test prints them (test/domain/provisioning/snapshots).
 */
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { ENTITY, type StoredOrderRow } from "../../store/entities.js";
import type { Statement } from "../../store/statements.js";
import { TableWriter, updateWhere } from "../table-statements.js";
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

/**
 * The outcomes of several orders in one statement: a CASE on the id picks each one's state and
 * message (resource-queries.ts updateResourceVersions writes versions the same way), instead of one
 * UPDATE, one round trip on a server database, per order.
 */
export function recordOutcomes(
  m: EntityManager, outcomes: readonly { id: number; state: Exclude<FulfilState, "InFlight">; message: string }[], at: Date, jobInstanceId: number | null,
): Statement {
  const w = new TableWriter(m, ENTITY.provisioningOrder);
  const id = w.column("id");
  const pick = (property: "fulfilState" | "fulfilMessage", value: (o: (typeof outcomes)[number]) => string) =>
    `${w.column(property)} = CASE ${id} ${outcomes.map((o) => `WHEN ${w.bind("id", o.id)} THEN ${w.bind(property, value(o))}`).join(" ")} END`;
  const assignments = [
    pick("fulfilState", (o) => o.state),
    pick("fulfilMessage", (o) => o.message),
    `${w.column("fulfilledAt")} = ${w.bind("fulfilledAt", at)}`,
    `${w.column("fulfilledByJobInstance")} = ${w.bind("fulfilledByJobInstance", jobInstanceId)}`,
  ];
  return w.statement(`UPDATE ${w.table} SET ${assignments.join(", ")} WHERE ${w.in("id", outcomes.map((o) => o.id))}`);
}

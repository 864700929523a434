/**
 * The statements of the assignment families (contexts, roles, resource types, values, risks), their
 * history and the id reservation, as QueryBuilders or driver-quoted statements (table-statements.ts):
 * the assignment store runs them and the SQL Server snapshot test prints them. Tables and the reasons
 * for their shape: store/migrations/0007-assignments.ts. Lists of ids are bound one parameter each:
 * callers keep them within `batchSize(dialect, n)`.
 */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { ENTITY, type AssignmentHistoryRow, type IdSequenceRow, type RiskScoreRow } from "../../store/entities.js";
import type { Statement } from "../../store/statements.js";
import { deleteByIds, insertRows, TableWriter, updateWhere } from "../table-statements.js";
import type { ProvisioningState } from "./states.js";

/** The assignment families, each one table; the name is what idm_assignment_history.family holds. */
export const FAMILIES = {
  context: ENTITY.assignedContext,
  role: ENTITY.assignedRole,
  "resource-type": ENTITY.assignedResourceType,
  value: ENTITY.assignedValue,
  risk: ENTITY.identifiedRisk,
} as const;
export type Family = keyof typeof FAMILIES;
/** The families whose rows name their owner (values reach it through their resource type assignment). */
export type OwnedFamily = Exclude<Family, "value">;

export function insertAssignments(m: EntityManager, family: Family, rows: readonly object[]): Statement {
  return insertRows(m, FAMILIES[family], rows);
}

/** The rows of these owners, in id order. */
export function selectByOwners(m: EntityManager, family: OwnedFamily, ownerIds: readonly number[]): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(FAMILIES[family], "a").where("a.ownerId IN (:...ownerIds)", { ownerIds }).orderBy("a.id", "ASC");
}

export function selectByIds(m: EntityManager, family: Family, ids: readonly number[]): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(FAMILIES[family], "a").where("a.id IN (:...ids)", { ids }).orderBy("a.id", "ASC");
}

/** The values of these resource type assignments, in id order. */
export function selectValuesOfTypes(m: EntityManager, assignedResourceTypeIds: readonly number[]): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.assignedValue, "v").where("v.assignedResourceTypeId IN (:...ids)", { ids: assignedResourceTypeIds }).orderBy("v.id", "ASC");
}

/** The resource type assignments whose target is one of these resources (any owner, found ones too). */
export function selectResourceTypesByTargets(m: EntityManager, targetIds: readonly number[]): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.assignedResourceType, "a").where("a.targetId IN (:...targetIds)", { targetIds }).orderBy("a.id", "ASC");
}

/**
 * One page of a resource type's assignments in one provisioning state, in id order after `afterId`:
 * a range of the index (resource_type, provisioning_state, id), whatever the depth.
 */
export function selectResourceTypesInState(
  m: EntityManager, resourceType: string, state: ProvisioningState, afterId: number, limit: number,
): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.assignedResourceType, "a")
    .where("a.resourceType = :resourceType AND a.provisioningState = :state AND a.id > :afterId", { resourceType, state, afterId })
    .orderBy("a.id", "ASC").limit(limit);
}

/** How many assignments of these resource types are in a provisioning state, per type. */
export function countResourceTypesInState(m: EntityManager, resourceTypes: readonly string[], state: ProvisioningState): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.assignedResourceType, "a").select("a.resourceType", "resourceType").addSelect("COUNT(*)", "count")
    .where("a.resourceType IN (:...resourceTypes) AND a.provisioningState = :state", { resourceTypes, state }).groupBy("a.resourceType");
}

/**
 * The orders a resource type's Pending assignments would make, counted per change type and whether
 * they have a target (a row without change type is an Added without one, a Modified with one): what
 * the provisioning thresholds count. Assignments held back (DependsOn) make no order yet.
 */
export function countOrdersToSend(m: EntityManager, resourceType: string): SelectQueryBuilder<ObjectLiteral> {
  const creation = "CASE WHEN a.targetId IS NULL THEN 1 ELSE 0 END";
  return m.createQueryBuilder(ENTITY.assignedResourceType, "a").select("a.changeType", "changeType").addSelect(creation, "creation").addSelect("COUNT(*)", "count")
    .where("a.resourceType = :resourceType AND a.provisioningState = :state AND a.heldBack IS NULL", { resourceType, state: "Pending" })
    .groupBy("a.changeType").addGroupBy(creation);
}

/**
 * One page of the owner-less found assignments of these resource types, in id order after
 * `afterId` (id and target only): classification checks that their targets still exist.
 */
export function selectOwnerlessFound(m: EntityManager, resourceTypes: readonly string[], afterId: number, limit: number): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.assignedResourceType, "a").select(["a.id", "a.targetId"])
    .where("a.ownerId IS NULL AND a.origin = :origin AND a.resourceType IN (:...resourceTypes) AND a.id > :afterId", { origin: "found", resourceTypes, afterId })
    .orderBy("a.id", "ASC").limit(limit);
}

/** `UPDATE … SET … WHERE id IN (…)`: the same new values for every row listed. */
export function updateByIds(m: EntityManager, family: Family, set: Readonly<Record<string, unknown>>, ids: readonly number[]): Statement {
  return updateWhere<ObjectLiteral>(m, FAMILIES[family], set, (w) => w.in("id", ids));
}

/** Moves assignments from one provisioning state to another (Pending → Transmitted once their orders are written). */
export function moveProvisioningState(m: EntityManager, family: "resource-type" | "value", ids: readonly number[], from: ProvisioningState, to: ProvisioningState): Statement {
  return updateWhere<ObjectLiteral>(m, FAMILIES[family], { provisioningState: to }, (w) => `${w.in("id", ids)} AND ${w.column("provisioningState")} = ${w.bind("provisioningState", from)}`);
}

/** The values of these resource type assignments in one provisioning state, moved to another. */
export function moveValuesOfTypes(m: EntityManager, assignedResourceTypeIds: readonly number[], from: ProvisioningState, to: ProvisioningState): Statement {
  return updateWhere<ObjectLiteral>(m, ENTITY.assignedValue, { provisioningState: to }, (w) =>
    `${w.in("assignedResourceTypeId", assignedResourceTypeIds)} AND ${w.column("provisioningState")} = ${w.bind("provisioningState", from)}`);
}

export function deleteAssignments(m: EntityManager, family: Family, ids: readonly number[]): Statement {
  return deleteByIds(m, FAMILIES[family], ids);
}

// Risk scores: one row per owner, replaced ------------------------------------------------------

export function deleteRiskScores(m: EntityManager, ownerIds: readonly number[]): Statement {
  const w = new TableWriter(m, ENTITY.riskScore);
  return w.statement(`DELETE FROM ${w.table} WHERE ${w.in("ownerId", ownerIds)}`);
}

export function insertRiskScores(m: EntityManager, rows: readonly Omit<RiskScoreRow, "id">[]): Statement {
  return insertRows(m, ENTITY.riskScore, rows);
}

export function selectRiskScores(m: EntityManager, ownerIds: readonly number[]): SelectQueryBuilder<RiskScoreRow> {
  return m.createQueryBuilder<RiskScoreRow>(ENTITY.riskScore, "s").where("s.ownerId IN (:...ownerIds)", { ownerIds }).orderBy("s.ownerId", "ASC");
}

// History ------------------------------------------------------------------------------------

export function insertHistory(m: EntityManager, rows: readonly Omit<AssignmentHistoryRow, "id">[]): Statement {
  return insertRows(m, ENTITY.assignmentHistory, rows);
}

/** The archived versions of one row, oldest first. */
export function selectRowHistory(m: EntityManager, family: Family, rowId: number): SelectQueryBuilder<AssignmentHistoryRow> {
  return m.createQueryBuilder<AssignmentHistoryRow>(ENTITY.assignmentHistory, "h").where("h.family = :family AND h.rowId = :rowId", { family, rowId })
    .orderBy("h.id", "ASC");
}

/** The archived versions of everything an owner held, oldest first. */
export function selectOwnerHistory(m: EntityManager, ownerId: number): SelectQueryBuilder<AssignmentHistoryRow> {
  return m.createQueryBuilder<AssignmentHistoryRow>(ENTITY.assignmentHistory, "h").where("h.ownerId = :ownerId", { ownerId }).orderBy("h.id", "ASC");
}

// Id reservation -----------------------------------------------------------------------------

/** Takes `count` ids of a sequence; its row stays locked until the transaction ends, so concurrent reservations queue. */
export function advanceSequence(m: EntityManager, name: string, count: number): Statement {
  const w = new TableWriter(m, ENTITY.idSequence);
  const next = w.column("nextId");
  return w.statement(`UPDATE ${w.table} SET ${next} = ${next} + ${w.bind("nextId", count)} WHERE ${w.column("name")} = ${w.bind("name", name)}`);
}

export function selectSequence(m: EntityManager, name: string): SelectQueryBuilder<IdSequenceRow> {
  return m.createQueryBuilder<IdSequenceRow>(ENTITY.idSequence, "s").where("s.name = :name", { name });
}

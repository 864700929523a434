/**
 * The statements SavePreExistingAccessRightsTask selects with when the configuration gives no SQL of
 * its own (README "SavePreExistingAccessRightsTask"), and the check of the ids a configured SQL
 * returned. The requalification itself is an update of the assignment store (assignment-writes.ts),
 * historized like any other. The SQL Server snapshot test prints them.
 */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { ENTITY } from "../../store/entities.js";
import type { ValueKind } from "./assignment-rows.js";

/**
 * What the managed systems held before go-live and no rule asked for: a found row, or an automatic
 * row (rule, inferred) that waits to remove it (a Deleted change, Pending or AwaitingApproval).
 */
function preExisting(alias: string): { where: string; parameters: ObjectLiteral } {
  return {
    where: `(${alias}.origin = :found OR (${alias}.origin IN (:...automatic) AND ${alias}.changeType = :deleted AND ${alias}.provisioningState IN (:...waiting)))`,
    parameters: { found: "found", automatic: ["rule", "inferred"], deleted: "Deleted", waiting: ["Pending", "AwaitingApproval"] },
  };
}

/** One page of the ids of the owned resource type assignments to requalify, after `afterId`. */
export function selectPreExistingResourceTypes(m: EntityManager, afterId: number, limit: number): SelectQueryBuilder<ObjectLiteral> {
  const { where, parameters } = preExisting("a");
  return m.createQueryBuilder(ENTITY.assignedResourceType, "a").select("a.id", "id")
    .where(`a.ownerId IS NOT NULL AND a.id > :afterId AND ${where}`, { afterId, ...parameters })
    .orderBy("a.id", "ASC").limit(limit);
}

/** One page of the ids of the values of one kind, of owned resource type assignments, to requalify. */
export function selectPreExistingValues(m: EntityManager, kind: ValueKind, afterId: number, limit: number): SelectQueryBuilder<ObjectLiteral> {
  const { where, parameters } = preExisting("v");
  return m.createQueryBuilder(ENTITY.assignedValue, "v").select("v.id", "id")
    .innerJoin(ENTITY.assignedResourceType, "a", "a.id = v.assignedResourceTypeId")
    .where(`v.kind = :kind AND a.ownerId IS NOT NULL AND v.id > :afterId AND ${where}`, { kind, afterId, ...parameters })
    .orderBy("v.id", "ASC").limit(limit);
}

/** Of these resource type assignment ids, those of rows that exist and are not pre-existing yet. */
export function selectRequalifiableResourceTypes(m: EntityManager, ids: readonly number[]): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.assignedResourceType, "a").select("a.id", "id")
    .where("a.id IN (:...ids) AND a.origin <> :preExisting", { ids, preExisting: "pre-existing" }).orderBy("a.id", "ASC");
}

/** Of these value ids, those of rows of this kind that exist and are not pre-existing yet. */
export function selectRequalifiableValues(m: EntityManager, kind: ValueKind, ids: readonly number[]): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.assignedValue, "v").select("v.id", "id")
    .where("v.kind = :kind AND v.id IN (:...ids) AND v.origin <> :preExisting", { kind, ids, preExisting: "pre-existing" }).orderBy("v.id", "ASC");
}

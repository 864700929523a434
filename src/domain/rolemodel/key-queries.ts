/**
 * The statements of the correlation keys (idm_correlation_keys, migrations/0007): a resource's keys
 * replaced, the rules that have keys, and the join owner key = target key that correlation reads.
 * The SQL Server snapshot test prints them. Lists of ids are bound one parameter each.
 */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { ENTITY, type StoredCorrelationKeyRow } from "../../store/entities.js";
import type { Statement } from "../../store/statements.js";
import { deleteByIds, insertRows, TableWriter } from "../table-statements.js";
import type { NewCorrelationKey } from "./assignment-rows.js";

export function insertKeys(m: EntityManager, rows: readonly NewCorrelationKey[]): Statement {
  return insertRows(m, ENTITY.correlationKey, rows);
}

/** Every key of these resources (both sides, every rule): what replacing their keys removes first. */
export function deleteKeysOfResources(m: EntityManager, resourceIds: readonly number[]): Statement {
  const w = new TableWriter(m, ENTITY.correlationKey);
  return w.statement(`DELETE FROM ${w.table} WHERE ${w.in("resourceId", resourceIds)}`);
}

export function selectKeysOfResources(m: EntityManager, resourceIds: readonly number[]): SelectQueryBuilder<StoredCorrelationKeyRow> {
  return m.createQueryBuilder<StoredCorrelationKeyRow>(ENTITY.correlationKey, "k").where("k.resourceId IN (:...resourceIds)", { resourceIds })
    .orderBy("k.resourceId", "ASC").addOrderBy("k.id", "ASC");
}

/** The (resource type, rule) pairs that have keys: a Complete run removes those of rules no longer deployed. */
export function selectKeyRules(m: EntityManager): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.correlationKey, "k").select("k.resourceType", "resourceType").addSelect("k.ruleIdentifier", "ruleIdentifier")
    .distinct(true);
}

export function deleteKeysOfRule(m: EntityManager, resourceType: string, ruleIdentifier: string): Statement {
  const w = new TableWriter(m, ENTITY.correlationKey);
  return w.statement(`DELETE FROM ${w.table} WHERE ${w.equal({ resourceType, ruleIdentifier })}`);
}

export function deleteKeys(m: EntityManager, ids: readonly number[]): Statement {
  return deleteByIds(m, ENTITY.correlationKey, ids);
}

/**
 * For these owners of a resource type, the targets whose key equals one of theirs under the same
 * rule: each owner key seeks the target keys on (resource_type, side, key_value).
 */
export function selectKeyMatches(m: EntityManager, resourceType: string, ownerIds: readonly number[]): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.correlationKey, "o")
    .innerJoin(ENTITY.correlationKey, "t", "t.resourceType = o.resourceType AND t.side = :target AND t.keyValue = o.keyValue AND t.ruleIdentifier = o.ruleIdentifier", { target: "target" })
    .select("o.resourceId", "ownerId").addSelect("t.resourceId", "targetId").addSelect("o.ruleIdentifier", "ruleIdentifier")
    .where("o.resourceType = :resourceType AND o.side = :owner AND o.resourceId IN (:...ownerIds)", { resourceType, owner: "owner", ownerIds })
    .orderBy("o.resourceId", "ASC").addOrderBy("t.resourceId", "ASC").addOrderBy("o.ruleIdentifier", "ASC");
}

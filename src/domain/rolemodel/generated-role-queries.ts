/**
 * The statements of the generated role model (idm_generated_roles and idm_generated_navigation_rules,
 * migrations/0008): read whole, roles and rules inserted in bulk, a role rewritten by id, rules and
 * roles deleted by role id. The SQL Server snapshot test prints them. Lists are bound one parameter each.
 */
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { ENTITY, type GeneratedNavigationRuleRow, type GeneratedRoleRow } from "../../store/entities.js";
import type { Statement } from "../../store/statements.js";
import { deleteByIds, insertRows, TableWriter, updateWhere } from "../table-statements.js";

export type NewGeneratedRole = Omit<GeneratedRoleRow, "id">;
export type NewGeneratedNavigationRule = Omit<GeneratedNavigationRuleRow, "id">;

export function selectGeneratedRoles(m: EntityManager): SelectQueryBuilder<GeneratedRoleRow> {
  return m.createQueryBuilder<GeneratedRoleRow>(ENTITY.generatedRole, "r").orderBy("r.identifier", "ASC");
}

export function selectGeneratedNavigationRules(m: EntityManager): SelectQueryBuilder<GeneratedNavigationRuleRow> {
  return m.createQueryBuilder<GeneratedNavigationRuleRow>(ENTITY.generatedNavigationRule, "n").orderBy("n.generatedRoleId", "ASC");
}

/** The ids of roles just inserted, by their unique identifier. */
export function selectGeneratedRoleIds(m: EntityManager, identifiers: readonly string[]): SelectQueryBuilder<GeneratedRoleRow> {
  return m.createQueryBuilder<GeneratedRoleRow>(ENTITY.generatedRole, "r").select(["r.id", "r.identifier"]).where("r.identifier IN (:...identifiers)", { identifiers });
}

export function insertGeneratedRoles(m: EntityManager, rows: readonly NewGeneratedRole[]): Statement {
  return insertRows(m, ENTITY.generatedRole, rows);
}

export function insertGeneratedNavigationRules(m: EntityManager, rows: readonly NewGeneratedNavigationRule[]): Statement {
  return insertRows(m, ENTITY.generatedNavigationRule, rows);
}

export function updateGeneratedRole(m: EntityManager, id: number, set: Omit<NewGeneratedRole, "identifier">): Statement {
  return updateWhere(m, ENTITY.generatedRole, set, (w) => w.equal({ id }));
}

/** The rules of these roles: deleted before the roles (the foreign key has no ON DELETE), or before a role's rule is rewritten. */
export function deleteNavigationRulesOfRoles(m: EntityManager, roleIds: readonly number[]): Statement {
  const w = new TableWriter(m, ENTITY.generatedNavigationRule);
  return w.statement(`DELETE FROM ${w.table} WHERE ${w.in("generatedRoleId", roleIds)}`);
}

export function deleteGeneratedRoles(m: EntityManager, ids: readonly number[]): Statement {
  return deleteByIds(m, ENTITY.generatedRole, ids);
}

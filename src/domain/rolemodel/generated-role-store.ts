/**
 * The generated role model as stored (migrations/0008-generated-role-model.ts): each generated single
 * role with its NavigationRule, read whole (the table holds one row per role a RoleMapping made, a
 * catalog, not a per-identity table) and replaced by a delta in one transaction.
 */
import type { EntityManager } from "typeorm";
import type { GeneratedNavigationRuleRow, GeneratedRoleRow } from "../../store/entities.js";
import { batchSize, chunks, run } from "../../store/statements.js";
import type { Store } from "../../store/store.js";
import * as q from "./generated-role-queries.js";

/** A generated role and its NavigationRule, without the store's ids. */
export interface GeneratedRole extends Omit<GeneratedRoleRow, "id" | "generatedByJobInstance"> {
  navigation: Omit<GeneratedNavigationRuleRow, "id" | "generatedRoleId">;
}

/** A stored generated role: `id` is idm_generated_roles.id. */
export interface StoredGeneratedRole extends GeneratedRole {
  id: number;
}

export interface GeneratedRoleDelta {
  insert: GeneratedRole[];
  /** Roles whose attributes or rule changed: rewritten whole under their id. */
  update: Array<{ id: number; role: GeneratedRole }>;
  delete: number[];
}

/** Bound parameters per inserted row. */
const ROLE_COLUMNS = 16;
const RULE_COLUMNS = 5;

export async function readGeneratedRoles(store: Store): Promise<StoredGeneratedRole[]> {
  const m = store.dataSource.manager;
  const roles = await q.selectGeneratedRoles(m).getMany();
  const rules = new Map<number, GeneratedNavigationRuleRow>();
  for (const rule of await q.selectGeneratedNavigationRules(m).getMany()) rules.set(rule.generatedRoleId, rule);
  return roles.flatMap(({ generatedByJobInstance: _, ...role }) => {
    const rule = rules.get(role.id);
    if (!rule) return [];
    const { id: _id, generatedRoleId: _role, ...navigation } = rule;
    return [{ ...role, navigation }];
  });
}

/** Writes the delta in one transaction; a role's rule is deleted before the role (the foreign key has no ON DELETE). */
export async function writeGeneratedRoles(store: Store, delta: GeneratedRoleDelta, jobInstanceId: number | null): Promise<void> {
  const ids = batchSize(store.dialect, 1);
  await store.dataSource.transaction(async (m) => {
    for (const batch of chunks([...delta.delete, ...delta.update.map((u) => u.id)], ids)) await run(m, q.deleteNavigationRulesOfRoles(m, batch));
    for (const batch of chunks(delta.delete, ids)) await run(m, q.deleteGeneratedRoles(m, batch));
    for (const { id, role: { navigation: _, identifier: _identifier, ...columns } } of delta.update) {
      await run(m, q.updateGeneratedRole(m, id, { ...columns, generatedByJobInstance: jobInstanceId }));
    }
    const inserted = await insertRoles(m, store, delta.insert, jobInstanceId);
    const rules = [
      ...delta.update.map(({ id, role }) => ({ generatedRoleId: id, ...role.navigation })),
      ...delta.insert.map((role) => ({ generatedRoleId: inserted.get(role.identifier)!, ...role.navigation })),
    ];
    for (const batch of chunks(rules, batchSize(store.dialect, RULE_COLUMNS))) await run(m, q.insertGeneratedNavigationRules(m, batch));
  });
}

/** Inserts the roles; returns identifier → id (read back by the unique identifier: portable multi-row INSERTs do not say which id each row got). */
async function insertRoles(m: EntityManager, store: Store, roles: readonly GeneratedRole[], jobInstanceId: number | null): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const batch of chunks(roles, batchSize(store.dialect, ROLE_COLUMNS))) {
    await run(m, q.insertGeneratedRoles(m, batch.map(({ navigation: _, ...role }) => ({ ...role, generatedByJobInstance: jobInstanceId }))));
    for (const row of await q.selectGeneratedRoleIds(m, batch.map((r) => r.identifier)).getMany()) ids.set(row.identifier, row.id);
  }
  return ids;
}

/**
 * The generated role model as stored (migrations/0008-generated-role-model.ts): each generated single
 * role with its NavigationRule, read whole (the table holds one row per role a RoleMapping made, a
 * catalog, not a per-identity table) and replaced by a delta in one transaction.
 */
import type { EntityManager } from "typeorm";
import { ENTITY, type GeneratedNavigationRuleRow, type GeneratedRoleRow } from "../../store/entities.js";
import { batchSize, chunks, run } from "../../store/statements.js";
import type { Store } from "../../store/store.js";
import { deleteByIds, insertRows, TableWriter } from "../table-statements.js";

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

const ROLE_COLUMNS = 17;
const RULE_COLUMNS = 6;

export async function readGeneratedRoles(store: Store): Promise<StoredGeneratedRole[]> {
  const m = store.dataSource.manager;
  const roles = await m.createQueryBuilder<GeneratedRoleRow>(ENTITY.generatedRole, "r").orderBy("r.identifier", "ASC").getMany();
  const rules = new Map<number, GeneratedNavigationRuleRow>();
  for (const rule of await m.createQueryBuilder<GeneratedNavigationRuleRow>(ENTITY.generatedNavigationRule, "n").getMany()) rules.set(rule.generatedRoleId, rule);
  return roles.flatMap(({ generatedByJobInstance: _, ...role }) => {
    const rule = rules.get(role.id);
    if (!rule) return [];
    const { id: _id, generatedRoleId: _role, ...navigation } = rule;
    return [{ ...role, navigation }];
  });
}

/** Writes the delta in one transaction; a role's rule is deleted before the role (the foreign key has no ON DELETE). */
export async function writeGeneratedRoles(store: Store, delta: GeneratedRoleDelta, jobInstanceId: number | null): Promise<void> {
  await store.dataSource.transaction(async (m) => {
    const obsolete = [...delta.delete, ...delta.update.map((u) => u.id)];
    for (const ids of chunks(obsolete, batchSize(store.dialect, 1))) {
      const w = new TableWriter(m, ENTITY.generatedNavigationRule);
      await run(m, w.statement(`DELETE FROM ${w.table} WHERE ${w.in("generatedRoleId", ids)}`));
    }
    for (const ids of chunks(delta.delete, batchSize(store.dialect, 1))) await run(m, deleteByIds(m, ENTITY.generatedRole, ids));
    for (const { id, role } of delta.update) {
      const { navigation: _, ...columns } = role;
      const w = new TableWriter(m, ENTITY.generatedRole);
      const set = Object.entries({ ...columns, generatedByJobInstance: jobInstanceId }).map(([p, v]) => `${w.column(p)} = ${w.bind(p, v)}`);
      await run(m, w.statement(`UPDATE ${w.table} SET ${set.join(", ")} WHERE ${w.equal({ id })}`));
    }
    const inserted = await insertRoles(m, store, delta.insert, jobInstanceId);
    const rules = [
      ...delta.update.map(({ id, role }) => ({ generatedRoleId: id, ...role.navigation })),
      ...delta.insert.map((role) => ({ generatedRoleId: inserted.get(role.identifier)!, ...role.navigation })),
    ];
    for (const batch of chunks(rules, batchSize(store.dialect, RULE_COLUMNS))) await run(m, insertRows(m, ENTITY.generatedNavigationRule, batch));
  });
}

/** Inserts the roles; returns identifier → id (read back by the unique identifier: portable multi-row INSERTs do not say which id each row got). */
async function insertRoles(m: EntityManager, store: Store, roles: readonly GeneratedRole[], jobInstanceId: number | null): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const batch of chunks(roles, batchSize(store.dialect, ROLE_COLUMNS))) {
    await run(m, insertRows(m, ENTITY.generatedRole, batch.map(({ navigation: _, ...role }) => ({ ...role, generatedByJobInstance: jobInstanceId }))));
    const rows = await m.createQueryBuilder<GeneratedRoleRow>(ENTITY.generatedRole, "r").select(["r.id", "r.identifier"])
      .where("r.identifier IN (:...identifiers)", { identifiers: batch.map((r) => r.identifier) }).getMany();
    for (const row of rows) ids.set(row.identifier, row.id);
  }
  return ids;
}

/**
 * The generated role store on real databases (a delta inserted, rewritten and deleted, read back
 * whole) and its statements on SQL Server, offline, against a reviewed T-SQL snapshot.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as q from "../../../src/domain/rolemodel/generated-role-queries.js";
import { readGeneratedRoles, writeGeneratedRoles, type GeneratedRole } from "../../../src/domain/rolemodel/generated-role-store.js";
import { offlineMssqlStore, type Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { statement } from "../../helpers/sql-statement.js";

function role(identifier: string, valueResourceId: number, more: Partial<GeneratedRole> = {}): GeneratedRole {
  return {
    identifier, roleMapping: "AD_Groups", valueResourceId, entityType: "HR_Person", policy: "Default", category: null, approvalWorkflowType: "One",
    implicitApproval: "Inherited", approvalRequired: false, hideOnSimplifiedView: true, commentOnApprove: "Inherited", commentOnDecline: "Required",
    commentOnDeleteGap: "Inherited", commentOnKeepGap: "Inherited", displayName: identifier.toLowerCase(),
    navigation: { resourceType: "AD_Account", property: "memberOf", valueResourceId, resourceKey: `CN=${identifier},OU=Groups` },
    ...more,
  };
}

describe.each(BACKENDS)("generated role store on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("inserts, rewrites and deletes roles with their rules in one delta, and reads them back whole", async () => {
    await writeGeneratedRoles(store, { insert: [role("GG_A", 1), role("GG_B", 2), role("GG_C", 3)], update: [], delete: [] }, 7);
    const first = await readGeneratedRoles(store);
    expect(first.map(({ id: _, ...r }) => r)).toEqual([role("GG_A", 1), role("GG_B", 2), role("GG_C", 3)]);

    const [a, b] = first;
    const moved = role("GG_B", 4, { category: "Groups", displayName: null });
    await writeGeneratedRoles(store, { insert: [role("GG_D", 5)], update: [{ id: b!.id, role: moved }], delete: [a!.id] }, 8);
    const second = await readGeneratedRoles(store);
    expect(second.map(({ id: _, ...r }) => r)).toEqual([moved, role("GG_C", 3), role("GG_D", 5)]);
    expect(second[0]!.id).toBe(b!.id);
  });
});

describe("generated role statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const { navigation, identifier: _, ...columns } = role("GG_A", 1);
    const sql = [
      statement("the generated roles", q.selectGeneratedRoles(m)),
      statement("their navigation rules", q.selectGeneratedNavigationRules(m)),
      statement("roles in bulk", q.insertGeneratedRoles(m, [{ identifier: "GG_A", ...columns, generatedByJobInstance: 7 }])),
      statement("the ids of the roles just inserted", q.selectGeneratedRoleIds(m, ["GG_A", "GG_B"])),
      statement("their rules in bulk", q.insertGeneratedNavigationRules(m, [{ generatedRoleId: 1, ...navigation }])),
      statement("a role rewritten", q.updateGeneratedRole(m, 1, { ...columns, generatedByJobInstance: 8 })),
      statement("the rules of roles deleted or rewritten", q.deleteNavigationRulesOfRoles(m, [1, 2])),
      statement("roles deleted", q.deleteGeneratedRoles(m, [1, 2])),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-generated-roles.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`/);
  });
});

/**
 * The assignment report on real databases, seeded through the assignment store: every family with
 * its rule as file:line (a rule child's from its ResourceType), resources by entity type and key,
 * navigation values by the resource they point at, a Deleted value as a current one the policy no
 * longer wants; owners holding nothing left out of a list but shown when named; did-you-mean errors.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assignmentReport } from "../../../src/domain/rolemodel/assignment-report.js";
import { RuleLocator, UnknownSubjectError } from "../../../src/domain/rolemodel/report-lookups.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { deployRoleModel } from "./role-model-fixture.js";
import { AD_ACCOUNT_LINE, seedAssignments, type Seeded } from "./report-seed.js";

describe.each(BACKENDS)("assignment report on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("reports an owner's contexts, roles, resource types with their values, and risks, each with its rule as file:line", async () => {
    const seeded: Seeded = await seedAssignments(store);
    const id = (type: string, key: string) => seeded.ids.get(type)!.get(key)!;
    const [p1] = await assignmentReport(store, "HR_Person", "p1");
    expect(p1).toEqual({
      resource: { entityType: "HR_Person", key: "p1", id: id("HR_Person", "p1") },
      contexts: [{ dimensions: { Department: "SALES" }, origin: "rule", rule: "RoleModel/Context.xml:3", validFrom: "2026-01-02T03:04:05.000Z", validTo: "2027-01-01T00:00:00.000Z" }],
      roles: [
        { role: "Employee", kind: "composite", origin: "rule", rule: "RoleModel/Roles.xml:7", workflowState: "PolicyApproved", validFrom: "2026-01-02T03:04:05.000Z", validTo: null },
        { role: "Sales_Reader", kind: "single", origin: "inferred", rule: "RoleModel/Roles.xml:9", workflowState: "PolicyApproved", validFrom: "2026-01-02T03:04:05.000Z", validTo: null },
        { role: "Auditor", kind: "single", origin: "manual", rule: null, workflowState: "Approved", validFrom: "2026-01-02T03:04:05.000Z", validTo: null },
      ],
      resourceTypes: [{
        resourceType: "AD_Account",
        target: { entityType: "AD_Entry", key: "ada.l", id: id("AD_Entry", "ada.l") },
        correlation: { rule: "RoleModel/Rules.xml:4", confidence: 120 },
        origin: "rule", rule: "RoleModel/AD.xml:12", provisioningState: "Pending",
        values: [
          { property: "mail", policyValue: "p1@example.com", currentValue: "old@example.com", state: "Pending" },
          { property: "memberOf", policyValue: { entityType: "AD_Entry", key: "grp_sales", id: id("AD_Entry", "grp_sales") }, currentValue: null, state: "Pending" },
          { property: "memberOf", policyValue: null, currentValue: { entityType: "AD_Entry", key: "grp_old", id: id("AD_Entry", "grp_old") }, state: "Pending" },
          { property: "description", policyValue: "kept", currentValue: "kept", state: "Verified" },
        ],
      }],
      risks: [{ risk: "Sales_And_Audit", origin: "rule", rule: "RoleModel/Risks.xml:5", workflowState: "PolicyApproved", validFrom: "2026-01-02T03:04:05.000Z", validTo: null }],
    });
  });

  it("finds a rule written without file:line among the deployed items (a rule child at its ResourceType's), one no longer deployed by its kind and identifier", async () => {
    await deployRoleModel(store, []);
    const rules = new RuleLocator(store);
    const columns = (kind: string, identifier: string) => ({ ruleKind: kind, ruleIdentifier: identifier, ruleFile: null, ruleLine: null });
    expect(await rules.ofRow(columns("ScalarRule", "AD_Account/ScalarRule#1"))).toBe(`model.xml:${AD_ACCOUNT_LINE}`);
    expect(await rules.ofRow(columns("ResourceType", "AD_Account"))).toBe(`model.xml:${AD_ACCOUNT_LINE}`);
    expect(await rules.ofRow(columns("SingleRoleRule", "Gone_Rule"))).toBe("SingleRoleRule Gone_Rule");
    expect(await rules.ofRow(columns("ScalarRule", "Gone_Type/ScalarRule#2"))).toBe("ScalarRule Gone_Type/ScalarRule#2");
    expect(await rules.ofRow({ ruleKind: null, ruleIdentifier: null, ruleFile: null, ruleLine: null })).toBeNull();
    expect(await rules.ofRow({ ruleKind: "TypeRule", ruleIdentifier: "AD_Account/TypeRule#1", ruleFile: "Old.xml", ruleLine: 8 })).toBe("Old.xml:8");
    expect(await rules.ofCorrelationRule("not-deployed")).toBe("not-deployed");
  });

  it("lists the owners that hold something, in key order, and shows a named owner holding nothing with empty lists", async () => {
    const seeded = await seedAssignments(store);
    const all = await assignmentReport(store, "HR_Person");
    expect(all.map((o) => o.resource.key)).toEqual(["p1", "p2"]);
    expect(all[1]!.resourceTypes).toEqual([{
      resourceType: "AD_Account", target: null, correlation: null, origin: "rule", rule: "RoleModel/AD.xml:12", provisioningState: "Pending",
      values: [{ property: "sAMAccountName", policyValue: "p2", currentValue: null, state: "Pending" }],
    }]);
    expect(await assignmentReport(store, "HR_Person", "p3")).toEqual([
      { resource: { entityType: "HR_Person", key: "p3", id: seeded.ids.get("HR_Person")!.get("p3")! }, contexts: [], roles: [], resourceTypes: [], risks: [] },
    ]);
    expect(await assignmentReport(store, "AD_Entry")).toEqual([]);
  });

  it("refuses an unknown entity type or key with a did-you-mean", async () => {
    await seedAssignments(store);
    await expect(assignmentReport(store, "HR_Persn")).rejects.toThrow(new UnknownSubjectError("entity-type", "no entity type HR_Persn is deployed", "did you mean HR_Person?"));
    await expect(assignmentReport(store, "HR_Persn")).rejects.toThrow("no entity type HR_Persn is deployed; did you mean HR_Person?");
    await expect(assignmentReport(store, "Nothing_Like_It")).rejects.toThrow(/^no entity type Nothing_Like_It is deployed$/);
    await expect(assignmentReport(store, "HR_Person", "p9")).rejects.toThrow("HR_Person has no resource with the key p9; did you mean p1?");
    await expect(assignmentReport(store, "HR_Person", "zzzzzz")).rejects.toThrow(/^HR_Person has no resource with the key zzzzzz$/);
  });

  it("says nothing is held when the store is empty", async () => {
    await deployRoleModel(store, []);
    expect(await assignmentReport(store, "HR_Person")).toEqual([]);
  });
});

/**
 * BuildRoleModelTask's domain on real databases, with the demo's configuration and directory
 * (demo-role-model-fixture.ts: seven groups GG_AllStaff … GG_SALES, four user accounts) and a
 * RoleMapping added to its role model: one role per matching AD group, rules OR and items AND, the
 * WhereExpression, idempotence, a group gone, a collision with a configured role, the Connector scope,
 * and ComputeRoleModel granting the group to the holders of its generated role.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { buildRoleModel, type BuildRoleModelCounters } from "../../../src/domain/rolemodel/build-role-model.js";
import { readGeneratedRoles } from "../../../src/domain/rolemodel/generated-role-store.js";
import { loadPolicyModel } from "../../../src/domain/rolemodel/policy-loader.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { assignmentsByKeys, computeKeys, deployDemo, groupDn, GROUPS, idsOf, loadDemoData, roleModel } from "./demo-role-model-fixture.js";

const RT = "AD_Entry_NominativeUser";
const CHANGED_AT = { at: new Date("2026-03-01T00:00:00.000Z"), jobInstanceId: 2 };

/** A RoleMapping over the AD groups, its Rule children given, written at the end of RoleModel/RoleModel.xml. */
function mapping(identifier: string, rules: string, attributes = ""): string {
  return `  <RoleMapping Identifier="${identifier}" Policy="Default" Property="AD_Entry:memberOf" ResourceType="${RT}"${attributes ? ` ${attributes}` : ""}>\n${rules}\n  </RoleMapping>\n`;
}

const item = (property: string, operator: string, value: string) => `      <Item Property="AD_Entry:${property}" Operator="${operator}" Value="${value}" />`;
const rule = (...items: string[]) => `    <Rule>\n${items.join("\n")}\n    </Rule>`;

/** One role per group: identifier AD_<sAMAccountName>, display name its sAMAccountName, one approval. */
const AD_GROUPS = mapping("AD_Groups", rule(item("sAMAccountName", "StartWith", "GG_")),
  `IdentifierExpression="C#:g:return &quot;AD_&quot; + g.sAMAccountName;" DisplayNameBinding="sAMAccountName" ApprovalWorkflowType="One"`);

function withXml(xml: string): (roleModel: string) => string {
  return (roleModel) => roleModel.replace("</ConfigurationFile>", `${xml}</ConfigurationFile>`);
}

describe.each(BACKENDS)("BuildRoleModel on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let logged: string[];

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    logged = [];
    await loadDemoData(store);
  });
  afterEach(async () => {
    await db.drop();
  });

  const build = (connector?: string): Promise<{ counters: BuildRoleModelCounters; didWork: boolean }> => buildRoleModel({
    store, connector, jobInstanceId: 1, signal: new AbortController().signal, log: (_level, message) => logged.push(message), progress: () => undefined,
  });
  const identifiers = async () => (await readGeneratedRoles(store)).map((r) => r.identifier);

  it("generates one single role and one NavigationRule per group whose name starts with GG_, named as the mapping says", async () => {
    await deployDemo(store, withXml(AD_GROUPS));
    const { counters, didWork } = await build();
    expect(didWork).toBe(true);
    expect(counters).toMatchObject({ mappings: 1, values: GROUPS.length + 4, matched: GROUPS.length, inserted: GROUPS.length, errors: 0 });
    const roles = await readGeneratedRoles(store);
    expect(roles.map((r) => r.identifier)).toEqual(GROUPS.map((g) => `AD_${g}`).sort());
    const ids = await idsOf(store);
    expect(roles.find((r) => r.identifier === "AD_GG_LEGAL")).toMatchObject({
      roleMapping: "AD_Groups", valueResourceId: ids.get("AD_Entry:group-4"), entityType: "HR_Person", policy: "Default", category: null,
      approvalWorkflowType: "One", implicitApproval: "Inherited", approvalRequired: false, displayName: "GG_LEGAL",
      navigation: { resourceType: RT, property: "memberOf", valueResourceId: ids.get("AD_Entry:group-4"), resourceKey: groupDn("GG_LEGAL") },
    });

    // The policy model holds them beside the configured ones, named after their RoleMapping and where it is written.
    const policy = await loadPolicyModel(store);
    expect(policy.singleRoles.find((r) => r.identifier === "AD_GG_LEGAL")).toEqual({ identifier: "AD_GG_LEGAL", entityType: "HR_Person", policy: "Default", displayName: "GG_LEGAL" });
    const generated = policy.resourceTypes.find((t) => t.identifier === RT)!.navigationRules.filter((r) => r.singleRole === "AD_GG_LEGAL");
    expect(generated).toEqual([expect.objectContaining({
      property: "memberOf", resource: groupDn("GG_LEGAL"), criteria: [], type: "Required", isDenied: false,
      source: { kind: "RoleMapping", identifier: "AD_Groups (generated)", file: "RoleModel/RoleModel.xml", line: expect.any(Number) },
    })]);
  });

  it("matches a value when any Rule holds, and a Rule when all its Items hold", async () => {
    await deployDemo(store, withXml(mapping("Picked", [
      rule(item("sAMAccountName", "StartWith", "gg_"), item("sAMAccountName", "EndWith", "S")),
      rule(item("objectCategory", "Equal", "Person"), item("employeeID", "Equal", "E1")),
      rule(item("sAMAccountName", "Contain", "_FI"), item("sAMAccountName", "NotContain", "FIN")),
    ].join("\n"))));
    expect((await build()).counters).toMatchObject({ matched: 3, inserted: 3, errors: 0 });
    // Without IdentifierBinding/Expression a role is named <RoleMapping>_<key of the value>; the key of an AD_Entry is its dn.
    expect(await identifiers()).toEqual([
      "Picked_CN=Ada Lovelace (E1),OU=Users,DC=demo,DC=local", `Picked_${groupDn("GG_OPS")}`, `Picked_${groupDn("GG_SALES")}`,
    ]);
  });

  it("keeps only the values its WhereExpression accepts", async () => {
    // The reference's example: the part after the first _ has three characters.
    await deployDemo(store, withXml(mapping("Short", rule(item("sAMAccountName", "StartWith", "GG_")),
      `IdentifierBinding="sAMAccountName" WhereExpression="C#:resource:return resource.sAMAccountName?.Split('_')[1].Length == 3;"`)));
    expect((await build()).counters).toMatchObject({ matched: 2, errors: 0 });
    expect(await identifiers()).toEqual(["GG_FIN", "GG_OPS"]);
  });

  it("writes nothing the second time", async () => {
    await deployDemo(store, withXml(AD_GROUPS));
    await build();
    const before = await readGeneratedRoles(store);
    const again = await build();
    expect(again).toEqual({ didWork: false, counters: expect.objectContaining({ matched: GROUPS.length, inserted: 0, updated: 0, deleted: 0 }) });
    expect(await readGeneratedRoles(store)).toEqual(before);
  });

  it("removes the role and rule of a group that is gone or no longer matches, and changes the one renamed", async () => {
    await deployDemo(store, withXml(mapping("AD_Groups", rule(item("sAMAccountName", "StartWith", "GG_")), `IdentifierBinding="dn" DisplayNameBinding="sAMAccountName"`)));
    await build();
    const ids = await idsOf(store);
    const resources = new ResourceStore(store.dataSource.manager);
    await resources.deleteResources([ids.get("AD_Entry:group-6")!], CHANGED_AT);
    await resources.updateResources([
      { id: ids.get("AD_Entry:group-5")!, properties: { dn: groupDn("GG_OPS"), objectGuid: "group-5", sAMAccountName: "XX_OPS", objectCategory: "Group" } },
      { id: ids.get("AD_Entry:group-2")!, properties: { dn: groupDn("GG_HR"), objectGuid: "group-2", sAMAccountName: "GG_People", objectCategory: "Group" } },
    ], CHANGED_AT);
    const { counters, didWork } = await build();
    expect(didWork).toBe(true);
    expect(counters).toMatchObject({ inserted: 0, updated: 1, deleted: 2 });
    const roles = await readGeneratedRoles(store);
    expect(roles.map((r) => r.identifier)).toEqual(["GG_AllStaff", "GG_FIN", "GG_HR", "GG_IT", "GG_LEGAL"].map(groupDn));
    expect(roles.find((r) => r.identifier === groupDn("GG_HR"))!.displayName).toBe("GG_People");
    const rules = (await loadPolicyModel(store)).resourceTypes.find((t) => t.identifier === RT)!.navigationRules.filter((r) => r.source.kind === "RoleMapping");
    expect(rules.map((r) => r.resource)).toEqual(roles.map((r) => r.navigation.resourceKey));
  });

  it("leaves the roles of a mapping that cannot run as they are, and says why", async () => {
    await deployDemo(store, withXml(AD_GROUPS));
    await build();
    const before = await readGeneratedRoles(store);
    await deployDemo(store, withXml(AD_GROUPS.replace('Operator="StartWith"', 'Operator="Like"')));
    expect(await build()).toEqual({ didWork: false, counters: expect.objectContaining({ mappings: 0, deleted: 0, errors: 1 }) });
    expect(logged).toContainEqual(expect.stringMatching(
      /^RoleMapping AD_Groups \(RoleModel\/RoleModel\.xml:\d+\) Rule 1 Item 1: Operator Like is not a QueryComparisonOperator; its generated roles are left as they are$/,
    ));
    expect(await readGeneratedRoles(store)).toEqual(before);
  });

  it("leaves to a configured SingleRole the identifier a generated role would take, with a warning", async () => {
    await deployDemo(store, withXml(`${AD_GROUPS}  <SingleRole Identifier="AD_GG_FIN" DisplayName_L1="Finance group" Policy="Default" EntityType="HR_Person" />\n`));
    const { counters } = await build();
    expect(counters).toMatchObject({ matched: GROUPS.length, inserted: GROUPS.length - 1, collisions: 1, errors: 1 });
    expect(await identifiers()).not.toContain("AD_GG_FIN");
    expect(logged.filter((m) => m.includes("AD_GG_FIN"))).toEqual([
      expect.stringMatching(/^RoleMapping AD_Groups \(RoleModel\/RoleModel\.xml:\d+\): the role AD_GG_FIN it generates for AD_Entry group-1 is a configured SingleRole \(RoleModel\/RoleModel\.xml:\d+\); the configured one is kept$/),
    ]);
    const policy = await loadPolicyModel(store);
    expect(policy.singleRoles.filter((r) => r.identifier === "AD_GG_FIN")).toEqual([{ identifier: "AD_GG_FIN", entityType: "HR_Person", policy: "Default", displayName: "Finance group" }]);
  });

  it("with a Connector applies only the RoleMappings of that connector's resource types", async () => {
    await deployDemo(store, withXml(AD_GROUPS));
    expect(await build("HR")).toEqual({ didWork: false, counters: expect.objectContaining({ mappings: 0, inserted: 0 }) });
    expect(logged).toContain("no RoleMapping applies to a resource type of the connector HR");
    expect((await build("AD")).counters).toMatchObject({ mappings: 1, inserted: GROUPS.length });
    // A run for another connector leaves them as they are.
    expect((await build("HR")).counters).toMatchObject({ deleted: 0 });
    expect(await identifiers()).toHaveLength(GROUPS.length);
  });

  it("lets ComputeRoleModel give the group to the holders of its generated role, and end it once the group is gone", async () => {
    // IT people (E2, E3, E5) hold AD_GG_LEGAL by a rule of the configuration.
    await deployDemo(store, withXml(`${AD_GROUPS}  <SingleRoleRule Role="AD_GG_LEGAL" Policy="Default" D0="IT" />\n`));
    await computeKeys(store);
    await build();
    expect((await roleModel(store)).errors).toBe(0);
    const all = await assignmentsByKeys(store);
    for (const person of ["E2", "E3"]) {
      expect(all[`HR_Person:${person}`]!.filter((r) => r.includes("AD_GG_LEGAL")).map((r) => JSON.parse(r)).map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
        ["single", "AD_GG_LEGAL", "rule", "PolicyApproved"],
      ]);
      expect(all[`HR_Person:${person}`]!.filter((r) => r.includes("AD_Entry:group-4")).map((r) => JSON.parse(r)).map((v) => [v[3], v[4], v[5], v[6], v[7]])).toEqual([
        ["memberOf", "AD_Entry:group-4", null, "Pending", "Added"],
      ]);
    }
    for (const person of ["E1", "E4"]) expect(all[`HR_Person:${person}`]!.some((r) => r.includes("AD_GG_LEGAL") || r.includes("group-4")), person).toBe(false);
    const value = await store.dataSource.query(`SELECT DISTINCT rule_kind, rule_identifier FROM idm_assigned_values WHERE policy_value = '${(await idsOf(store)).get("AD_Entry:group-4")}'`);
    expect(value).toEqual([{ rule_kind: "RoleMapping", rule_identifier: "AD_Groups (generated)" }]);

    // The group leaves the directory: its role and rule go, and the next ComputeRoleModel takes the membership back.
    await new ResourceStore(store.dataSource.manager).deleteResources([(await idsOf(store)).get("AD_Entry:group-4")!], CHANGED_AT);
    expect((await build()).counters).toMatchObject({ deleted: 1 });
    // The three role assignments and the three memberships end (historized), nothing is inserted.
    expect(await roleModel(store)).toMatchObject({ inserted: 0, updated: 0, ended: 6, errors: 0 });
    const after = await assignmentsByKeys(store);
    for (const person of ["E2", "E3", "E5"]) {
      expect(after[`HR_Person:${person}`]!.some((r) => r.includes("AD_GG_LEGAL") || r.includes("group-4") || r.includes("?")), person).toBe(false);
    }
  });
});

/**
 * ComputeRoleModelTask's domain on real databases, with the demo's own role model
 * (conf-samples/demo/RoleModel) over a small HR and directory: roles by department and the inferred
 * AllStaff, the account's values and groups, correlation by employee id, Verified where the AD
 * entry holds the value and Pending where not, a creation for the person without an account;
 * idempotence; Dirty equals Complete on the changed identities.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { decodeProperties } from "../../../src/domain/resources/properties.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { assignmentsByKeys, computeKeys, deployDemo, idsOf, loadDemoData, PEOPLE, roleModel } from "./demo-role-model-fixture.js";

const row = (...fields: unknown[]) => JSON.stringify(fields);
const RT = "AD_Entry_NominativeUser";
const CHANGED_AT = { at: new Date("2026-03-01T00:00:00.000Z"), jobInstanceId: 2 };

describe.each(BACKENDS)("ComputeRoleModel with the demo's role model on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  const opened: TestDatabase[] = [];

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    opened.push(db);
    store = await db.open();
    await deployDemo(store);
    await loadDemoData(store);
    await computeKeys(store);
  });
  afterEach(async () => {
    for (const d of opened.splice(0)) await d.drop();
  });

  it("assigns roles by department, infers AllStaff, correlates by employee id and says what the directory lacks", async () => {
    const counters = await roleModel(store, { batchSize: 2 });
    expect(counters).toMatchObject({ owners: 5, roles: 15, resourceTypes: 5, errors: 0 });
    const all = await assignmentsByKeys(store);

    const e1 = all["HR_Person:E1"]!;
    expect(e1).toContain(row("context", { 0: "FIN" }, "2020-01-01T00:00:00.000Z", null));
    expect(e1.filter((r) => r.startsWith('["role"')).map((r) => JSON.parse(r)).map((r) => [r[1], r[2], r[3], r[4], r[6], r[7]])).toEqual([
      ["composite", "Employee", "rule", "PolicyApproved", "2020-01-01T00:00:00.000Z", null],
      ["single", "AllStaff", "inferred", "PolicyApproved", "2020-01-01T00:00:00.000Z", null],
      ["single", "Department_FIN", "rule", "PolicyApproved", "2020-01-01T00:00:00.000Z", null],
    ]);
    // E1's account holds everything: correlated, Verified, every value Verified.
    expect(e1).toContain(row("type", RT, "AD_Entry:guid-E1", true, 100, "Verified", null, "2020-01-01T00:00:00.000Z", null));
    const e1Values = e1.filter((r) => r.startsWith('["value"')).map((r) => JSON.parse(r));
    expect(e1Values.map((v) => [v[3], v[4], v[6]])).toEqual([
      ["memberOf", "AD_Entry:group-0", "Verified"], ["memberOf", "AD_Entry:group-1", "Verified"],
      ["displayName", "Ada Lovelace", "Verified"], ["dn", "CN=Ada Lovelace (E1),OU=Users,DC=demo,DC=local", "Verified"], ["employeeID", "E1", "Verified"], ["mail", "ada.lovelace@example.com", "Verified"], ["userAccountControl", "512", "Verified"],
    ]);

    // E2 is disabled: its userAccountControl is to modify, so the assignment waits for a Modified order.
    const e2 = all["HR_Person:E2"]!;
    expect(e2).toContain(row("type", RT, "AD_Entry:guid-E2", true, 100, "Pending", null, "2020-01-01T00:00:00.000Z", null));
    expect(e2).toContain(row("value", RT, "scalar", "userAccountControl", "512", "514", "Pending", "Modified", "2020-01-01T00:00:00.000Z", null));
    // E3's mail is stale.
    expect(all["HR_Person:E3"]!).toContain(row("value", RT, "scalar", "mail", "grace.hopper@example.com", "g.hopper@old.example.com", "Pending", "Modified", "2020-01-01T00:00:00.000Z", null));
    // E4 is in no group: both memberships are to add.
    const e4Groups = all["HR_Person:E4"]!.filter((r) => r.includes('"memberOf"')).map((r) => JSON.parse(r));
    expect(e4Groups.map((v) => [v[4], v[5], v[6], v[7]])).toEqual([["AD_Entry:group-0", null, "Pending", "Added"], ["AD_Entry:group-1", null, "Pending", "Added"]]);
    // E5 has no account: a creation, its values all to add.
    const e5 = all["HR_Person:E5"]!;
    expect(e5).toContain(row("type", RT, null, false, null, "Pending", "Added", "2020-01-01T00:00:00.000Z", null));
    // GROUPS[3] is GG_IT.
    expect(e5.filter((r) => r.startsWith('["value"')).map((r) => JSON.parse(r)).map((v) => [v[3], v[4], v[6], v[7]])).toEqual([
      ["memberOf", "AD_Entry:group-0", "Pending", "Added"], ["memberOf", "AD_Entry:group-3", "Pending", "Added"],
      ["displayName", "Barbara Liskov", "Pending", "Added"], ["dn", "CN=Barbara Liskov (E5),OU=Users,DC=demo,DC=local", "Pending", "Added"], ["employeeID", "E5", "Pending", "Added"], ["mail", "barbara.liskov@example.com", "Pending", "Added"], ["userAccountControl", "512", "Pending", "Added"],
    ]);
  });

  it("matches a QueryRule's source side with its target side: the manager's account found by employee id", async () => {
    const query = await backend.create("ComputeRoleModel QueryRule");
    opened.push(query);
    const other = await query.open();
    await deployDemo(other, (xml) => xml.replace(
      "  </ResourceType>",
      `    <QueryRule Property="manager" SourceExpression="CEL:resource.Manager.EmployeeId" TargetBinding="employeeID" TargetMatchedConfidenceLevel="100" />\n  </ResourceType>`,
    ));
    await loadDemoData(other);
    const ids = await idsOf(other);
    // E1 manages E2 (HR_Person_Manager: Property1 DirectReports, Property2 Manager).
    await new ResourceStore(other.dataSource.manager).insertLinks([{ association: "HR_Person_Manager", fromResourceId: ids.get("HR_Person:E1")!, toResourceId: ids.get("HR_Person:E2")! }], CHANGED_AT);
    await computeKeys(other);
    expect(await roleModel(other)).toMatchObject({ errors: 0 });
    const all = await assignmentsByKeys(other);
    expect(all["HR_Person:E2"]!.filter((r) => r.includes('"manager"'))).toEqual([
      row("value", RT, "navigation", "manager", "AD_Entry:guid-E1", null, "Pending", "Added", "2020-01-01T00:00:00.000Z", null),
    ]);
    // Nobody manages the others: no manager value.
    for (const person of ["E1", "E3", "E4", "E5"]) expect(all[`HR_Person:${person}`]!.some((r) => r.includes('"manager"')), person).toBe(false);
  });

  it("says what the engine finds wrong in the policy: a property both NavigationRules and a QueryRule fill", async () => {
    const query = await backend.create("ComputeRoleModel policy warnings");
    opened.push(query);
    const other = await query.open();
    await deployDemo(other, (xml) => xml.replace(
      "  </ResourceType>",
      `    <QueryRule Property="memberOf" SourceExpression="CEL:&quot;GG_&quot; + resource.Department.Code" TargetBinding="sAMAccountName" TargetMatchedConfidenceLevel="100" />\n  </ResourceType>`,
    ));
    await loadDemoData(other);
    const logged: string[] = [];
    const counters = await roleModel(other, { log: (_level, message) => logged.push(message) });
    expect(counters.errors).toBe(1);
    expect(logged.filter((m) => m.includes("is filled by navigation rules and query rules; the navigation rules are used"))).toHaveLength(1);
  });

  it("warns about a NavigationRule naming a group the directory does not have, stores nothing for it, and stays silent the second time", async () => {
    const missing = await backend.create("ComputeRoleModel missing group");
    opened.push(missing);
    const other = await missing.open();
    await deployDemo(other, (xml) => xml.replace(
      "  </ResourceType>",
      `    <NavigationRule Property="memberOf" Resource="CN=GG_Nowhere,OU=Groups,DC=demo,DC=local" SingleRole="AllStaff" />\n  </ResourceType>`,
    ));
    await loadDemoData(other);
    await computeKeys(other);
    const logged: string[] = [];
    // Batches of 2 people: three batches name the group, one warning.
    const first = await roleModel(other, { batchSize: 2, log: (_level, message) => logged.push(message) });
    expect(first.errors).toBe(1);
    expect(logged).toContain("no AD_Entry has the key CN=GG_Nowhere,OU=Groups,DC=demo,DC=local: a NavigationRule names it, the value is not provisioned");
    expect(Object.values(await assignmentsByKeys(other)).flat().filter((r) => r.includes("GG_Nowhere") || r.includes('"memberOf",null'))).toEqual([]);
    expect(await roleModel(other)).toMatchObject({ inserted: 0, updated: 0, ended: 0, deleted: 0 });
  });

  it("gives no context, hence no role and no account, to a person the ContextRule's ExcludeExpression excludes", async () => {
    const excluding = await backend.create("ComputeRoleModel ExcludeExpression");
    opened.push(excluding);
    const other = await excluding.open();
    await deployDemo(other, (xml) => xml.replace('ResourcesEndBinding="ContractEndDate"', 'ResourcesEndBinding="ContractEndDate" ExcludeExpression="CEL:resource.LastName == &quot;Liskov&quot;"'));
    await loadDemoData(other);
    await computeKeys(other);
    expect(await roleModel(other)).toMatchObject({ errors: 0 });
    const all = await assignmentsByKeys(other);
    expect(all["HR_Person:E5"]).toEqual([]);
    expect(all["HR_Person:E4"]!.filter((r) => r.startsWith('["role"'))).toHaveLength(3);
  });

  it("writes nothing the second time", async () => {
    await roleModel(store);
    const before = await assignmentsByKeys(store);
    const again = await roleModel(store, { batchSize: 3 });
    expect(again).toMatchObject({ owners: 5, inserted: 0, updated: 0, ended: 0, deleted: 0 });
    expect(await assignmentsByKeys(store)).toEqual(before);
  });

  it("in Dirty mode gives the changed identities what a Complete run from scratch gives them", async () => {
    await roleModel(store);
    const change = async (s: Store, dirty: boolean) => {
      const resources = new ResourceStore(s.dataSource.manager);
      const ids = await idsOf(s);
      const people = new Map((await resources.resourcesByIds([ids.get("HR_Person:E1")!, ids.get("HR_Person:E3")!])).map((r) => [r.sourceKey, decodeProperties(r.properties)]));
      await resources.updateResources([
        // E1 leaves at the end of the month; E3 changes her name.
        { id: ids.get("HR_Person:E1")!, properties: { ...people.get("E1")!, ContractEndDate: "2026-06-30T00:00:00.000Z" } },
        { id: ids.get("HR_Person:E3")!, properties: { ...people.get("E3")!, LastName: "Murray Hopper", Email: "grace.murray-hopper@example.com" } },
      ], CHANGED_AT, dirty);
    };
    await change(store, true);
    const dirty = await roleModel(store, { dirty: true });
    expect(dirty.owners).toBe(2);

    const fresh = await backend.create("ComputeRoleModel Dirty reference");
    opened.push(fresh);
    const reference = await fresh.open();
    await deployDemo(reference);
    await loadDemoData(reference);
    await change(reference, false);
    await computeKeys(reference);
    await roleModel(reference);

    const got = await assignmentsByKeys(store);
    const want = await assignmentsByKeys(reference);
    for (const person of PEOPLE) expect(got[`HR_Person:${person.id}`], person.id).toEqual(want[`HR_Person:${person.id}`]);
    // The change shows: E1's roles end with her contract, E3's display name is to modify.
    expect(got["HR_Person:E1"]!.filter((r) => r.startsWith('["role"')).every((r) => r.endsWith('"2026-06-30T00:00:00.000Z"]'))).toBe(true);
    expect(got["HR_Person:E3"]!).toContain(row("value", RT, "scalar", "displayName", "Grace Murray Hopper", "Grace Hopper", "Pending", "Modified", "2020-01-01T00:00:00.000Z", null));
  });
});

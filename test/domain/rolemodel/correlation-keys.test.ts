/**
 * ComputeCorrelationKeysTask on real databases: owner and target keys of each rule (Binding,
 * function, C#, through a navigation), no key for no value, exact keys, idempotence, Dirty mode
 * (dirty resources and those navigating to one), the TaskEntityType scope, retired rules, and the
 * warnings for rules that cannot run and keys that fail.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../../src/config/coerce-attribute.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import { bindingPath } from "../../../src/domain/rolemodel/role-model-items.js";
import type { Store } from "../../../src/store/store.js";
import handler from "../../../src/tasks/compute-correlation-keys.js";
import type { TaskSnapshot } from "../../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { BY_DEPARTMENT, BY_EMPLOYEE_ID, BY_MAIL, deployRoleModel, insertResources, ruleLines, storedRule, T0, type RuleLine } from "./role-model-fixture.js";

function task(attributes: Record<string, AttributeValue> = {}, entityTypes: string[] = []): TaskSnapshot {
  return taskSnapshot({
    identifier: "CCK", type: "ComputeCorrelationKeysTask",
    attributes: { AllEntityType: entityTypes.length === 0, BatchSize: 0, Dirty: false, ...attributes },
    entityTypes,
  });
}

afterEach(() => removeTaskWorkspaces());

describe("bindings", () => {
  it("name properties from the element's entity type: type prefixes are dropped", () => {
    expect(bindingPath("Directory_User:MainRecord.Login")).toBe("MainRecord.Login");
    expect(bindingPath("AssignedResourceType:Owner.User:FirstName")).toBe("Owner.FirstName");
    expect(bindingPath("EmployeeId")).toBe("EmployeeId");
    expect(bindingPath(" ")).toBeUndefined();
    expect(bindingPath(undefined)).toBeUndefined();
  });
});

describe.each(BACKENDS)("ComputeCorrelationKeysTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;
  let assignments: AssignmentStore;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
    assignments = new AssignmentStore(store.dataSource.manager);
  });
  afterEach(async () => {
    await db.drop();
  });

  /** Every stored key as "<source key> <side> <rule line> <value>", sorted. */
  async function keys(ids: Map<string, Map<string, number>>): Promise<string[]> {
    const keyOf = new Map<number, string>();
    for (const byKey of ids.values()) for (const [key, id] of byKey) keyOf.set(id, key);
    const rows = await assignments.keysOf([...keyOf.keys()]);
    const lines = await ruleLines(store, "ResourceCorrelationRule");
    return rows.map((k) => `${keyOf.get(k.resourceId)} ${k.side} ${lines.get(k.ruleIdentifier) ?? k.ruleIdentifier} ${k.keyValue}`).sort();
  }

  /** The identifier of the deployed rule written on that line. */
  async function identifierOf(rule: RuleLine): Promise<string> {
    const found = [...(await ruleLines(store, "ResourceCorrelationRule"))].find(([, line]) => line === rule.line);
    if (!found) throw new Error(`no rule on line ${rule.line}`);
    return found[0];
  }

  const DATA = {
    departments: ["SALES", "IT"],
    people: [
      { login: "ada", employeeId: "E1", mail: "Ada@Example.com", department: "SALES" },
      { login: "bob", employeeId: "E2", department: "IT" },
      { login: "carl", mail: "" },
    ],
    accounts: [
      { name: "ada.l", employeeId: "E1", mail: "ada@example.com", description: "SALES" },
      { name: "b.stone", employeeId: "e2", description: "" },
      { name: "svc_backup" },
    ],
  };

  it("stores the owner and target keys of every rule: Binding, C#, through a navigation; no value and empty text are no key", async () => {
    await deployRoleModel(store, [BY_EMPLOYEE_ID, BY_MAIL, BY_DEPARTMENT]);
    const ids = await insertResources(store, DATA);
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Warning", didWork: true, counters: { resources: 6, changed: 4, keys: 9, errors: 1, retired: 0 } });
    expect(await keys(ids)).toEqual([
      "ada owner 4 E1", "ada owner 5 ada@example.com", "ada owner 6 SALES", "ada.l target 4 E1", "ada.l target 5 ada@example.com", "ada.l target 6 SALES",
      "b.stone target 4 e2", "bob owner 4 E2", "bob owner 6 IT",
    ]);
    // bob has no Mail: `p.Mail.ToLower()` throws, a warning, and no mail key; carl's empty Mail gives the empty text, no key either.
    expect(ws.lines("Warning")).toEqual([
      expect.stringMatching(/^HR_Person bob: ResourceCorrelationRule at RoleModel\/Rules\.xml:5 \(owner key\) failed: NullReferenceException/),
    ]);
    expect(result.message).toBe("1 correlation keys could not be computed (see the warnings): those resources have no key for that rule");
    // Keys compare exactly: "E2" and "e2" do not correlate.
    const people = ids.get("HR_Person")!;
    const accounts = ids.get("AD_Entry")!;
    expect(await assignments.correlationMatches("AD_Account", [people.get("ada")!, people.get("bob")!])).toEqual([
      { ownerId: people.get("ada")!, targetId: accounts.get("ada.l")!, ruleIdentifier: await identifierOf(BY_DEPARTMENT) },
      { ownerId: people.get("ada")!, targetId: accounts.get("ada.l")!, ruleIdentifier: await identifierOf(BY_EMPLOYEE_ID) },
      { ownerId: people.get("ada")!, targetId: accounts.get("ada.l")!, ruleIdentifier: await identifierOf(BY_MAIL) },
    ]);
  });

  if (backend.name === "postgres") {
    it("refreshes the planner's statistics of idm_correlation_keys after replacing the keys of 10,000 resources, so that the role model's join seeks the key index", async () => {
      await deployRoleModel(store, [BY_EMPLOYEE_ID]);
      const tuples = async () => Number((await store.dataSource.query<{ n: number }[]>("SELECT reltuples AS n FROM pg_class WHERE oid = 'idm_correlation_keys'::regclass"))[0]!.n);
      const people = (from: number, to: number) => ({ people: Array.from({ length: to - from }, (_, i) => ({ login: `p${from + i}`, employeeId: `E${from + i}` })) });
      await insertResources(store, people(0, 9_999));
      expect((await handler.run(ws.context, task())).counters).toMatchObject({ changed: 9_999 });
      expect(await tuples()).toBeLessThan(1);
      await insertResources(store, people(9_999, 20_000));
      expect((await handler.run(ws.context, task())).counters).toMatchObject({ changed: 10_001 });
      expect(await tuples()).toBe(20_000);
    });
  }

  it("writes nothing the second time, and only the keys of a resource whose value changed", async () => {
    await deployRoleModel(store, [BY_EMPLOYEE_ID, BY_DEPARTMENT]);
    const ids = await insertResources(store, DATA);
    await handler.run(ws.context, task());
    const before = await assignments.keysOf([...ids.get("HR_Person")!.values()]);
    const again = await handler.run(ws.context, task());
    expect(again).toMatchObject({ state: "Succeeded", didWork: false, counters: { resources: 6, changed: 0, keys: 7 } });
    expect(await assignments.keysOf([...ids.get("HR_Person")!.values()])).toEqual(before);

    const resources = new ResourceStore(store.dataSource.manager);
    await resources.updateResources([{ id: ids.get("HR_Person")!.get("bob")!, properties: { Login: "bob", EmployeeId: "E22" } }], { at: T0, jobInstanceId: 2 });
    const third = await handler.run(ws.context, task());
    expect(third).toMatchObject({ didWork: true, counters: { changed: 1 } });
    expect(await keys(ids)).toContain("bob owner 4 E22");
    // ada's keys were not rewritten: same rows, same ids.
    const ada = ids.get("HR_Person")!.get("ada")!;
    expect(await assignments.keysOf([ada])).toEqual(before.filter((k) => k.resourceId === ada));
  });

  it("in Dirty mode computes the dirty resources and those whose rules navigate to a dirty one, and equals a Complete run", async () => {
    await deployRoleModel(store, [BY_EMPLOYEE_ID, BY_DEPARTMENT]);
    const ids = await insertResources(store, DATA);
    await handler.run(ws.context, task());
    const resources = new ResourceStore(store.dataSource.manager);
    const people = ids.get("HR_Person")!;
    const it = ids.get("HR_Department")!.get("IT")!;
    // The IT department is renamed (its people's department keys change) and carl gets an employee id; both dirty.
    await resources.updateResources([{ id: it, properties: { Code: "TECH" } }], { at: T0, jobInstanceId: 2 }, true);
    await resources.updateResources([{ id: people.get("carl")!, properties: { Login: "carl", EmployeeId: "E3" } }], { at: T0, jobInstanceId: 2 }, true);

    const dirty = await handler.run(ws.context, task({ Dirty: true }));
    expect(dirty).toMatchObject({ state: "Succeeded", didWork: true, counters: { resources: 2, changed: 2 } });
    const afterDirty = await keys(ids);
    expect(afterDirty).toEqual(expect.arrayContaining(["bob owner 6 TECH", "carl owner 4 E3"]));
    expect(afterDirty).not.toContain("bob owner 6 IT");

    const complete = await handler.run(ws.context, task());
    expect(complete).toMatchObject({ counters: { resources: 6, changed: 0 } });
    expect(await keys(ids)).toEqual(afterDirty);
  });

  it("computes the TaskEntityType list only, and says so for a listed type no rule reads", async () => {
    await deployRoleModel(store, [BY_EMPLOYEE_ID]);
    const ids = await insertResources(store, DATA);
    const result = await handler.run(ws.context, task({}, ["AD_Entry", "HR_Department"]));
    expect(result).toMatchObject({ state: "Succeeded", counters: { resources: 3, keys: 2 } });
    expect(await keys(ids)).toEqual(["ada.l target 4 E1", "b.stone target 4 e2"]);
    expect(ws.lines("Information")).toContain("HR_Department: no correlation rule reads this entity type, no key to compute");
    expect(await handler.run(ws.context, task({ AllEntityType: false }))).toEqual({
      state: "Error", didWork: false, message: `ComputeCorrelationKeysTask CCK names no entity type: set AllEntityType="true" or add TaskEntityType children`,
    });
  });

  it("removes the keys of a rule no longer deployed (Complete), and leaves them to a Dirty run", async () => {
    await deployRoleModel(store, [BY_EMPLOYEE_ID, BY_DEPARTMENT]);
    const ids = await insertResources(store, DATA);
    await handler.run(ws.context, task());
    const retired = await identifierOf(BY_DEPARTMENT);
    await deployRoleModel(store, [BY_EMPLOYEE_ID]);
    expect(await handler.run(ws.context, task({ Dirty: true }))).toMatchObject({ didWork: false, counters: { retired: 0 } });
    expect((await keys(ids)).filter((k) => k.includes(retired))).toHaveLength(3);
    // A Complete run of the accounts only: the people's keys of the rule go too.
    const complete = await handler.run(ws.context, task({}, ["AD_Entry"]));
    expect(complete).toMatchObject({ didWork: true, counters: { resources: 3, retired: 1 } });
    expect(await keys(ids)).toEqual(["ada owner 4 E1", "ada.l target 4 E1", "b.stone target 4 e2", "bob owner 4 E2"]);
    expect(ws.lines("Information")).toContain(`keys of AD_Account rule ${retired} removed: the rule is no longer deployed`);
  });

  it("warns about rules that cannot run and keys too long to index, and leaves them out", async () => {
    const noTarget = { line: 7, xml: `<ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceBinding="Login" />` };
    const unknownType = storedRule("ResourceCorrelationRule", { ResourceType: "SAP_Account", Policy: "Default", SourceBinding: "Login", TargetBinding: "x", SourceMatchedConfidenceLevel: 0 }, 8);
    const badProperty = { line: 9, xml: `<ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceBinding="Nope" TargetBinding="mail" />` };
    const long = { line: 10, xml: `<ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceExpression="C#:p:return p.Login.PadRight(406, 'x');" TargetBinding="mail" />` };
    await deployRoleModel(store, [noTarget, badProperty, long], { items: [unknownType] });
    await insertResources(store, { people: [{ login: "ada" }] });
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Warning", counters: { resources: 1, keys: 1, errors: 1 } });
    expect(ws.lines("Warning")).toEqual([
      // Rules in file order: the rule an older deploy stored (in RoleModel/Old.xml) first.
      "ResourceCorrelationRule at RoleModel/Old.xml:8: ResourceType SAP_Account is not deployed; the rule has no keys",
      "ResourceCorrelationRule at RoleModel/Rules.xml:7: no TargetBinding or TargetExpression; no target keys",
      expect.stringMatching(/^ResourceCorrelationRule at RoleModel\/Rules\.xml:9 owner key: resource\.Nope does not resolve on HR_Person; no owner keys$/),
      "HR_Person ada: ResourceCorrelationRule at RoleModel/Rules.xml:10 (owner key) is 406 characters long, over the 405 a key may have: left out",
    ]);
  });
});

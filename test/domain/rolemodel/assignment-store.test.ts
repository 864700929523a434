import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HeldChanges } from "../../../src/domain/blocked-changes.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { ruleAt, ruleColumns, ruleOf, type NewContext, type NewOrder, type NewResourceType, type NewRole, type NewValueOfType } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore, pendingChange } from "../../../src/domain/rolemodel/assignment-store.js";
import { PROVISIONING_ORDERS } from "../../../src/domain/rolemodel/order-queries.js";
import * as q from "../../../src/domain/rolemodel/assignment-queries.js";
import * as k from "../../../src/domain/rolemodel/key-queries.js";
import * as o from "../../../src/domain/rolemodel/order-queries.js";
import { offlineMssqlStore, type Store } from "../../../src/store/store.js";
import { statement } from "../../helpers/sql-statement.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";

const T0 = new Date("2026-01-02T03:04:05.678Z");
const T1 = new Date("2026-02-01T00:00:00.000Z");
const T2 = new Date("2026-03-01T00:00:00.000Z");
const FAR = new Date("2079-06-06T00:00:00.000Z");

const byRule = (identifier: string, line: number) => ruleColumns({ kind: "SingleRoleRule", identifier, file: "Roles.xml", line });

function role(ownerId: number, name: string, over: Partial<NewRole> = {}): NewRole {
  return {
    ownerId, role: name, kind: "single", origin: "rule", ...byRule(`Role=${name}`, 12), workflowState: "PolicyApproved", validFrom: T0, validTo: null,
    parameters: null, ...over,
  };
}

function value(property: string, policyValue: string | null, over: Partial<NewValueOfType> = {}): NewValueOfType {
  return {
    property, kind: "scalar", provisioningState: "Pending", changeType: "Added", confidence: null, questioned: false, origin: "rule", ...ruleColumns({ kind: "ScalarRule", identifier: `AD_Account/${property}`, file: "AD.xml", line: 30 }),
    workflowState: "PolicyApproved", validFrom: T0, validTo: null, policyValue, currentValue: null, ...over,
  };
}

function account(ownerId: number | null, over: Partial<NewResourceType> = {}): NewResourceType {
  return {
    ownerId, resourceType: "AD_Account", targetId: null, correlationRule: null, confidence: null, provisioningState: "Pending", changeType: "Added", heldBack: null,
    origin: "rule", ...ruleColumns({ kind: "TypeRule", identifier: "AD_Account/TypeRule#1", file: "AD.xml", line: 28 }), workflowState: "PolicyApproved",
    validFrom: T0, validTo: null, parameters: null, values: [value("sAMAccountName", `user${ownerId}`), value("mail", `u${ownerId}@example.com`)], ...over,
  };
}

function context(ownerId: number): NewContext {
  return {
    ownerId, dimensions: JSON.stringify({ Department: "SALES" }), origin: "rule", ...ruleColumns({ kind: "ContextRule", identifier: "Ctx_User", file: "Ctx.xml", line: 3 }),
    workflowState: "PolicyApproved", validFrom: T0, validTo: FAR,
  };
}

async function all<Row>(pages: AsyncGenerator<Row[]>): Promise<Row[][]> {
  const result: Row[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

describe("rule references", () => {
  it("are four columns, all null for an assignment no rule made, and read back as file:line", () => {
    const columns = ruleColumns({ kind: "TypeRule", identifier: "AD/TypeRule#1", file: "AD.xml", line: 28 });
    expect(columns).toEqual({ ruleKind: "TypeRule", ruleIdentifier: "AD/TypeRule#1", ruleFile: "AD.xml", ruleLine: 28 });
    expect(ruleOf(columns)).toEqual({ kind: "TypeRule", identifier: "AD/TypeRule#1", file: "AD.xml", line: 28 });
    expect(ruleAt(columns)).toBe("AD.xml:28");
    expect(ruleColumns(null)).toEqual({ ruleKind: null, ruleIdentifier: null, ruleFile: null, ruleLine: null });
    expect(ruleOf(ruleColumns(null))).toBeNull();
    expect(ruleAt(ruleColumns({ kind: "TypeRule", identifier: "x" }))).toBeUndefined();
  });
});

describe.each(BACKENDS)("assignment store on %s", (_, backend) => {
  let db: TestDatabase;
  let opened: Store;
  let store: AssignmentStore;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    opened = await db.open();
    store = new AssignmentStore(opened.dataSource.manager);
  });
  afterEach(async () => {
    await db.drop();
  });

  const job7 = { at: T0, jobInstanceId: 7 };

  it("writes a delta of every family in one call and reads an owner batch back, values under their resource type", async () => {
    const result = await store.writeDelta({
      contexts: { insert: [context(1)] },
      roles: { insert: [role(1, "VPN"), role(1, "Sales", { kind: "composite", parameters: '{"Region":"EU"}' }), role(2, "VPN")] },
      resourceTypes: { insert: [account(1), account(2, { values: [] })] },
      risks: { insert: [{ ownerId: 1, risk: "SoD_Pay", ruleIndex: 0, origin: "rule", ...ruleColumns({ kind: "Risk", identifier: "SoD_Pay" }), workflowState: "None", validFrom: null, validTo: null }] },
    }, job7);
    expect(result.resourceTypeIds).toEqual([1, 2]);
    expect(result.inserted).toEqual({ context: 1, role: 3, "resource-type": 2, value: 2, risk: 1 });

    const owners = await store.readOwners([1, 2, 3]);
    expect([...owners.keys()]).toEqual([1, 2, 3]);
    const one = owners.get(1)!;
    expect(one.contexts).toEqual([{ id: 1, ...context(1), updatedByJobInstance: 7 }]);
    expect(one.roles).toEqual([{ id: 1, ...role(1, "VPN"), updatedByJobInstance: 7 }, { id: 2, ...role(1, "Sales", { kind: "composite", parameters: '{"Region":"EU"}' }), updatedByJobInstance: 7 }]);
    const { values, ...type } = account(1);
    expect(one.resourceTypes).toEqual([{
      id: 1, ...type, updatedByJobInstance: 7,
      values: values!.map((v, i) => ({ id: i + 1, assignedResourceTypeId: 1, ...v, updatedByJobInstance: 7 })),
    }]);
    expect(one.risks.map((r) => [r.risk, r.ruleIndex, r.ruleKind, r.ruleFile])).toEqual([["SoD_Pay", 0, "Risk", null]]);
    expect(owners.get(2)!.resourceTypes.map((t) => [t.id, t.values])).toEqual([[2, []]]);
    expect(owners.get(3)).toEqual({ contexts: [], roles: [], resourceTypes: [], risks: [] });
    expect(ruleAt(one.roles[0]!)).toBe("Roles.xml:12");
  });

  it("reserves resource type ids in blocks: consecutive within a delta, never reused by the next", async () => {
    const first = await store.writeDelta({ resourceTypes: { insert: [account(1), account(2), account(3)] } }, job7);
    const second = await store.writeDelta({ resourceTypes: { insert: [account(4)] }, values: { insert: [{ ...value("extra", "x"), assignedResourceTypeId: 2 }] } }, job7);
    expect(first.resourceTypeIds).toEqual([1, 2, 3]);
    expect(second.resourceTypeIds).toEqual([4]);
    expect((await store.resourceTypesByIds([2]))[0]!.values.map((v) => v.property)).toEqual(["sAMAccountName", "mail", "extra"]);
  });

  it("rolls a failed delta back whole: nothing written, no id used", async () => {
    await expect(store.writeDelta({
      roles: { insert: [role(1, "VPN")] },
      resourceTypes: { insert: [account(1)] },
      // A value of a resource type assignment that does not exist: the foreign key refuses it.
      values: { insert: [{ ...value("mail", "x"), assignedResourceTypeId: 999 }] },
    }, job7)).rejects.toThrow();
    expect(await store.readOwners([1])).toEqual(new Map([[1, { contexts: [], roles: [], resourceTypes: [], risks: [] }]]));
    expect((await store.writeDelta({ resourceTypes: { insert: [account(1)] } }, job7)).resourceTypeIds).toEqual([1]);
  });

  it("historizes what it updates or deletes: the version replaced, with its owner, unless told not to", async () => {
    await store.writeDelta({ roles: { insert: [role(1, "VPN"), role(1, "Mail")] }, resourceTypes: { insert: [account(1)] } }, job7);
    const before = (await store.readOwners([1])).get(1)!;

    const result = await store.writeDelta({
      roles: { update: [{ id: 1, set: { validTo: T2, workflowState: "Approved" } }, { id: 2, set: { validTo: T2, workflowState: "Approved" } }] },
      resourceTypes: { delete: [1] },
    }, { at: T1, jobInstanceId: 8 });
    expect(result.updated.role).toBe(2);
    expect(result.deleted).toEqual({ context: 0, role: 0, "resource-type": 1, value: 2, risk: 0 });

    const after = (await store.readOwners([1])).get(1)!;
    expect(after.roles.map((r) => [r.role, r.validTo, r.workflowState, r.updatedByJobInstance])).toEqual([["VPN", T2, "Approved", 8], ["Mail", T2, "Approved", 8]]);
    expect(after.resourceTypes).toEqual([]);

    const history = await store.ownerHistory(1);
    expect(history.map((h) => [h.family, h.rowId, h.operation, h.archivedAt, h.archivedByJobInstance])).toEqual([
      ["value", 1, "delete", T1, 8], ["value", 2, "delete", T1, 8], ["resource-type", 1, "delete", T1, 8], ["role", 1, "update", T1, 8], ["role", 2, "update", T1, 8],
    ]);
    expect(JSON.parse(history[3]!.previous)).toEqual(JSON.parse(JSON.stringify(before.roles[0])));
    expect(JSON.parse(history[0]!.previous)).toMatchObject({ property: "sAMAccountName", policyValue: "user1", assignedResourceTypeId: 1 });
    expect((await store.history("role", 1)).map((h) => h.operation)).toEqual(["update"]);

    await store.writeDelta({ roles: { update: [{ id: 1, set: { validTo: FAR } }], delete: [2] } }, { at: T2, jobInstanceId: 9, historize: false });
    expect(await store.ownerHistory(1)).toHaveLength(5);
    expect((await store.readOwners([1])).get(1)!.roles.map((r) => [r.role, r.validTo])).toEqual([["VPN", FAR]]);
  });

  it("ends expired rows: their last version, with its end, goes to the history; an ended resource type assignment ends its values", async () => {
    await store.writeDelta({ roles: { insert: [role(1, "VPN"), role(1, "Mail")] }, resourceTypes: { insert: [account(1), account(1, { resourceType: "SAP_Account" })] } }, job7);
    const result = await store.writeDelta({ roles: { end: [{ id: 2, validTo: T1 }] }, resourceTypes: { end: [{ id: 1, validTo: T2 }], delete: [2] } }, { at: T2, jobInstanceId: 8 });
    expect(result.ended).toEqual({ context: 0, role: 1, "resource-type": 1, value: 2, risk: 0 });
    expect(result.deleted).toEqual({ context: 0, role: 0, "resource-type": 1, value: 2, risk: 0 });
    const held = (await store.readOwners([1])).get(1)!;
    expect([held.roles.map((r) => r.role), held.resourceTypes]).toEqual([["VPN"], []]);
    const history = await store.ownerHistory(1);
    expect(history.map((h) => [h.family, h.rowId, h.operation, JSON.parse(h.previous).validTo])).toEqual([
      ["value", 1, "end", T2.toISOString()], ["value", 2, "end", T2.toISOString()], ["value", 3, "delete", null], ["value", 4, "delete", null],
      ["resource-type", 1, "end", T2.toISOString()], ["resource-type", 2, "delete", null], ["role", 2, "end", T1.toISOString()],
    ]);
  });

  it("reads a resource type's assignments in one state by keyset pages, and moves them with their values in that state", async () => {
    const ids = (await store.writeDelta({
      resourceTypes: {
        insert: [
          account(1), account(2), account(3, { provisioningState: "Verified", changeType: null }), account(4, { resourceType: "SAP_Account" }), account(5),
          account(6, { values: [value("mail", "m6", { provisioningState: "Verified" }), value("sAMAccountName", "u6")] }),
        ],
      },
    }, job7)).resourceTypeIds;
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    const pages = await all(store.resourceTypesInState("AD_Account", "Pending", 2));
    expect(pages.map((p) => p.map((t) => t.id))).toEqual([[1, 2], [5, 6]]);
    expect(pages[1]![1]!.values.map((v) => [v.property, v.provisioningState])).toEqual([["mail", "Verified"], ["sAMAccountName", "Pending"]]);
    expect(await store.countResourceTypesInState(["AD_Account", "SAP_Account", "None"], "Pending")).toEqual(new Map([["AD_Account", 4], ["SAP_Account", 1]]));
    expect(await store.countOrdersToSend("AD_Account")).toEqual({ Added: 4, Modified: 0, Deleted: 0 });

    await store.moveProvisioningState([1, 3, 6], "Pending", "Transmitted");
    const moved = await store.resourceTypesByIds([1, 3, 6]);
    expect(moved.map((t) => [t.id, t.provisioningState, t.values.map((v) => v.provisioningState)])).toEqual([
      [1, "Transmitted", ["Transmitted", "Transmitted"]], [3, "Verified", ["Pending", "Pending"]], [6, "Transmitted", ["Verified", "Transmitted"]],
    ]);
    // A lifecycle move is progress of the same version: no history.
    expect(await store.history("resource-type", 1)).toEqual([]);
    expect((await all(store.resourceTypesInState("AD_Account", "Pending"))).flat().map((t) => t.id)).toEqual([2, 5]);
  });

  it("counts the orders pending assignments would make per change type, those without one by whether they have a target, none held back", async () => {
    await store.writeDelta({
      resourceTypes: {
        insert: [
          account(1), account(2, { changeType: null }), account(3, { changeType: null, targetId: 30 }), account(4, { changeType: "Deleted", targetId: 40 }),
          account(5, { changeType: null, targetId: 50, provisioningState: "Verified" }), account(6, { heldBack: "DependsOn AD_Base" }),
        ],
      },
    }, job7);
    expect(await store.countOrdersToSend("AD_Account")).toEqual({ Added: 2, Modified: 1, Deleted: 1 });
    expect(await store.countOrdersToSend("SAP_Account")).toEqual({ Added: 0, Modified: 0, Deleted: 0 });
  });

  it("reads and writes thousands of owners across the parameter limit of a statement", async () => {
    const owners = Array.from({ length: 5200 }, (_, i) => i + 1);
    await store.writeDelta({ roles: { insert: owners.map((o) => role(o, "Employee")) }, resourceTypes: { insert: owners.map((o) => account(o)) } }, job7);
    const read = await store.readOwners(owners);
    expect(read.size).toBe(5200);
    expect([...read.values()].every((a) => a.roles.length === 1 && a.resourceTypes.length === 1 && a.resourceTypes[0]!.values.length === 2)).toBe(true);
    expect(read.get(5200)!.resourceTypes[0]!.values.map((v) => v.policyValue)).toEqual(["user5200", "u5200@example.com"]);
    await store.writeDelta({ resourceTypes: { update: owners.map((id) => ({ id, set: { provisioningState: "Verified", changeType: null } })) } }, { at: T1, jobInstanceId: 8 });
    expect(await store.countResourceTypesInState(["AD_Account"], "Verified")).toEqual(new Map([["AD_Account", 5200]]));
    expect((await store.ownerHistory(5200)).map((h) => h.family)).toEqual(["resource-type"]);
  });

  it("keeps found assignments without an owner, and finds assignments by target", async () => {
    const resources = new ResourceStore(opened.dataSource.manager);
    await resources.insertResources(["a1", "a2"].map((sourceKey) => ({ entityType: "AD_Entry", connector: "AD", sourceKey, properties: {} })), job7);
    await store.writeDelta({
      resourceTypes: {
        insert: [
          account(null, { targetId: 1, origin: "found", workflowState: "Found", provisioningState: "Verified", changeType: null, values: [] }),
          account(5, { targetId: 2, values: [] }),
        ],
      },
    }, job7);
    expect((await store.resourceTypesByTargets([1, 2])).map((t) => [t.id, t.ownerId, t.origin])).toEqual([[1, null, "found"], [2, 5, "rule"]]);
    expect((await all(store.ownerlessFound(["AD_Account"]))).flat()).toEqual([{ id: 1, targetId: 1 }]);
    expect(await all(store.ownerlessFound(["SAP_Account"]))).toEqual([]);
  });

  it("replaces risk scores per owner", async () => {
    await store.writeRiskScores([{ ownerId: 1, score: 80 }, { ownerId: 2, score: 10 }], job7);
    await store.writeRiskScores([{ ownerId: 2, score: 40 }], { at: T1, jobInstanceId: 8 });
    expect((await store.riskScores([1, 2, 3])).map((s) => [s.ownerId, s.score, s.computedAt, s.updatedByJobInstance])).toEqual([[1, 80, T0, 7], [2, 40, T1, 8]]);
  });

  it("stores correlation keys, matches owner keys with target keys of the same rule, and drops keys with their resource", async () => {
    const resources = new ResourceStore(opened.dataSource.manager);
    const people = ["p1", "p2", "p3"].map((sourceKey) => ({ entityType: "HR_Person", connector: "HR", sourceKey, properties: {} }));
    const accounts = ["a1", "a2", "a3", "a4"].map((sourceKey) => ({ entityType: "AD_Entry", connector: "AD", sourceKey, properties: {} }));
    await resources.insertResources([...people, ...accounts], job7);
    const key = (resourceId: number, side: "owner" | "target", keyValue: string, ruleIdentifier = "byId", resourceType = "AD_Account") => ({
      resourceId, entityType: side === "owner" ? "HR_Person" : "AD_Entry", resourceType, ruleIdentifier, side, keyValue,
    });
    await store.replaceKeys([1, 2, 3], [key(1, "owner", "E1"), key(1, "owner", "e1@x", "byMail"), key(2, "owner", "E2"), key(3, "owner", "E3", "byId", "SAP_Account")]);
    await store.replaceKeys([4, 5, 6, 7], [
      key(4, "target", "E1"), key(5, "target", "e1@x", "byMail"), key(6, "target", "E2", "byMail"), key(7, "target", "E3"), key(6, "target", "e2"),
    ]);
    expect(await store.correlationMatches("AD_Account", [1, 2, 3])).toEqual([
      { ownerId: 1, targetId: 4, ruleIdentifier: "byId" }, { ownerId: 1, targetId: 5, ruleIdentifier: "byMail" },
    ]);
    // Keys compare exactly: "E2" under byMail is not "E2" under byId, "e2" is not "E2".
    expect(await store.correlationMatches("SAP_Account", [3])).toEqual([]);

    await store.replaceKeys([1], [key(1, "owner", "E7")]);
    expect((await store.keysOf([1])).map((k) => [k.ruleIdentifier, k.keyValue])).toEqual([["byId", "E7"]]);
    expect((await store.keyRules()).map((r) => `${r.resourceType}/${r.ruleIdentifier}`).sort()).toEqual(["AD_Account/byId", "AD_Account/byMail", "SAP_Account/byId"]);
    await store.deleteKeysOfRule("AD_Account", "byMail");
    expect((await store.keysOf([5, 6])).map((k) => [k.resourceId, k.keyValue])).toEqual([[6, "e2"]]);

    await resources.deleteResources([6], { at: T1, jobInstanceId: 8 });
    expect(await store.keysOf([6])).toEqual([]);
  });

  it("keeps provisioning orders: listed by filter and pages, held and released as a queue, their file and review recorded", async () => {
    const order = (assignedResourceTypeId: number, over: Partial<NewOrder> = {}): NewOrder => ({
      assignedResourceTypeId, resourceType: "AD_Account", connector: "AD", changeType: "Added", ownerId: assignedResourceTypeId, targetId: null, state: "pending",
      orderFile: null, createdAt: T0, jobInstanceId: 7, decision: null, decidedBy: null, decidedAt: null, decisionComment: null,
      changes: JSON.stringify({ sAMAccountName: `user${assignedResourceTypeId}` }), ...over,
    });
    await store.insertOrders([order(1), order(2, { changeType: "Modified", targetId: 12 }), order(3, { resourceType: "SAP_Account", connector: "SAP" }), order(4, { jobInstanceId: 8 })]);
    const held = new HeldChanges(opened.dataSource.manager, PROVISIONING_ORDERS);
    await held.hold({ owner: 7, subject: "AD_Account" });
    expect(await held.count("ProvisioningOrder", { owner: 7, subject: "AD_Account" }, "blocked")).toEqual({ AD_Account: { Added: 1, Modified: 1 } });
    expect(await held.isHeld({ owner: 7, subject: "SAP_Account" })).toBe(false);

    expect((await all(store.orders({}, 3))).map((p) => p.map((o) => [o.id, o.state]))).toEqual([[[1, "blocked"], [2, "blocked"], [3, "pending"]], [[4, "pending"]]]);
    expect((await all(store.orders({ resourceType: "AD_Account", state: "blocked", changeType: "Modified" }))).flat().map((o) => o.id)).toEqual([2]);
    expect((await all(store.orders({ jobInstanceId: 8 }))).flat().map((o) => o.id)).toEqual([4]);

    await store.recordDecision([1, 2], { decision: "Approved", by: "alice", at: T1, comment: "expected: new hires" });
    await held.markApplied({ owner: 7, subject: "AD_Account" }, "blocked");
    await store.setOrderFile([1, 2], "AD/AD_Account-7-1.json", "applied");
    const [first] = (await all(store.orders({ resourceType: "AD_Account", state: "applied" }))).flat();
    expect(first).toEqual({
      id: 1, ...order(1), state: "applied", orderFile: "AD/AD_Account-7-1.json", decision: "Approved", decidedBy: "alice", decidedAt: T1, decisionComment: "expected: new hires",
      fulfilState: null, fulfilMessage: null, fulfilledAt: null, fulfilledByJobInstance: null,
    });
  });
});

describe("assignment statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const { values, ...type } = account(1);
    const sql = [
      statement("roles in bulk (two rows of a batch)", q.insertAssignments(m, "role", [role(1, "VPN"), role(2, "VPN")].map((r) => ({ ...r, updatedByJobInstance: 7 })))),
      statement("resource types in bulk, with their reserved ids", q.insertAssignments(m, "resource-type", [{ id: 41, ...type, updatedByJobInstance: 7 }])),
      statement("values in bulk", q.insertAssignments(m, "value", values!.map((v) => ({ ...v, assignedResourceTypeId: 41, updatedByJobInstance: 7 })))),
      statement("an owner batch's roles", q.selectByOwners(m, "role", [1, 2])),
      statement("rows by id (the versions about to be historized)", q.selectByIds(m, "context", [3, 4])),
      statement("the values of resource type assignments", q.selectValuesOfTypes(m, [41, 42])),
      statement("assignments by target (classification: owned or found)", q.selectResourceTypesByTargets(m, [100, 101])),
      statement("a page of a resource type's pending assignments", q.selectResourceTypesInState(m, "AD_Account", "Pending", 41, 1000)),
      statement("pending assignments per resource type (thresholds)", q.countResourceTypesInState(m, ["AD_Account", "SAP_Account"], "Pending")),
      statement("the orders pending assignments would make, per change type (provisioning thresholds)", q.countOrdersToSend(m, "AD_Account")),
      statement("a page of owner-less found assignments", q.selectOwnerlessFound(m, ["AD_Account"], 0, 1000)),
      statement("rows moved to the same values", q.updateByIds(m, "role", { validTo: T2, workflowState: "Approved", updatedByJobInstance: 8 }, [1, 2])),
      statement("resource type assignments transmitted", q.moveProvisioningState(m, "resource-type", [41, 42], "Pending", "Transmitted")),
      statement("their values transmitted", q.moveValuesOfTypes(m, [41, 42], "Pending", "Transmitted")),
      statement("delete rows", q.deleteAssignments(m, "value", [1, 2])),
      statement("history in bulk", q.insertHistory(m, [{ family: "role", rowId: 1, ownerId: 1, operation: "update", archivedAt: T1, archivedByJobInstance: 8, previous: "{}" }])),
      statement("a row's history", q.selectRowHistory(m, "role", 1)),
      statement("an owner's history", q.selectOwnerHistory(m, 1)),
      statement("risk scores replaced: delete", q.deleteRiskScores(m, [1, 2])),
      statement("risk scores replaced: insert", q.insertRiskScores(m, [{ ownerId: 1, score: 80, computedAt: T0, updatedByJobInstance: 7 }])),
      statement("risk scores of owners", q.selectRiskScores(m, [1, 2])),
      statement("reserve ids: advance the sequence (its row stays locked until commit)", q.advanceSequence(m, "idm_assigned_resource_types", 500)),
      statement("reserve ids: read where it stands", q.selectSequence(m, "idm_assigned_resource_types")),
      statement("correlation keys in bulk", k.insertKeys(m, [{ resourceId: 1, entityType: "HR_Person", resourceType: "AD_Account", ruleIdentifier: "byId", side: "owner", keyValue: "E1" }])),
      statement("the keys of resources replaced: delete", k.deleteKeysOfResources(m, [1, 2])),
      statement("the keys of resources", k.selectKeysOfResources(m, [1, 2])),
      statement("the rules that have keys", k.selectKeyRules(m)),
      statement("the keys of a rule no longer deployed", k.deleteKeysOfRule(m, "AD_Account", "byMail")),
      statement("correlation: owner keys joined with target keys", k.selectKeyMatches(m, "AD_Account", [1, 2])),
      statement("orders in bulk", o.insertOrders(m, [{
        assignedResourceTypeId: 41, resourceType: "AD_Account", connector: "AD", changeType: "Added", ownerId: 1, targetId: null, state: "pending", orderFile: null,
        createdAt: T0, jobInstanceId: 7, decision: null, decidedBy: null, decidedAt: null, decisionComment: null, changes: "{}",
      }])),
      statement("a page of orders, filtered", o.selectOrders(m, { resourceType: "AD_Account", state: "blocked" }, 0, 1000)),
      statement("the times of the orders of assignments", o.selectOrderTimes(m, [1, 2])),
      statement("orders written to a file", o.setOrderFile(m, [1, 2], "AD/AD_Account-7-1.json", "applied")),
      statement("the review of blocked orders", o.recordOrderDecision(m, [1], { decision: "Declined", by: "alice", at: T1, comment: null })),
      statement("approved orders to release", o.selectOrders(m, { resourceType: "AD_Account", state: "blocked", decision: "Approved" }, 0, 1000)),
      statement("orders by id, and a review's orders of assignments", o.selectOrders(m, { ids: [1, 2], assignments: [3], jobInstanceId: 0, decision: null }, 0, 1000)),
      statement("orders a review declined", o.discardOrders(m, [1, 2])),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-assignments.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`/);
  });

  it("binds dates as datetime2 and keeps every value out of the text", async () => {
    const { dataSource } = await offlineMssqlStore();
    const { sql, parameters } = q.updateByIds(dataSource.manager, "role", { validTo: new Date("0001-01-01T00:00:00.000Z"), workflowState: "Approved" }, [1]);
    expect(parameters).toMatchObject([{ type: "datetime2" }, { value: "Approved" }, { type: "int", value: 1 }]);
    expect(sql).not.toContain("Approved");
  });
});

describe("the change a pending assignment waits for", () => {
  it("is its change type, or without one Added when it has no target yet and Modified when it has", () => {
    expect(pendingChange("Deleted", false)).toBe("Deleted");
    expect(pendingChange("Modified", true)).toBe("Modified");
    expect(pendingChange(null, true)).toBe("Added");
    expect(pendingChange(null, false)).toBe("Modified");
  });
});

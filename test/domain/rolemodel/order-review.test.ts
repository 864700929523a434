/**
 * The provisioning review on real databases: what awaits approval (an order a threshold blocked, an
 * assignment AwaitingApproval without order) listed, approved with who, when and the comment, then
 * written by the next GenerateProvisioningOrders; declined, then never written; unknown ids and
 * orders not awaiting approval refused with nothing decided.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { ruleColumns, type NewResourceType, type NewValueOfType, type OrderRow } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import { orderReport } from "../../../src/domain/rolemodel/order-report.js";
import { parseReviewSubject, REVIEW_JOB_INSTANCE, reviewOrders } from "../../../src/domain/rolemodel/order-review.js";
import type { Store } from "../../../src/store/store.js";
import handler from "../../../src/tasks/generate-provisioning-orders.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { computeKeys, deployDemo, loadDemoData, roleModel } from "./demo-role-model-fixture.js";
import { adAccount, deployRoleModel, T0 } from "./role-model-fixture.js";

const GPO = taskSnapshot({
  identifier: "GPO", type: "GenerateProvisioningOrdersTask", attributes: { BatchInsertSize: 0, BatchSelectSize: 0, ForceProvisioning: false }, resourceTypes: ["AD_Account"],
});
const provenance = { origin: "rule" as const, workflowState: "PolicyApproved" as const, validFrom: T0, validTo: null };
const scalar = (property: string, policyValue: string, provisioningState: NewValueOfType["provisioningState"]): NewValueOfType => ({
  property, kind: "scalar", provisioningState, changeType: null, confidence: null, questioned: false, ...provenance, ...ruleColumns({ kind: "ScalarRule", identifier: `AD_Account/${property}` }),
  policyValue, currentValue: null,
});
const assignment = (ownerId: number, over: Partial<NewResourceType>): NewResourceType => ({
  ownerId, resourceType: "AD_Account", targetId: null, correlationRule: null, confidence: null, provisioningState: "Pending", changeType: "Added", heldBack: null,
  ...provenance, ...ruleColumns({ kind: "TypeRule", identifier: "AD_Account/TypeRule#1" }), parameters: null, values: [], ...over,
});
const AT = new Date("2026-12-01T10:00:00.000Z");

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("provisioning review on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;
  let assignments: AssignmentStore;
  /** p1's Modified account (blocked by a threshold), p2's account to create (AwaitingApproval). */
  let account: { p1: number; p2: number };
  let blockedOrder: number;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
    assignments = new AssignmentStore(store.dataSource.manager);
    await deployRoleModel(store, [], { types: adAccount(`MaximumUpdatePercent="10"`) });
    const resources = new ResourceStore(store.dataSource.manager);
    await resources.insertResources([
      ...["p1", "p2"].map((login) => ({ entityType: "HR_Person", connector: "HR", sourceKey: login, properties: { Login: login } })),
      ...["ada.l", "b", "c", "d", "e"].map((name) => ({ entityType: "AD_Entry", connector: "AD", sourceKey: name, properties: { sAMAccountName: name } })),
    ], { at: T0, jobInstanceId: 1 });
    const id = Object.fromEntries([...(await resources.idsByKeys("HR_Person", ["p1", "p2"])), ...(await resources.idsByKeys("AD_Entry", ["ada.l"]))]);
    const written = await assignments.writeDelta({
      resourceTypes: {
        insert: [
          assignment(id.p1!, { targetId: id["ada.l"]!, changeType: "Modified", values: [scalar("mail", "ada@new.example.com", "Pending")] }),
          assignment(id.p2!, { provisioningState: "AwaitingApproval", values: [scalar("sAMAccountName", "bob", "AwaitingApproval")] }),
        ],
      },
    }, { at: T0, jobInstanceId: 1 });
    account = { p1: written.resourceTypeIds[0]!, p2: written.resourceTypeIds[1]! };
    expect((await handler.run(ws.context, GPO)).state).toBe("Blocked");
    blockedOrder = (await orderRows())[0]!.id;
  });
  afterEach(async () => {
    await db.drop();
  });

  const orderRows = (): Promise<OrderRow[]> => assignments.allOrders();
  const states = async () => (await assignments.resourceTypesByIds([account.p1, account.p2])).map((a) => [a.provisioningState, a.values.map((v) => v.provisioningState)]);

  it("lists the blocked order and the assignment awaiting approval, which has no order id yet", async () => {
    expect((await orderReport(store, { states: ["AwaitingApproval"] })).map((o) => [o.id, o.assignment, o.changeType, o.owner?.key, o.changes, o.state])).toEqual([
      [blockedOrder, account.p1, "Modified", "p1", { mail: "ada@new.example.com" }, "AwaitingApproval"],
      [null, account.p2, "Added", "p2", { sAMAccountName: "bob" }, "AwaitingApproval"],
    ]);
  });

  it("records an approval with who, when and the comment; the next GenerateProvisioningOrders writes both as reviewed", async () => {
    const ids = await reviewOrders(store, [{ order: blockedOrder }, { assignment: account.p2 }], { decision: "Approved", by: "alice", at: AT, comment: "checked with HR" });
    const rows = await orderRows();
    expect(ids).toEqual([blockedOrder, rows[1]!.id]);
    expect(rows.map((o) => [o.assignedResourceTypeId, o.state, o.decision, o.decidedBy, o.decidedAt?.toISOString(), o.decisionComment, o.jobInstanceId])).toEqual([
      [account.p1, "blocked", "Approved", "alice", AT.toISOString(), "checked with HR", 7],
      [account.p2, "blocked", "Approved", "alice", AT.toISOString(), "checked with HR", REVIEW_JOB_INSTANCE],
    ]);
    expect(await states()).toEqual([["Pending", ["Pending"]], ["Pending", ["Pending"]]]);
    expect((await orderReport(store)).map((o) => o.state)).toEqual(["Pending", "Pending"]);

    const result = await handler.run(ws.context, GPO);
    expect(result.state).toBe("Succeeded");
    expect(result.counters).toMatchObject({ orders: 2, released: 2, blocked: 0 });
    expect(await states()).toEqual([["Transmitted", ["Transmitted"]], ["Transmitted", ["Transmitted"]]]);
    expect((await orderReport(store)).map((o) => [o.id, o.state, o.changes])).toEqual([
      [blockedOrder, "Transmitted", { mail: "ada@new.example.com" }], [ids[1], "Transmitted", { sAMAccountName: "bob" }],
    ]);
  });

  it("declines: the orders are discarded and never written, the assignments Inactive", async () => {
    await reviewOrders(store, [{ order: blockedOrder }, { assignment: account.p2 }], { decision: "Declined", by: "bob", at: AT, comment: null });
    expect((await orderRows()).map((o) => [o.state, o.decision, o.decidedBy, o.decisionComment])).toEqual([["discarded", "Declined", "bob", null], ["discarded", "Declined", "bob", null]]);
    expect(await states()).toEqual([["Inactive", ["Inactive"]], ["Inactive", ["Inactive"]]]);
    const result = await handler.run(ws.context, GPO);
    expect(result).toMatchObject({ state: "Succeeded", didWork: false });
    expect((await orderReport(store)).map((o) => o.state)).toEqual(["Declined", "Declined"]);
    expect(await orderReport(store, { states: ["AwaitingApproval"] })).toEqual([]);
  });

  it("refuses an unknown id or one not awaiting approval, and then decides nothing", async () => {
    const decision = { decision: "Approved" as const, by: "alice", at: AT, comment: null };
    await expect(reviewOrders(store, [{ order: blockedOrder }, { order: 999 }], decision)).rejects.toMatchObject({ reason: "unknown", message: "no provisioning order 999 is recorded" });
    await expect(reviewOrders(store, [{ assignment: account.p1 }], decision)).rejects.toMatchObject({ reason: "state", message: `assignment a${account.p1} is not AwaitingApproval` });
    expect((await orderRows()).map((o) => o.decision)).toEqual([null]);
    await reviewOrders(store, [{ order: blockedOrder }], decision);
    await expect(reviewOrders(store, [{ order: blockedOrder }], decision)).rejects.toMatchObject({ reason: "state" });
  });

  it("leaves a suggested correlation to resource reconciliation: not listed, not decided here", async () => {
    const [ownerId] = (await assignments.resourceTypesByIds([account.p1])).map((a) => a.ownerId!);
    const written = await assignments.writeDelta({
      resourceTypes: { insert: [assignment(ownerId!, { provisioningState: "AwaitingApproval", changeType: null, workflowState: "PendingApproval", confidence: 80 })] },
    }, { at: T0, jobInstanceId: 1 });
    const suggested = written.resourceTypeIds[0]!;
    expect((await orderReport(store, { states: ["AwaitingApproval"] })).map((o) => o.assignment)).toEqual([account.p1, account.p2]);
    await expect(reviewOrders(store, [{ assignment: suggested }], { decision: "Approved", by: "alice", at: AT, comment: null })).rejects.toMatchObject({
      reason: "state", message: `assignment a${suggested} is PendingApproval: resource reconciliation decides on it, not the provisioning review`,
    });
  });

  it("reads ids as the CLI prints them", () => {
    expect([parseReviewSubject("12"), parseReviewSubject("#12"), parseReviewSubject("a40"), parseReviewSubject("x1"), parseReviewSubject("0")]).toEqual([
      { order: 12 }, { order: 12 }, { assignment: 40 }, undefined, undefined,
    ]);
  });
});

describe.each(BACKENDS)("provisioning review across ComputeRoleModel runs on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployDemo(store);
    await loadDemoData(store);
    await computeKeys(store);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("a declined creation stays declined through the next runs, blocked or not; an approved modification stays Pending", async () => {
    await roleModel(store, { blockProvisioning: true });
    const awaiting = await orderReport(store, { states: ["AwaitingApproval"] });
    const e5 = awaiting.find((o) => o.owner?.key === "E5")!;
    const e2 = awaiting.find((o) => o.owner?.key === "E2")!;
    expect([e5.id, e5.changeType, e2.id, e2.changeType, e2.changes]).toEqual([null, "Added", null, "Modified", { userAccountControl: "512" }]);
    await reviewOrders(store, [{ assignment: e5.assignment }], { decision: "Declined", by: "alice", at: AT, comment: "no account for contractors" });
    await reviewOrders(store, [{ assignment: e2.assignment }], { decision: "Approved", by: "alice", at: AT, comment: null });

    await roleModel(store, { blockProvisioning: false });
    await roleModel(store, { blockProvisioning: true });
    const stored = await new AssignmentStore(store.dataSource.manager).resourceTypesByIds([e5.assignment, e2.assignment]);
    const state = (id: number) => stored.filter((a) => a.id === id).map((a) => [a.provisioningState, [...new Set(a.values.filter((v) => v.provisioningState !== "Verified").map((v) => v.provisioningState))]]);
    expect([state(e5.assignment), state(e2.assignment)]).toEqual([[["Inactive", ["Inactive"]]], [["Pending", ["Pending"]]]]);
    const keys = (await orderReport(store)).map((o) => `${o.owner?.key} ${o.state}`);
    expect(keys).toContain("E5 Declined");
    expect(keys).toContain("E2 Pending");
    expect(keys.filter((k) => k.startsWith("E5 ") || k.startsWith("E2 "))).toHaveLength(2);
  });
});

/**
 * GenerateProvisioningOrdersTask on real databases: the §C.13 order files (BatchInsertSize orders per
 * file, Added / Modified / Deleted, scalar and navigation changes), the assignments and their Pending
 * values moved to Transmitted, one order row each, idempotence, and the provisioning thresholds:
 * blocked, kept for review, superseded by a new run, released by a resume (through the runner too)
 * and bypassed by ForceProvisioning.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../../src/config/coerce-attribute.js";
import { DEFAULT_SETTINGS } from "../../../src/config/settings.js";
import { resumeJob, runJob } from "../../../src/jobs/runner.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { ruleColumns, type NewResourceType, type NewValueOfType, type OrderRow } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import type { Store } from "../../../src/store/store.js";
import handler from "../../../src/tasks/generate-provisioning-orders.js";
import type { TaskSnapshot } from "../../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { configFile } from "../../helpers/temp-folder.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { adAccount, deployRoleModel, T0 } from "./role-model-fixture.js";

function task(attributes: Record<string, AttributeValue> = {}, resourceTypes: string[] = ["AD_Account"]): TaskSnapshot {
  return taskSnapshot({
    identifier: "GPO", type: "GenerateProvisioningOrdersTask",
    attributes: { BatchInsertSize: 0, BatchSelectSize: 0, ForceProvisioning: false, ...attributes }, resourceTypes,
  });
}

const scalar = (property: string, policyValue: string | null, provisioningState: NewValueOfType["provisioningState"] = "Pending"): NewValueOfType => ({
  property, kind: "scalar", provisioningState, changeType: null, confidence: null, questioned: false, origin: "rule", ...ruleColumns({ kind: "ScalarRule", identifier: `AD_Account/${property}` }),
  workflowState: "PolicyApproved", validFrom: T0, validTo: null, policyValue, currentValue: null,
});
const navigation = (property: string, policyValue: number | null, currentValue: number | null = null): NewValueOfType => ({
  ...scalar(property, policyValue === null ? null : String(policyValue)), kind: "navigation", currentValue: currentValue === null ? null : String(currentValue),
});
const assignment = (ownerId: number, over: Partial<NewResourceType>): NewResourceType => ({
  ownerId, resourceType: "AD_Account", targetId: null, correlationRule: null, confidence: null, provisioningState: "Pending", changeType: "Added", heldBack: null, origin: "rule",
  ...ruleColumns({ kind: "TypeRule", identifier: "AD_Account/TypeRule#1" }), workflowState: "PolicyApproved", validFrom: T0, validTo: null, parameters: null, values: [], ...over,
});

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("GenerateProvisioningOrdersTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;
  let assignments: AssignmentStore;
  let id: Record<string, number>;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
    assignments = new AssignmentStore(store.dataSource.manager);
  });
  afterEach(async () => {
    await db.drop();
  });

  /** People p1..p3, AD entries, and the assignments: p2 gets an account, p1's changes, p3's is deleted. */
  async function setUp(types = adAccount(), files: Record<string, string> = {}): Promise<void> {
    await deployRoleModel(store, [], { types, files });
    const resources = new ResourceStore(store.dataSource.manager);
    const context = { at: T0, jobInstanceId: 1 };
    await resources.insertResources([
      ...["p1", "p2", "p3"].map((login) => ({ entityType: "HR_Person", connector: "HR", sourceKey: login, properties: { Login: login, Mail: `${login}@example.com` } })),
      ...["ada.l", "old", "boss", "grp_sales", "grp_it"].map((name) => ({ entityType: "AD_Entry", connector: "AD", sourceKey: name, properties: { sAMAccountName: name } })),
    ], context);
    id = Object.fromEntries([
      ...(await resources.idsByKeys("HR_Person", ["p1", "p2", "p3"])), ...(await resources.idsByKeys("AD_Entry", ["ada.l", "old", "boss", "grp_sales", "grp_it"])),
    ]);
    await assignments.writeDelta({
      resourceTypes: {
        insert: [
          assignment(id.p2!, { values: [scalar("sAMAccountName", "bob"), navigation("memberOf", id.grp_sales!), navigation("manager", id.boss!)] }),
          assignment(id.p1!, {
            targetId: id["ada.l"]!, changeType: "Modified",
            values: [
              scalar("mail", "ada@new.example.com"), scalar("description", "kept", "Verified"), navigation("memberOf", null, id.grp_it!), navigation("manager", null),
              { ...navigation("memberOf", id.grp_sales!), changeType: "Deleted" }, { ...scalar("employeeID", "E1"), changeType: "Deleted" },
            ],
          }),
          assignment(id.p3!, { targetId: id.old!, changeType: "Deleted", values: [scalar("mail", "gone")] }),
          assignment(id.p1!, { resourceType: "AD_Account", targetId: id.boss!, provisioningState: "Verified", changeType: null }),
          assignment(id.p3!, { heldBack: "DependsOn AD_Base", values: [scalar("sAMAccountName", "carl")] }),
        ],
      },
    }, context);
  }

  const files = (): string[] => {
    const folder = join(ws.folders.work, "ProvisioningOrders", "AD");
    return existsSync(folder) ? readdirSync(folder).sort() : [];
  };
  const orders = (file: string) => (JSON.parse(readFileSync(join(ws.folders.work, "ProvisioningOrders", "AD", file), "utf8")) as { ProvisioningOrdersList: Record<string, unknown>[] }).ProvisioningOrdersList;
  const orderRows = (): Promise<OrderRow[]> => assignments.allOrders();

  it("writes the pending assignments as §C.13 order files, BatchInsertSize per file, and moves them to Transmitted", async () => {
    await setUp();
    const result = await handler.run(ws.context, task({ BatchInsertSize: 2 }));
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { orders: 3, added: 1, modified: 1, deleted: 1, files: 2, blocked: 0, released: 0, heldBack: 1 } });
    expect(ws.lines("Information")).toContain("ResourceType AD_Account: 1 pending assignments are held back (what they depend on is not there yet): no order for them");
    expect(files()).toEqual(["AD_Account-7-0001.json", "AD_Account-7-0002.json"]);
    const [added, modified] = orders("AD_Account-7-0001.json");
    const resourceType = { Id: expect.stringMatching(/^\d+$/), Identifier: "AD_Account", SourceEntityType: { Id: expect.stringMatching(/^\d+$/), Identifier: "HR_Person" }, TargetEntityType: { Id: expect.stringMatching(/^\d+$/), Identifier: "AD_Entry" } };
    expect(added).toEqual({
      AssignedResourceTypeId: "1", ChangeType: "Added", Owner: { Id: String(id.p2), Identifier: "p2", Login: "p2", Mail: "p2@example.com" }, ResourceType: resourceType,
      Changes: { sAMAccountName: "bob", memberOf_add: [{ Id: String(id.grp_sales), Identifier: "grp_sales" }], manager: { Id: String(id.boss), Identifier: "boss" } },
    });
    expect(modified).toEqual({
      AssignedResourceTypeId: "2", ChangeType: "Modified", Owner: { Id: String(id.p1), Identifier: "p1", Login: "p1", Mail: "p1@example.com" }, ResourceType: resourceType,
      Changes: {
        mail: "ada@new.example.com", memberOf_remove: [{ Id: String(id.grp_it), Identifier: "grp_it" }, { Id: String(id.grp_sales), Identifier: "grp_sales" }],
        manager: null, employeeID: null,
      },
      Resource: { Id: String(id["ada.l"]), Identifier: "ada.l", sAMAccountName: "ada.l" },
    });
    expect(orders("AD_Account-7-0002.json")).toEqual([{
      AssignedResourceTypeId: "3", ChangeType: "Deleted", Owner: { Id: String(id.p3), Identifier: "p3", Login: "p3", Mail: "p3@example.com" }, ResourceType: resourceType,
      Changes: {}, Resource: { Id: String(id.old), Identifier: "old", sAMAccountName: "old" },
    }]);

    const stored = await assignments.resourceTypesByIds([1, 2, 3, 4, 5]);
    expect(stored.map((a) => [a.id, a.provisioningState, a.values.map((v) => v.provisioningState)])).toEqual([
      [1, "Transmitted", ["Transmitted", "Transmitted", "Transmitted"]],
      [2, "Transmitted", ["Transmitted", "Verified", "Transmitted", "Transmitted", "Transmitted", "Transmitted"]],
      [3, "Transmitted", ["Transmitted"]], [4, "Verified", []], [5, "Pending", ["Pending"]],
    ]);
    expect((await orderRows()).map((o) => [o.assignedResourceTypeId, o.changeType, o.state, o.orderFile, o.connector, o.jobInstanceId, o.ownerId, o.targetId])).toEqual([
      [1, "Added", "applied", "ProvisioningOrders/AD/AD_Account-7-0001.json", "AD", 7, id.p2, null],
      [2, "Modified", "applied", "ProvisioningOrders/AD/AD_Account-7-0001.json", "AD", 7, id.p1, id["ada.l"]],
      [3, "Deleted", "applied", "ProvisioningOrders/AD/AD_Account-7-0002.json", "AD", 7, id.p3, id.old],
    ]);
    expect(JSON.parse((await orderRows())[0]!.changes)).toEqual(added!.Changes);

    // Nothing pending any more: a second run writes nothing.
    const again = await handler.run(ws.context, task());
    expect(again).toMatchObject({ state: "Succeeded", didWork: false, counters: { orders: 0, files: 0 } });
    expect(files()).toHaveLength(2);
    expect(await orderRows()).toHaveLength(3);
    expect(readdirSync(join(ws.folders.work, "ProvisioningOrders", "AD")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("holds the orders over a threshold for review, writes nothing, and the resume sends them as they were recorded", async () => {
    await setUp(adAccount(`MaximumDelete="0" MaximumInsert="0" MaximumUpdatePercent="10"`));
    // 1 update of 5 AD entries is 20%, over 10%.
    const blocked = await handler.run(ws.context, task());
    expect(blocked).toEqual({
      state: "Blocked", didWork: false, counters: { orders: 0, added: 0, modified: 0, deleted: 0, files: 0, blocked: 3, released: 0, heldBack: 1 },
      message: "MaximumUpdatePercent of ResourceType AD_Account (10%) exceeded: 1 of 5 AD_Entry resources (20%) would be updated (job instance 7)",
    });
    expect(files()).toEqual([]);
    expect((await orderRows()).map((o) => [o.id, o.state, o.orderFile])).toEqual([[1, "blocked", null], [2, "blocked", null], [3, "blocked", null]]);
    expect((await assignments.resourceTypesByIds([1, 2, 3])).map((a) => a.provisioningState)).toEqual(["Pending", "Pending", "Pending"]);
    expect(ws.lines("Warning")).toContain(
      "MaximumUpdatePercent of ResourceType AD_Account (10%) exceeded: 1 of 5 AD_Entry resources (20%) would be updated: the 3 orders are kept blocked for review; resume the job (or run with --force) to send them");

    // The review changed nothing of the assignment meanwhile; the resume sends what was recorded.
    await assignments.recordDecision([1, 2, 3], { decision: "Approved", by: "alice", at: T0, comment: null });
    const resumed = await handler.run({ ...ws.context, force: true }, task());
    expect(resumed).toMatchObject({ state: "Succeeded", didWork: true, counters: { orders: 3, released: 3, blocked: 0, files: 1 } });
    expect(files()).toEqual(["AD_Account-7-0001.json"]);
    expect(orders("AD_Account-7-0001.json").map((o) => o.AssignedResourceTypeId)).toEqual(["1", "2", "3"]);
    expect((await orderRows()).map((o) => [o.id, o.state, o.decision])).toEqual([[1, "applied", "Approved"], [2, "applied", "Approved"], [3, "applied", "Approved"]]);
    expect((await assignments.resourceTypesByIds([1, 2, 3])).map((a) => a.provisioningState)).toEqual(["Transmitted", "Transmitted", "Transmitted"]);
  });

  it("blocks on the number of orders too; a later run supersedes the blocked orders, and ForceProvisioning bypasses the thresholds", async () => {
    await setUp(adAccount(`MaximumInsert="1"`));
    await assignments.writeDelta({ resourceTypes: { insert: [assignment(id.p3!, { values: [scalar("sAMAccountName", "carl")] })] } }, { at: T0, jobInstanceId: 1 });
    const first = await handler.run(ws.context, task());
    expect(first).toMatchObject({ state: "Blocked", message: "MaximumInsert of ResourceType AD_Account (1) exceeded: 2 AD_Entry resources would be inserted (job instance 7)" });

    const next = taskWorkspace({}, { store, job: { identifier: "J", instanceId: 8 } });
    const second = await handler.run(next.context, task());
    expect(second).toMatchObject({ state: "Blocked", counters: { blocked: 4 } });
    expect((await orderRows()).map((o) => [o.jobInstanceId, o.state])).toEqual([
      ...Array(4).fill([7, "discarded"]), ...Array(4).fill([8, "blocked"]),
    ]);

    const forced = await handler.run(next.context, task({ ForceProvisioning: true }));
    expect(forced).toMatchObject({ state: "Succeeded", counters: { orders: 4, added: 2, released: 4 } });
    // Only the held-back assignment is left Pending.
    expect((await assignments.countResourceTypesInState(["AD_Account"], "Pending"))).toEqual(new Map([["AD_Account", 1]]));
  });

  it("selects the resource types of its Connector, and warns about a TaskResourceType that is not deployed", async () => {
    await setUp(`${adAccount()}\n  <ResourceType Identifier="SAP_Account" DisplayName_L1="SAP" Policy="Default" SourceEntityType="HR_Person" TargetEntityType="HR_Department" />`);
    await assignments.writeDelta({ resourceTypes: { insert: [assignment(id.p1!, { resourceType: "SAP_Account" })] } }, { at: T0, jobInstanceId: 1 });
    const byConnector = await handler.run(ws.context, task({ Connector: "AD" }, []));
    expect(byConnector).toMatchObject({ counters: { orders: 3 } });
    expect(await assignments.countResourceTypesInState(["AD_Account", "SAP_Account"], "Pending")).toEqual(new Map([["AD_Account", 1], ["SAP_Account", 1]]));

    const listed = await handler.run(ws.context, task({}, ["SAP_Account", "Nope"]));
    expect(listed).toMatchObject({ counters: { orders: 1 } });
    expect(ws.lines("Warning")).toEqual([
      "TaskResourceType Nope is not a deployed ResourceType: no orders for it",
      "ResourceType SAP_Account: no EntityTypeMapping maps its TargetEntityType HR_Department to a connector; its orders go to the folder of HR_Department",
    ]);
    expect(readdirSync(join(ws.folders.work, "ProvisioningOrders", "HR_Department"))).toEqual(["SAP_Account-7-0001.json"]);
  });

  it("ends the job Blocked through the runner, and resume sends the orders", async () => {
    const job = `  <Job Identifier="Provision" DisplayName_L1="Provision">
    <GenerateProvisioningOrdersTask Identifier="Orders" DisplayName_L1="Orders" Level="0"><TaskResourceType ResourceType="AD_Account" /></GenerateProvisioningOrdersTask>
  </Job>`;
    await setUp(adAccount(`MaximumInsertPercent="0" MaximumUpdatePercent="0" MaximumDeletePercent="10"`), { "jobs.xml": configFile(job) });
    const settings = { ...DEFAULT_SETTINGS, paths: ws.folders };
    const blocked = await runJob("Provision", { store, settings });
    expect(blocked.state).toBe("Blocked");
    expect(blocked.tasks.map((t) => [t.identifier, t.state])).toEqual([["Orders", "Blocked"]]);
    expect(files()).toEqual([]);
    const resumed = await resumeJob(blocked.instanceId, { store, settings });
    expect(resumed.state).toBe("Succeeded");
    expect(files()).toEqual([`AD_Account-${blocked.instanceId}-0001.json`]);
  });
});

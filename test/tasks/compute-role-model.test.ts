/**
 * ComputeRoleModelTask through its handler, then GenerateProvisioningOrdersTask, on the demo's role
 * model over a small HR and directory: the orders by change type, the counters, the task's states,
 * and a second run that writes nothing and generates no order.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../src/config/coerce-attribute.js";
import { AssignmentStore } from "../../src/domain/rolemodel/assignment-store.js";
import type { Store } from "../../src/store/store.js";
import computeRoleModel from "../../src/tasks/compute-role-model.js";
import generateOrders from "../../src/tasks/generate-provisioning-orders.js";
import { handlerFor } from "../../src/tasks/registry.js";
import type { TaskSnapshot } from "../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../helpers/task-workspace.js";
import { computeKeys, deployDemo, idsOf, loadDemoData } from "../domain/rolemodel/demo-role-model-fixture.js";

const roleModelTask = (attributes: Record<string, AttributeValue> = {}, entityTypes: string[] = ["HR_Person"]): TaskSnapshot =>
  taskSnapshot({
    identifier: "CRM", type: "ComputeRoleModelTask", entityTypes,
    attributes: { BatchSelectSize: 2, BatchInsertSize: 0, Dirty: false, BlockProvisioning: false, BlockAllResourceTypeProvisioning: false, IgnoreHistorization: false, ...attributes },
  });
const ordersTask = taskSnapshot({ identifier: "GPO", type: "GenerateProvisioningOrdersTask", attributes: { BatchInsertSize: 0, BatchSelectSize: 0, ForceProvisioning: false }, resourceTypes: ["AD_Entry_NominativeUser"] });

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("ComputeRoleModelTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
    await deployDemo(store);
    await loadDemoData(store);
    await computeKeys(store);
  });
  afterEach(async () => {
    await db.drop();
  });

  const orders = () => new AssignmentStore(store.dataSource.manager).allOrders();

  it("is registered: a job runs it instead of ending task-not-implemented", () => {
    expect(handlerFor("ComputeRoleModelTask")).toBe(computeRoleModel);
  });

  it("leads to one creation and three modifications, then to nothing", async () => {
    const first = await computeRoleModel.run(ws.context, roleModelTask());
    expect(first).toMatchObject({ state: "Succeeded", didWork: true });
    expect(first.counters).toMatchObject({ owners: 5, roles: 15, resourceTypes: 5, errors: 0 });
    expect(ws.progress.length).toBe(3); // batches of 2

    const generated = await generateOrders.run(ws.context, ordersTask);
    expect(generated.state).toBe("Succeeded");
    const ids = await idsOf(store);
    const byOwner = new Map((await orders()).map((o) => [o.ownerId, o]));
    expect([...byOwner.values()].map((o) => o.changeType).sort()).toEqual(["Added", "Modified", "Modified", "Modified"]);
    expect(byOwner.get(ids.get("HR_Person:E5")!)).toMatchObject({ changeType: "Added", targetId: null });
    expect(JSON.parse(byOwner.get(ids.get("HR_Person:E2")!)!.changes)).toEqual({ userAccountControl: "512" });
    expect(JSON.parse(byOwner.get(ids.get("HR_Person:E3")!)!.changes)).toEqual({ mail: "grace.hopper@example.com" });
    expect(JSON.parse(byOwner.get(ids.get("HR_Person:E4")!)!.changes)).toEqual({
      memberOf_add: [{ Id: String(ids.get("AD_Entry:group-0")), Identifier: "group-0" }, { Id: String(ids.get("AD_Entry:group-1")), Identifier: "group-1" }],
    });
    expect(byOwner.has(ids.get("HR_Person:E1")!)).toBe(false);

    const second = await computeRoleModel.run(ws.context, roleModelTask({ BatchSelectSize: 0 }));
    expect(second).toMatchObject({ state: "Succeeded", didWork: false });
    expect(second.counters).toMatchObject({ inserted: 0, updated: 0, ended: 0, deleted: 0 });
    const before = (await orders()).length;
    await generateOrders.run(ws.context, ordersTask);
    expect((await orders()).length).toBe(before);
  });

  it("with BlockProvisioning sends every order to review: nothing is Pending", async () => {
    const result = await computeRoleModel.run(ws.context, roleModelTask({ BlockProvisioning: true }));
    expect(result.counters).toMatchObject({ pending: 0 });
    expect(result.counters!.awaitingApproval).toBeGreaterThan(0);
    await generateOrders.run(ws.context, ordersTask);
    expect(await orders()).toEqual([]);
  });

  it("computes nothing for an entity type no rule owns, and says so", async () => {
    const result = await computeRoleModel.run(ws.context, roleModelTask({}, ["Directory_User"]));
    expect(result).toMatchObject({ state: "Succeeded", didWork: false });
    expect(ws.lines("Information")).toContain("Directory_User: no ContextRule nor ResourceType has it as SourceEntityType, nothing to compute");
  });
});

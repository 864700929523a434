/**
 * The order report on real databases, seeded through the assignment store: the JSON shape,
 * owner and target by entity type and key, filters by resource type and state, a resource type that
 * is not deployed refused with a did-you-mean.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { orderReport } from "../../../src/domain/rolemodel/order-report.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { deployRoleModel } from "./role-model-fixture.js";
import { seedAssignments, seedOrders } from "./report-seed.js";

describe.each(BACKENDS)("order report on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("reports the orders in id order, owner and target by entity type and key, with their changes, state and file", async () => {
    await seedOrders(store, await seedAssignments(store));
    const orders = await orderReport(store);
    expect(orders).toEqual([
      {
        id: expect.any(Number), assignment: expect.any(Number), resourceType: "AD_Account", changeType: "Added", owner: { entityType: "HR_Person", key: "p2" }, target: null,
        changes: { sAMAccountName: "p2" }, state: "Transmitted", file: "ProvisioningOrders/AD/AD_Account-7-0001.json",
      },
      {
        id: expect.any(Number), assignment: expect.any(Number), resourceType: "AD_Account", changeType: "Modified", owner: { entityType: "HR_Person", key: "p1" }, target: { entityType: "AD_Entry", key: "ada.l" },
        changes: { mail: "p1@example.com" }, state: "AwaitingApproval", file: null,
      },
    ]);
    expect(orders[0]!.id!).toBeLessThan(orders[1]!.id!);
  });

  it("filters by resource type and state, and refuses a resource type that is not deployed", async () => {
    await seedOrders(store, await seedAssignments(store));
    expect((await orderReport(store, { states: ["AwaitingApproval"] })).map((o) => o.owner?.key)).toEqual(["p1"]);
    expect((await orderReport(store, { resourceType: "AD_Account", states: ["Transmitted"] })).map((o) => o.owner?.key)).toEqual(["p2"]);
    expect(await orderReport(store, { states: ["Declined", "Discarded"] })).toEqual([]);
    await expect(orderReport(store, { resourceType: "AD_Acount" })).rejects.toThrow("no resource type AD_Acount is deployed; did you mean AD_Account?");
  });

  it("is empty when no order is recorded", async () => {
    await deployRoleModel(store, []);
    expect(await orderReport(store)).toEqual([]);
    expect(await orderReport(store, { resourceType: "AD_Account" })).toEqual([]);
  });
});

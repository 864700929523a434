/**
 * Verification on real databases, with the demo's role model and TransmittedStateValidityPeriod="60":
 * the orders generated, one fulfilled and seen in the synchronized directory (Verified), the others
 * left waiting: unchanged within the period, Errored past it, and never ordered again.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FulfilStore } from "../../../../src/domain/provisioning/fulfil-store.js";
import { ResourceStore } from "../../../../src/domain/resources/resource-store.js";
import type { OrderRow } from "../../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../../src/domain/rolemodel/assignment-store.js";
import type { Store } from "../../../../src/store/store.js";
import generateOrders from "../../../../src/tasks/generate-provisioning-orders.js";
import { BACKENDS, type TestDatabase } from "../../../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../../../helpers/task-workspace.js";
import { assignmentsByKeys, computeKeys, deployDemo, idsOf, loadDemoData, roleModel } from "../demo-role-model-fixture.js";

const RT = "AD_Entry_NominativeUser";
const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("verification and TransmittedStateValidityPeriod on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployDemo(store, (xml) => xml.replace(`AllowRemove="false">`, `AllowRemove="false" TransmittedStateValidityPeriod="60">`));
    await loadDemoData(store);
    await computeKeys(store);
  });
  afterEach(async () => {
    await db.drop();
  });

  const orders = (): Promise<OrderRow[]> => new AssignmentStore(store.dataSource.manager).allOrders();

  /** The provisioning state of each person's account and of its values that move (the Verified ones other than mail stay so throughout). */
  async function statesByPerson(): Promise<Record<string, string[]>> {
    const all = await assignmentsByKeys(store);
    const out: Record<string, string[]> = {};
    for (const person of ["E2", "E3", "E5"]) {
      out[person] = all[`HR_Person:${person}`]!.filter((r) => r.startsWith('["type"') || r.startsWith('["value"')).map((r) => JSON.parse(r) as unknown[])
        .map((r) => (r[0] === "type" ? `account ${String(r[5])}` : `${String(r[3])} ${String(r[6])}`)).filter((s) => !s.endsWith("Verified") || s.startsWith("account") || s.startsWith("mail"));
    }
    return out;
  }

  it("an order fulfilled and synchronized back turns Verified; those still waiting keep their state within the period and turn Errored past it, once", async () => {
    await roleModel(store);
    const ws = taskWorkspace({}, { store });
    const generated = await generateOrders.run(ws.context, taskSnapshot({
      identifier: "GPO", type: "GenerateProvisioningOrdersTask", attributes: { BatchInsertSize: 0, BatchSelectSize: 0, ForceProvisioning: true }, resourceTypes: [RT],
    }));
    expect(generated.state).toBe("Succeeded");
    const sent = await orders();
    const ids = await idsOf(store);
    const ofPerson = (person: string) => sent.find((o) => o.ownerId === ids.get(`HR_Person:${person}`))!;
    const sentAt = new Date(ofPerson("E3").createdAt);

    // E3's new mail is written to the directory (the fulfilment's record), and the next synchronization reads it.
    await new FulfilStore(store).record([{ id: ofPerson("E3").id, state: "Executed", message: "updated mail", assignedResourceTypeId: ofPerson("E3").assignedResourceTypeId }], minutes(sentAt, 5), 8);
    await new ResourceStore(store.dataSource.manager).updateResources([{
      id: ids.get("AD_Entry:guid-E3")!,
      properties: {
        dn: "CN=Grace Hopper (E3),OU=Users,DC=demo,DC=local", objectGuid: "guid-E3", sAMAccountName: "e3", displayName: "Grace Hopper", mail: "grace.hopper@example.com",
        employeeID: "E3", userAccountControl: 512, objectCategory: "Person",
      },
    }], { at: minutes(sentAt, 10), jobInstanceId: 9 });

    await roleModel(store, { at: minutes(sentAt, 59) });
    expect(await statesByPerson()).toEqual({
      E2: ["account Transmitted", "mail Verified", "userAccountControl Transmitted"],
      E3: ["account Verified", "mail Verified"],
      E5: ["account Transmitted", "memberOf Transmitted", "memberOf Transmitted", "displayName Transmitted", "dn Transmitted", "employeeID Transmitted", "mail Transmitted", "userAccountControl Transmitted"],
    });

    await roleModel(store, { at: minutes(sentAt, 61) });
    const late = await statesByPerson();
    expect(late.E2).toEqual(["account Errored", "mail Verified", "userAccountControl Errored"]);
    expect(late.E3).toEqual(["account Verified", "mail Verified"]);
    expect(new Set(late.E5!.map((s) => s.split(" ")[1]))).toEqual(new Set(["Errored"]));

    // Errored waits for someone to look: a later run neither changes it nor orders it again.
    expect(await roleModel(store, { at: minutes(sentAt, 600) })).toMatchObject({ inserted: 0, updated: 0, pending: 0 });
  });
});

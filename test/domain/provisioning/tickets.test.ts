/**
 * The Manual package on real databases: FulfillTask leaves each order open as a ticket (logged, the
 * order Transmitted, its assignment too), and `completeTicket` closes it: Executed, or Verified with
 * TicketSynchroIsNotAvailable, or Errored with the person's message; the order file completes once
 * its last ticket is closed. A closed ticket, an order of another package or an unknown id is refused.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { completeTicket } from "../../../src/domain/provisioning/tickets.js";
import { orderReport } from "../../../src/domain/rolemodel/order-report.js";
import type { OrderRow } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import type { Store } from "../../../src/store/store.js";
import handler from "../../../src/tasks/fulfill.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { configFile } from "../../helpers/temp-folder.js";
import { assignment, deployAndSeed, scalar, writeOrders } from "./fulfil-fixture.js";

const FULFIL = taskSnapshot({ identifier: "Fulfil", type: "FulfillTask", attributes: { BatchSize: 0, ContinueOnError: false, IgnoreHistorization: false }, resourceTypes: ["AD_Account"] });
const AT = new Date("2026-12-02T09:00:00.000Z");
const manual = (attributes = "") => configFile(`  <Connection Identifier="ADManual" DisplayName_L1="AD by hand" Connector="AD" Package="Usercube.Manual@0000001" />
  <ManualProvisioningResourceTypeMapping Identifier="AD_Account" Connection="ADManual"${attributes} />`);

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("manual tickets on %s", (_, backend) => {
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

  const orderRows = (): Promise<OrderRow[]> => assignments.allOrders();
  const states = async () => (await assignments.resourceTypesByIds((await orderRows()).map((o) => o.assignedResourceTypeId))).map((a) => [a.provisioningState, a.values.map((v) => v.provisioningState)]);

  /** Two accounts to create, by hand, opened as tickets by FulfillTask; their order ids. */
  async function openTickets(attributes = ""): Promise<number[]> {
    const id = await deployAndSeed(store, { "provisioning.xml": manual(attributes) });
    await writeOrders(store, ws, [assignment(id.p2!, { values: [scalar("sAMAccountName", "bob")] }), assignment(id.p4!, { values: [scalar("sAMAccountName", "dan")] })]);
    const result = await handler.run(ws.context, FULFIL);
    expect(result).toMatchObject({ state: "Succeeded", counters: { orders: 2, tickets: 2, addedExecuted: 0, files: 0 } });
    return (await orderRows()).map((o) => o.id);
  }

  it("opens a ticket per order, logged, the orders and their assignments Transmitted; the next run does not open them again", async () => {
    const [first] = await openTickets();
    expect(ws.lines("Information")).toContainEqual(expect.stringMatching(new RegExp(`^ticket ${first} open \\(Connection ADManual\\): Added AD_Account for p2: \\{"sAMAccountName":"bob"\\}; close it with idm orders complete ${first}$`)));
    expect((await orderRows()).map((o) => [o.state, o.fulfilState])).toEqual([["applied", "Ticket"], ["applied", "Ticket"]]);
    expect(await states()).toEqual([["Transmitted", ["Transmitted"]], ["Transmitted", ["Transmitted"]]]);
    expect((await orderReport(store, { states: ["Transmitted"] })).length).toBe(2);
    expect((await handler.run(ws.context, FULFIL)).counters).toMatchObject({ orders: 0, tickets: 0 });
  });

  it("closes tickets: Executed, then Errored with the message; the file completes with its results once both are closed", async () => {
    const [first, second] = await openTickets();
    const file = (await orderRows())[0]!.orderFile!;
    expect(await completeTicket(store, first!, { by: "alice", at: AT, workFolder: ws.folders.work })).toEqual({ id: first, state: "Executed", file });
    expect(existsSync(join(ws.folders.work, file))).toBe(true);
    const closed = await completeTicket(store, second!, { error: "no licence left", by: "alice", at: AT, workFolder: ws.folders.work });
    expect(closed).toEqual({ id: second, state: "Errored", file: file.replace("AD_Account", "Completed/AD_Account") });
    expect((await orderRows()).map((o) => [o.fulfilState, o.fulfilMessage, o.fulfilledAt?.toISOString(), o.fulfilledByJobInstance])).toEqual([
      ["Executed", "ticket closed by alice", AT.toISOString(), null], ["Errored", "no licence left", AT.toISOString(), null],
    ]);
    expect(await states()).toEqual([["Executed", ["Executed"]], ["Errored", ["Errored"]]]);
    expect((await orderReport(store)).map((o) => o.state)).toEqual(["Executed", "Errored"]);
    const results = readFileSync(join(ws.folders.work, file.replace(/AD_Account(.*)\.json$/, "Results/AD_Account$1.csv")), "utf8");
    expect(results).toContain("Errored,no licence left,Added");
  });

  it("with TicketSynchroIsNotAvailable an executed ticket's assignment goes straight to Verified", async () => {
    const [first] = await openTickets(` TicketSynchroIsNotAvailable="true"`);
    expect(await completeTicket(store, first!, { by: "alice", at: AT, workFolder: ws.folders.work })).toMatchObject({ state: "Verified" });
    expect((await states())[0]).toEqual(["Verified", ["Verified"]]);
    expect((await orderReport(store)).map((o) => o.state)).toEqual(["Verified", "Transmitted"]);
  });

  it("refuses an unknown order and one that is not an open ticket", async () => {
    const [first] = await openTickets();
    const closing = { by: "alice", at: AT, workFolder: ws.folders.work };
    await expect(completeTicket(store, 999, closing)).rejects.toMatchObject({ reason: "unknown", message: "no provisioning order 999 is recorded" });
    await completeTicket(store, first!, closing);
    await expect(completeTicket(store, first!, closing)).rejects.toMatchObject({ reason: "state", message: expect.stringContaining(`order ${first} is not an open ticket (Executed)`) });
  });
});

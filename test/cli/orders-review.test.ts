/**
 * `idm orders approve|decline|complete` as a user runs them (the built CLI): what awaits approval
 * listed, approved with a comment and recorded with the OS user, declined, a manual ticket closed
 * Errored with its message; unknown ids (exit 3), wrong states (exit 1) and malformed ids (64)
 * refused with nothing decided.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FulfilStore } from "../../src/domain/provisioning/fulfil-store.js";
import { ruleColumns, type OrderRow } from "../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../src/domain/rolemodel/assignment-store.js";
import { openStore } from "../../src/store/store.js";
import { idm } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";
import { T0 } from "../domain/rolemodel/role-model-fixture.js";
import { seedAssignments, seedOrders } from "../domain/rolemodel/report-seed.js";

afterAll(dropProcessDatabases);

describe.each(PROCESS_DATABASES)("idm orders approve, decline and complete on $name", (database) => {
  let url: string;
  let run: (...args: string[]) => ReturnType<typeof idm>;
  /** p2's order (written, then opened as a ticket), p1's (blocked by a threshold), p3's assignment AwaitingApproval. */
  let ticket: number;
  let blocked: number;
  let awaiting: number;

  async function orders(): Promise<OrderRow[]> {
    const store = await openStore(url);
    try {
      return await new AssignmentStore(store.dataSource.manager).allOrders();
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-review-"));
    url = await database.create(cwd);
    run = (...args: string[]) => idm(cwd, "--database", url, ...args);
    const store = await openStore(url);
    try {
      const seeded = await seedAssignments(store);
      await seedOrders(store, seeded);
      const written = await new AssignmentStore(store.dataSource.manager).writeDelta({
        resourceTypes: {
          insert: [{
            ownerId: seeded.ids.get("HR_Person")!.get("p3")!, resourceType: "AD_Account", targetId: null, correlationRule: null, confidence: null,
            provisioningState: "AwaitingApproval", changeType: "Added", heldBack: null, origin: "rule", workflowState: "PolicyApproved", validFrom: T0, validTo: null,
            ...ruleColumns({ kind: "TypeRule", identifier: "AD_Account/TypeRule#1" }), parameters: null, values: [],
          }],
        },
      }, { at: T0, jobInstanceId: 1 });
      awaiting = written.resourceTypeIds[0]!;
    } finally {
      await store.close();
    }
    [ticket, blocked] = (await orders()).map((o) => o.id) as [number, number];
    const store2 = await openStore(url);
    try {
      // As FulfillTask records an order the Manual package left open.
      await new FulfilStore(store2).record([{ id: ticket, assignedResourceTypeId: (await orders())[0]!.assignedResourceTypeId, state: "Ticket", message: "ticket open" }], T0, 7);
    } finally {
      await store2.close();
    }
  });

  it("lists what awaits approval, the assignment without order as a<id>", () => {
    const list = run("orders", "--state", "AwaitingApproval");
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^#${blocked} {2}AwaitingApproval Modified AD_Account {2}HR_Person p1 → AD_Entry ada\\.l\\n.*\\na${awaiting} {2}AwaitingApproval Added {4}AD_Account {2}HR_Person p3 → new resource\\n$`));
  });

  it("refuses unknown ids (3), malformed ones (64) and orders not awaiting approval (1), deciding nothing", async () => {
    const unknown = run("orders", "approve", String(blocked), "999");
    expect([unknown.status, unknown.stderr.trim()]).toEqual([3, "idm: no provisioning order 999 is recorded; nothing was decided"]);
    expect(run("orders", "approve", "x1").status).toBe(64);
    const state = run("orders", "decline", String(ticket));
    expect(state.status).toBe(1);
    expect(state.stderr).toContain(`order ${ticket} is not awaiting approval (applied)`);
    expect((await orders()).map((o) => o.decision)).toEqual([null, null]);
  });

  it("approves with a comment, recorded with the OS user and the time; declines an assignment without order", async () => {
    const before = Date.now();
    const approved = run("orders", "approve", `#${blocked}`, "--comment", "checked with HR");
    expect(approved.stderr).toBe("");
    expect(approved.stdout).toBe(`Approved by ${userInfo().username}: #${blocked} (the next GenerateProvisioningOrders writes them).\n`);
    const declined = run("orders", "decline", `a${awaiting}`);
    expect(declined.status).toBe(0);
    const rows = await orders();
    expect(rows.map((o) => [o.id === blocked ? "p1" : o.assignedResourceTypeId === awaiting ? "p3" : "p2", o.state, o.decision, o.decidedBy, o.decisionComment])).toEqual([
      ["p2", "applied", null, null, null],
      ["p1", "blocked", "Approved", userInfo().username, "checked with HR"],
      ["p3", "discarded", "Declined", userInfo().username, null],
    ]);
    expect(rows[1]!.decidedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const states = (JSON.parse(run("orders", "--json").stdout) as { state: string }[]).map((o) => o.state);
    expect(states).toEqual(["Transmitted", "Pending", "Declined"]);
    expect(run("orders", "approve", String(blocked)).status).toBe(1);
  });

  it("closes a manual ticket Errored with the message; a closed one is refused", async () => {
    const closed = run("orders", "complete", String(ticket), "--error", "no licence left");
    expect(closed.stderr).toBe("");
    expect(closed.stdout).toBe(`Order #${ticket} Errored (ticket closed by ${userInfo().username}).\n`);
    expect((await orders())[0]).toMatchObject({ fulfilState: "Errored", fulfilMessage: "no licence left" });
    expect((JSON.parse(run("orders", "--state", "Errored", "--json").stdout) as { id: number }[]).map((o) => o.id)).toEqual([ticket]);
    const again = run("orders", "complete", String(ticket));
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`order ${ticket} is not an open ticket (Errored)`);
    expect(run("orders", "complete", "999").status).toBe(3);
  });
});

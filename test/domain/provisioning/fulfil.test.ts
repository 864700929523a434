/**
 * FulfillTask on real databases, from real order files (GenerateProvisioningOrdersTask) to a real
 * target table through the SQL package: each change type applied, outcomes recorded on the orders
 * and their assignments, results CSV and Completed/, errors per order with and without
 * ContinueOnError, a cancel in the middle of a batch, a run killed after its package committed, the
 * routing errors, and a Usercube.FulfillDatabase connection writing into the resource store (Dirty).
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../../src/config/coerce-attribute.js";
import type { FulfilPackage } from "../../../src/connectors/fulfil/fulfiller.js";
import { sqlPackage } from "../../../src/connectors/fulfil/sql-package.js";
import { fulfilOrders } from "../../../src/domain/provisioning/fulfil.js";
import * as q from "../../../src/domain/provisioning/fulfil-queries.js";
import { FulfilStore } from "../../../src/domain/provisioning/fulfil-store.js";
import type { OrderRow } from "../../../src/domain/rolemodel/assignment-rows.js";
import { decodeProperties } from "../../../src/domain/resources/properties.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import { offlineMssqlStore, type Store } from "../../../src/store/store.js";
import handler from "../../../src/tasks/fulfill.js";
import type { TaskSnapshot } from "../../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { statement } from "../../helpers/sql-statement.js";
import { configFile } from "../../helpers/temp-folder.js";
import { deployRoleModel } from "../rolemodel/role-model-fixture.js";
import { assignment, connectionSettings, deployAndSeed, navigation, scalar, targetTable, writeOrders, type TargetTable } from "./fulfil-fixture.js";

function task(attributes: Record<string, AttributeValue> = {}, resourceTypes: string[] = ["AD_Account"]): TaskSnapshot {
  return taskSnapshot({ identifier: "Fulfil", type: "FulfillTask", attributes: { BatchSize: 0, ContinueOnError: false, IgnoreHistorization: false, ...attributes }, resourceTypes });
}

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("FulfillTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;
  let target: TargetTable;
  let id: Record<string, number>;
  let assignments: AssignmentStore;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
    target = await targetTable(backend.name, db, ws.root);
    ws.context.settings = { ...ws.context.settings, connections: { ADSql: connectionSettings(target) } };
    assignments = new AssignmentStore(store.dataSource.manager);
    id = await deployAndSeed(store);
    await target.query(`INSERT INTO <accounts> ("sAMAccountName", "mail") VALUES ('ada.l', 'ada@old.example.com'), ('old', 'old@example.com')`);
  });
  afterEach(async () => {
    await target.close();
    await db.drop();
  });

  const folder = () => join(ws.folders.work, "ProvisioningOrders", "AD");
  const list = (sub = "") => (existsSync(join(folder(), sub)) ? readdirSync(join(folder(), sub)).filter((f) => !f.startsWith(".")).sort() : []);
  const orderRows = (): Promise<OrderRow[]> => assignments.allOrders();
  const states = async () => (await assignments.resourceTypesByIds((await orderRows()).map((o) => o.assignedResourceTypeId))).map((a) => [a.id, a.provisioningState, a.values.map((v) => v.provisioningState)]);

  /** p2 gets bob (Added), ada.l's mail changes (Modified), old goes (Deleted). */
  const threeOrders = () => [
    assignment(id.p2!, { values: [scalar("sAMAccountName", "bob"), scalar("mail", "bob@example.com"), navigation("manager", id.boss!)] }),
    assignment(id.p1!, { targetId: id["ada.l"]!, changeType: "Modified", values: [scalar("mail", "ada@new.example.com")] }),
    assignment(id.p3!, { targetId: id.old!, changeType: "Deleted" }),
  ];

  it("applies Added, Modified and Deleted orders to the table, records Executed on the orders and their assignments, writes the results and completes the file", async () => {
    expect(await writeOrders(store, ws, threeOrders())).toBe(1);
    const result = await handler.run(ws.context, task());
    expect(result).toEqual({
      state: "Succeeded", didWork: true,
      counters: { orders: 3, addedExecuted: 1, addedErrored: 0, modifiedExecuted: 1, modifiedErrored: 0, deletedExecuted: 1, deletedErrored: 0, alreadyApplied: 0, tickets: 0, files: 1 },
    });
    expect(await target.rows()).toEqual([
      { sAMAccountName: "ada.l", mail: "ada@new.example.com", employeeID: null, manager: null },
      { sAMAccountName: "bob", mail: "bob@example.com", employeeID: null, manager: "boss" },
    ]);
    const rows = await orderRows();
    expect(rows.map((o) => [o.assignedResourceTypeId, o.fulfilState, o.fulfilMessage, o.fulfilledByJobInstance, o.orderFile])).toEqual([
      [1, "Executed", `inserted the row of ${target.table} with sAMAccountName = bob`, 7, "ProvisioningOrders/AD/Completed/AD_Account-7-0001.json"],
      [2, "Executed", `updated mail of the row of ${target.table} with sAMAccountName = ada.l`, 7, "ProvisioningOrders/AD/Completed/AD_Account-7-0001.json"],
      [3, "Executed", `deleted the row of ${target.table} with sAMAccountName = old`, 7, "ProvisioningOrders/AD/Completed/AD_Account-7-0001.json"],
    ]);
    expect(rows.every((o) => o.fulfilledAt instanceof Date)).toBe(true);
    expect(await states()).toEqual([[1, "Executed", ["Executed", "Executed", "Executed"]], [2, "Executed", ["Executed"]], [3, "Executed", []]]);
    expect(list()).toEqual(["Completed", "Results"]);
    expect(list("Completed")).toEqual(["AD_Account-7-0001.json"]);
    expect(readFileSync(join(folder(), "Results", "AD_Account-7-0001.csv"), "utf8")).toBe([
      "AssignmentId,ProvisioningState,Message,ChangeType,OwnerId,OwnerType",
      `1,Executed,inserted the row of ${target.table} with sAMAccountName = bob,Added,${id.p2},HR_Person`,
      `2,Executed,updated mail of the row of ${target.table} with sAMAccountName = ada.l,Modified,${id.p1},HR_Person`,
      `3,Executed,deleted the row of ${target.table} with sAMAccountName = old,Deleted,${id.p3},HR_Person`,
      "",
    ].join("\r\n"));

    // Every order has its outcome: a second run finds nothing to do.
    const again = await handler.run(ws.context, task());
    expect(again).toMatchObject({ state: "Succeeded", didWork: false, counters: { orders: 0 } });
    expect(ws.lines("Information")).toContain("no order to fulfil for AD_Account");
  });

  it("reports each failing order Errored with its message and, under ContinueOnError, applies the others", async () => {
    await writeOrders(store, ws, [
      assignment(id.p2!, { values: [scalar("sAMAccountName", "bob"), navigation("memberOf", id.grp_sales!)] }),
      assignment(id.p1!, { targetId: id.boss!, changeType: "Modified", values: [scalar("mail", "boss@example.com")] }),
      assignment(id.p4!, { values: [scalar("sAMAccountName", "dan"), scalar("description", "no such column")] }),
      assignment(id.p3!, { targetId: id.old!, changeType: "Deleted" }),
    ]);
    const result = await handler.run(ws.context, task({ ContinueOnError: true }));
    expect(result).toMatchObject({
      state: "Error", didWork: true,
      counters: { orders: 4, addedExecuted: 0, addedErrored: 2, modifiedErrored: 1, deletedExecuted: 1, files: 1 },
      message: expect.stringMatching(/^3 orders Errored; the first: order 1 \(ResourceType AD_Account, assignment 1, Added\) Errored: the multi-valued property memberOf/),
    });
    const rows = await orderRows();
    expect(rows.map((o) => o.fulfilState)).toEqual(["Errored", "Errored", "Errored", "Executed"]);
    expect(rows[0]!.fulfilMessage).toBe(
      `the multi-valued property memberOf (memberOf_add) has no place in one row of ${target.table}: the SQL package writes scalar and single-valued properties; add Links.memberOf to the settings (its link table), or fulfil its links through another connection`);
    expect(rows[1]!.fulfilMessage).toBe(`no row of ${target.table} has sAMAccountName = boss: nothing to modify`);
    expect(rows[2]!.fulfilMessage).toMatch(new RegExp(`^${target.table.replace(".", "\\.")}: .*description`));
    expect(await states()).toEqual([[1, "Errored", ["Errored", "Errored"]], [2, "Errored", ["Errored"]], [3, "Errored", ["Errored", "Errored"]], [4, "Executed", []]]);
    // The failed INSERT was rolled back alone: the Deleted order after it is committed.
    expect(await target.rows()).toEqual([{ sAMAccountName: "ada.l", mail: "ada@old.example.com", employeeID: null, manager: null }]);
    expect(ws.lines("Warning")).toHaveLength(3);
  });

  it("without ContinueOnError ends Error at the first Errored batch and leaves the later orders Transmitted for the next run", async () => {
    await writeOrders(store, ws, [
      assignment(id.p2!, { values: [scalar("sAMAccountName", "bob")] }),
      assignment(id.p1!, { targetId: id.boss!, changeType: "Modified", values: [scalar("mail", "boss@example.com")] }),
      assignment(id.p3!, { targetId: id.old!, changeType: "Deleted" }),
    ]);
    const result = await handler.run(ws.context, task({ BatchSize: 1 }));
    expect(result).toMatchObject({
      state: "Error", counters: { orders: 2, addedExecuted: 1, modifiedErrored: 1, deletedExecuted: 0, files: 0 },
      message: `1 orders Errored; the first: order 2 (ResourceType AD_Account, assignment 2, Modified) Errored: no row of ${target.table} has sAMAccountName = boss: nothing to modify; the orders after it stay Transmitted for the next run`,
    });
    expect((await orderRows()).map((o) => o.fulfilState)).toEqual(["Executed", "Errored", null]);
    expect((await states()).map(([, state]) => state)).toEqual(["Executed", "Errored", "Transmitted"]);
    expect(list()).toEqual(["AD_Account-7-0001.json", "Results"]);
    expect(readFileSync(join(folder(), "Results", "AD_Account-7-0001.csv"), "utf8").trimEnd().split("\r\n")).toHaveLength(3);

    // The next run takes the rest and completes the file; the results hold all three.
    const next = await handler.run(ws.context, task({ BatchSize: 1 }));
    expect(next).toMatchObject({ state: "Succeeded", counters: { orders: 1, deletedExecuted: 1, files: 1 } });
    expect(readFileSync(join(folder(), "Results", "AD_Account-7-0001.csv"), "utf8").trimEnd().split("\r\n").map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
      "AssignmentId,ProvisioningState", "1,Executed", "2,Errored", "3,Executed",
    ]);
    expect(await target.rows()).toEqual([
      { sAMAccountName: "ada.l", mail: "ada@old.example.com", employeeID: null, manager: null },
      { sAMAccountName: "bob", mail: null, employeeID: null, manager: null },
    ]);
  });

  it("stops between two orders of a batch on cancel: those applied are recorded, the rest stay Transmitted and are taken by the next run", async () => {
    await writeOrders(store, ws, threeOrders());
    const controller = new AbortController();
    // The SQL package, given one order at a time, with the cancel arriving once the first is applied.
    const oneByOne: FulfilPackage = {
      name: "SQL one by one",
      handles: (p) => sqlPackage.handles(p),
      async open(route, context) {
        const inner = await sqlPackage.open(route, context);
        return {
          async *apply(orders, signal) {
            for (const order of orders) {
              if (signal.aborted) return;
              yield* inner.apply([order], signal);
              controller.abort(new Error("cancelled by the test"));
            }
          },
          close: () => inner.close(),
        };
      },
    };
    const options = {
      store, job: { identifier: "J", instanceId: 8 }, workFolder: ws.folders.work, resourceTypes: ["AD_Account"], connector: undefined, connection: undefined,
      batchSize: 0, continueOnError: false, connections: ws.context.settings.connections, log: () => {}, progress: () => {},
    };
    await expect(fulfilOrders({ ...options, signal: controller.signal, packages: [oneByOne] })).rejects.toThrow("cancelled by the test");
    expect((await orderRows()).map((o) => o.fulfilState)).toEqual(["Executed", null, null]);
    expect((await states()).map(([, state]) => state)).toEqual(["Executed", "Transmitted", "Transmitted"]);
    expect(list()).toEqual(["AD_Account-7-0001.json", "Results"]);

    const next = await fulfilOrders({ ...options, signal: new AbortController().signal });
    expect(next.counters).toMatchObject({ orders: 2, modifiedExecuted: 1, deletedExecuted: 1, alreadyApplied: 0, tickets: 0, files: 1 });
    expect((await target.rows()).map((r) => r.sAMAccountName)).toEqual(["ada.l", "bob"]);
  });

  it("gives the InFlight orders of a killed run to the package again, which finds them applied and writes nothing twice", async () => {
    await writeOrders(store, ws, threeOrders());
    // As a run killed after its package committed the batch and before the outcomes were recorded.
    const [added, modified, deleted] = await orderRows();
    await new FulfilStore(store).setInFlight([added!.id, modified!.id, deleted!.id], true);
    await target.query(`INSERT INTO <accounts> ("sAMAccountName", "mail", "manager") VALUES ('bob', 'bob@example.com', 'boss')`);
    await target.query(`UPDATE <accounts> SET "mail" = 'ada@new.example.com' WHERE "sAMAccountName" = 'ada.l'`);
    await target.query(`DELETE FROM <accounts> WHERE "sAMAccountName" = 'old'`);

    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Succeeded", counters: { orders: 3, addedExecuted: 1, modifiedExecuted: 1, deletedExecuted: 1, alreadyApplied: 3 } });
    expect((await orderRows()).map((o) => o.fulfilMessage)).toEqual([
      `already applied: the row of ${target.table} with sAMAccountName = bob has the order's values`,
      `already applied: the row of ${target.table} with sAMAccountName = ada.l has the order's values`,
      `already applied: no row of ${target.table} has sAMAccountName = old`,
    ]);
    expect((await target.rows()).map((r) => r.sAMAccountName)).toEqual(["ada.l", "bob"]);
  });

  it("reads a file its generation recorded but left under .tmp (killed before the rename), and errors the orders of a file that is gone", async () => {
    expect(await writeOrders(store, ws, threeOrders(), 2)).toBe(2);
    renameSync(join(folder(), "AD_Account-7-0001.json"), join(folder(), "AD_Account-7-0001.json.tmp"));
    rmSync(join(folder(), "AD_Account-7-0002.json"));
    const result = await handler.run(ws.context, task({ ContinueOnError: true }));
    expect(result).toMatchObject({ state: "Error", counters: { orders: 3, addedExecuted: 1, modifiedExecuted: 1, deletedErrored: 1, files: 1 } });
    expect((await orderRows()).map((o) => [o.fulfilState, o.fulfilMessage?.replace(/ the row of .*/, "")])).toEqual([
      ["Executed", "inserted"], ["Executed", "updated mail of"], ["Errored", "the order file ProvisioningOrders/AD/AD_Account-7-0002.json cannot be read: ENOENT"],
    ]);
    expect(list()).toEqual(["Completed", "Results"]);
    expect(list("Completed")).toEqual(["AD_Account-7-0001.json"]);
    expect(list("Results")).toEqual(["AD_Account-7-0001.csv", "AD_Account-7-0002.csv"]);
  });

  it("routes by Connector, and names what is missing: a mapping, a package, the connection's settings", async () => {
    await writeOrders(store, ws, threeOrders());
    await expect(handler.run(ws.context, task({}, ["HR_Person"]))).rejects.toThrow("ResourceType HR_Person has no ResourceTypeMapping: no connection fulfils its orders");
    await expect(handler.run(ws.context, task({}, []))).rejects.toThrow("FulfillTask names no TaskResourceType and no Connector: which orders to fulfil");

    const noSettings = { ...ws.context, settings: { ...ws.context.settings, connections: {} } };
    await expect(handler.run(noSettings, task({ Connector: "AD" }, []))).rejects.toThrow(/^settings Connections\.ADSql is missing: the SQL package of Connection ADSql reads its settings there \(ResourceType AD_Account\); /);
    const noTable = { ...ws.context, settings: { ...ws.context.settings, connections: { ADSql: { ConnectionString: target.url } } } };
    await expect(handler.run(noTable, task({ Connector: "AD" }, []))).rejects.toThrow(/^settings Connections\.ADSql\.Table is missing/);
    expect((await orderRows()).map((o) => o.fulfilState)).toEqual([null, null, null]);

    // By Connector: the resource types whose mapping's connection belongs to AD.
    expect(await handler.run(ws.context, task({ Connector: "AD" }, []))).toMatchObject({ state: "Succeeded", counters: { orders: 3 } });

    await deployAndSeedAgainWithPackage("Usercube.Workday@0000001");
    await expect(handler.run(ws.context, task())).rejects.toThrow(
      "Connection ADSql (of ResourceTypeMapping AD_Account) has Package Usercube.Workday@0000001, which no fulfilment package of idm-toolkit handles");
  });

  it("routes a Usercube.FulfillDatabase connection to the resource store: Dirty=true writes the resources and flags them dirty", async () => {
    await deployAndSeedAgainWithPackage("Usercube.FulfillDatabase@0000001");
    await writeOrders(store, ws, [
      assignment(id.p2!, { values: [scalar("sAMAccountName", "bob"), scalar("mail", "bob@example.com")] }),
      assignment(id.p1!, { targetId: id["ada.l"]!, changeType: "Modified", values: [scalar("mail", "ada@new.example.com")] }),
    ]);
    const result = await handler.run(ws.context, task({ Dirty: true }));
    expect(result).toMatchObject({ state: "Succeeded", counters: { orders: 2, addedExecuted: 1, modifiedExecuted: 1, addedErrored: 0, modifiedErrored: 0 } });
    const resources = new ResourceStore(store.dataSource.manager);
    const ids = await resources.idsByKeys("AD_Entry", ["bob", "ada.l", "old"]);
    const rows = new Map((await resources.resourcesByIds([...ids.values()])).map((r) => [r.sourceKey, { dirty: Boolean(r.dirty), properties: decodeProperties(r.properties) }]));
    expect(rows.get("bob")).toEqual({ dirty: true, properties: { sAMAccountName: "bob", mail: "bob@example.com" } });
    expect(rows.get("ada.l")).toEqual({ dirty: true, properties: { sAMAccountName: "ada.l", mail: "ada@new.example.com" } });
    // What no order touched stays clean.
    expect(rows.get("old")?.dirty).toBe(false);
    expect(await target.rows()).toEqual([
      { sAMAccountName: "ada.l", mail: "ada@old.example.com", employeeID: null, manager: null },
      { sAMAccountName: "old", mail: "old@example.com", employeeID: null, manager: null },
    ]);
  });

  async function deployAndSeedAgainWithPackage(packageName: string): Promise<void> {
    await deployRoleModel(store, [], {
      files: {
        "provisioning.xml": configFile(`  <Connection Identifier="ADSql" DisplayName_L1="AD table" Connector="AD" Package="${packageName}" />
  <ResourceTypeMapping Identifier="AD_Account" Connection="ADSql" />`),
      },
    });
  }
});

describe("fulfilment statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const sql = [
      statement("a page of the orders to fulfil", q.selectOutstanding(m, ["AD_Account", "SAP_Account"], 0, 1000)),
      statement("the orders of a file (its results)", q.selectOfFile(m, ["AD_Account"], "ProvisioningOrders/AD/AD_Account-7-0001.json")),
      statement("orders handed to a package", q.setFulfilState(m, [1, 2], "InFlight")),
      statement("orders it did not reach", q.setFulfilState(m, [2], null)),
      statement("an outcome", q.recordOutcomes(m, [{ id: 1, state: "Executed", message: "inserted" }], new Date("2026-01-02T03:04:05.000Z"), 7)),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-fulfil.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`/);
  });
});

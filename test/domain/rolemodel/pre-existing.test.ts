/**
 * SavePreExistingAccessRightsTask on real databases: the default selection (owned found rows, and
 * automatic rows waiting to remove what exists), the requalified row and its history, idempotence,
 * and the three SQL attributes: their contract, and queries that would write or return no ids.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../../src/config/coerce-attribute.js";
import { ruleColumns, type NewResourceType, type NewValueOfType, type ResourceTypeWithValues } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import * as p from "../../../src/domain/rolemodel/pre-existing-queries.js";
import { offlineMssqlStore, type Store } from "../../../src/store/store.js";
import handler from "../../../src/tasks/save-pre-existing-access-rights.js";
import type { TaskSnapshot } from "../../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { statement } from "../../helpers/sql-statement.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { deployRoleModel, insertResources, T0 } from "./role-model-fixture.js";

const T1 = new Date("2026-02-01T00:00:00.000Z");
const typeRule = ruleColumns({ kind: "TypeRule", identifier: "AD_Account/TypeRule#1", file: "AD.xml", line: 28 });

function value(kind: "scalar" | "navigation", over: Partial<NewValueOfType> = {}): NewValueOfType {
  return {
    property: kind === "scalar" ? "mail" : "memberOf", kind, provisioningState: "Verified", changeType: null, confidence: null, questioned: false, origin: "rule", ...typeRule,
    workflowState: "PolicyApproved", validFrom: T0, validTo: null, policyValue: "v", currentValue: "v", ...over,
  };
}

function account(ownerId: number | null, targetId: number, over: Partial<NewResourceType> = {}): NewResourceType {
  return {
    ownerId, resourceType: "AD_Account", targetId, correlationRule: null, confidence: null, provisioningState: "Verified", changeType: null, heldBack: null,
    origin: "rule", ...typeRule, workflowState: "PolicyApproved", validFrom: T0, validTo: null, parameters: null, values: [], ...over,
  };
}

const FOUND = { origin: "found", workflowState: "Found", ...ruleColumns(null) } as const;

function task(attributes: Record<string, AttributeValue> = {}): TaskSnapshot {
  return taskSnapshot({ identifier: "Save_PreExisting", type: "SavePreExistingAccessRightsTask", attributes });
}

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("SavePreExistingAccessRightsTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;
  let assignments: AssignmentStore;
  /** account name → its resource type assignment id. */
  let rows: Map<string, number>;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store, job: { identifier: "Init", instanceId: 9 } });
    assignments = new AssignmentStore(store.dataSource.manager);
    await deployRoleModel(store, []);
    const ids = await insertResources(store, {
      people: [{ login: "ada" }, { login: "bob" }, { login: "cy" }, { login: "dan" }],
      accounts: [{ name: "ada" }, { name: "bob" }, { name: "cy" }, { name: "dan" }, { name: "orphan" }],
    });
    const person = (login: string) => ids.get("HR_Person")!.get(login)!;
    const target = (name: string) => ids.get("AD_Entry")!.get(name)!;
    const inserted: [string, NewResourceType][] = [
      // Found in AD and reconciled to ada: non-conforming, with its values.
      ["ada", account(person("ada"), target("ada"), { ...FOUND, values: [value("scalar", FOUND), value("navigation", FOUND)] })],
      // No rule grants bob's account any more: the role model waits, blocked, to remove it and a group of it.
      ["bob", account(person("bob"), target("bob"), {
        provisioningState: "AwaitingApproval", changeType: "Deleted", heldBack: "DependsOn AD_Admin",
        values: [value("navigation", { provisioningState: "Pending", changeType: "Deleted" })],
      })],
      // A rule grants cy's account, and wants its mail changed: provisioning, not pre-existing.
      ["cy", account(person("cy"), target("cy"), { values: [value("scalar", { provisioningState: "Pending", changeType: "Modified" })] })],
      // A manual request to remove dan's account is a decision, not a right found.
      ["dan", account(person("dan"), target("dan"), { origin: "manual", workflowState: "Approved", ...ruleColumns(null), provisioningState: "Pending", changeType: "Deleted" })],
      // Nobody is known to own it: classification's, not an access right of anyone.
      ["orphan", account(null, target("orphan"), { ...FOUND, values: [value("scalar", FOUND)] })],
    ];
    const written = await assignments.writeDelta({ resourceTypes: { insert: inserted.map(([, row]) => row) } }, { at: T0, jobInstanceId: 1 });
    rows = new Map(inserted.map(([name], i) => [name, written.resourceTypeIds[i]!]));
  });
  afterEach(async () => {
    await db.drop();
  });

  async function read(name: string): Promise<ResourceTypeWithValues> {
    return (await assignments.resourceTypesByIds([rows.get(name)!]))[0]!;
  }

  /** account → "origin/workflow/provisioning" of the assignment, then of each value. */
  async function states(): Promise<Record<string, string[]>> {
    const all = await assignments.resourceTypesByIds([...rows.values()]);
    const names = new Map([...rows].map(([name, id]) => [id, name]));
    const of = (r: { origin: string; workflowState: string; provisioningState: string }) => `${r.origin}/${r.workflowState}/${r.provisioningState}`;
    return Object.fromEntries(all.map((a) => [names.get(a.id)!, [of(a), ...a.values.map(of)]]));
  }

  const UNTOUCHED = {
    cy: ["rule/PolicyApproved/Verified", "rule/PolicyApproved/Pending"],
    dan: ["manual/Approved/Pending"],
    orphan: ["found/Found/Verified", "found/Found/Verified"],
  };

  it("requalifies owned found rights and automatic rows waiting to remove what exists, historizing what they were", async () => {
    const result = await handler.run(ws.context, task());
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { resourceTypes: 2, scalars: 1, navigations: 2, ignored: 0 } });
    expect(await states()).toEqual({
      ada: ["pre-existing/Historic/Verified", "pre-existing/Historic/Verified", "pre-existing/Historic/Verified"],
      bob: ["pre-existing/Historic/Verified", "pre-existing/Historic/Verified"],
      ...UNTOUCHED,
    });
    const bob = await read("bob");
    // The rule reference and validity stay: they say where the right came from, and for how long.
    expect(bob).toMatchObject({ changeType: null, heldBack: null, ...typeRule, validFrom: T0, validTo: null, updatedByJobInstance: 9 });
    expect(bob.values[0]).toMatchObject({ changeType: null, updatedByJobInstance: 9 });
    const [history] = await assignments.history("resource-type", bob.id);
    expect(history).toMatchObject({ operation: "update", archivedByJobInstance: 9, ownerId: bob.ownerId });
    expect(JSON.parse(history!.previous)).toMatchObject({ origin: "rule", provisioningState: "AwaitingApproval", changeType: "Deleted", heldBack: "DependsOn AD_Admin" });

    const again = await handler.run(ws.context, task());
    expect(again).toEqual({ state: "Succeeded", didWork: false, counters: { resourceTypes: 0, scalars: 0, navigations: 0, ignored: 0 } });
    expect(await assignments.history("resource-type", bob.id)).toHaveLength(1);
  });

  it("takes a table's rows from its SQL attribute instead: the ids in the first column, those naming no row of it ignored", async () => {
    const cy = await read("cy");
    const ada = await read("ada");
    const result = await handler.run(ws.context, task({
      // cy's, and an id of no assignment (twice: an id counts once).
      AssignedResourceTypeSQL: `SELECT id FROM idm_assigned_resource_types WHERE id = ${cy.id} UNION ALL SELECT 99999 UNION ALL SELECT 99999`,
      AssignedResourceScalarSQL: "SELECT id FROM idm_assigned_values WHERE 1 = 0",
      // ada's scalar and navigation values: the scalar is not this table's kind, ignored.
      AssignedResourceNavigationSQL: `SELECT id FROM idm_assigned_values WHERE id IN (${ada.values.map((v) => v.id).join(", ")})`,
      Level: -1,
    }));
    expect(result).toMatchObject({ state: "Succeeded", didWork: true, counters: { resourceTypes: 1, scalars: 0, navigations: 1, ignored: 2 } });
    expect(await states()).toEqual({
      ada: ["found/Found/Verified", "found/Found/Verified", "pre-existing/Historic/Verified"],
      bob: ["rule/PolicyApproved/AwaitingApproval", "rule/PolicyApproved/Pending"],
      cy: ["pre-existing/Historic/Verified", "rule/PolicyApproved/Pending"],
      dan: UNTOUCHED.dan,
      orphan: UNTOUCHED.orphan,
    });
    expect(ws.lines("Information")).toContain("AssignedResourceTypeSQL: the query returned 2 ids, 1 of rows to requalify");
  });

  it.each([
    ["a statement that writes", "DELETE FROM idm_assigned_values"],
    ["a query followed by a write", "SELECT id FROM idm_assigned_values; DELETE FROM idm_assigned_values"],
    ["a query whose first column holds no ids", "SELECT resource_type FROM idm_assigned_resource_types"],
    ["a query that fails", "SELECT id FROM no_such_table"],
  ])("ends Error and changes nothing on %s", async (_case, sql) => {
    const before = await states();
    const result = await handler.run(ws.context, task({ AssignedResourceNavigationSQL: sql }));
    expect(result).toMatchObject({ state: "Error", didWork: false });
    expect(result.message).toMatch(/^AssignedResourceNavigationSQL: .+ \(nothing was requalified\)$/);
    expect(await states()).toEqual(before);
  });

  it("names the value the query returned when it is no id", async () => {
    const result = await handler.run(ws.context, task({ AssignedResourceTypeSQL: "SELECT resource_type FROM idm_assigned_resource_types" }));
    expect(result.message).toBe('AssignedResourceTypeSQL: the query must return row ids in its first column, and returned "AD_Account" (nothing was requalified)');
  });

  it("reads a blank SQL attribute as absent", async () => {
    const result = await handler.run(ws.context, task({ AssignedResourceTypeSQL: "  " }));
    expect(result).toMatchObject({ counters: { resourceTypes: 2 } });
  });

  it("keeps the validity of a past right", async () => {
    await assignments.writeDelta({ resourceTypes: { update: [{ id: rows.get("ada")!, set: { validTo: T1 } }] } }, { at: T0, jobInstanceId: 2 });
    await handler.run(ws.context, task());
    expect(await read("ada")).toMatchObject({ origin: "pre-existing", validTo: T1 });
  });
});

describe("pre-existing statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const sql = [
      statement("a page of the resource type assignments to requalify", p.selectPreExistingResourceTypes(m, 0, 1000)),
      statement("a page of the navigation values to requalify", p.selectPreExistingValues(m, "navigation", 0, 1000)),
      statement("of a configured query's ids, the resource type assignments to requalify", p.selectRequalifiableResourceTypes(m, [1, 2])),
      statement("of a configured query's ids, the scalar values to requalify", p.selectRequalifiableValues(m, "scalar", [1, 2])),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-pre-existing.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|`/);
  });
});

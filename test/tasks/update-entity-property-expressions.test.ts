/**
 * UpdateEntityPropertyExpressionsTask on real databases (SQLite always, PostgreSQL when
 * IDM_TEST_POSTGRES_URL is set): values computed and written as new versions, idempotence, the
 * hash of the synchronized properties left alone, Dirty mode against a full recompute, and the T-SQL
 * of its statements on SQL Server (offline snapshot).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttributeValue } from "../../src/config/coerce-attribute.js";
import * as eq from "../../src/domain/expressions/expression-queries.js";
import * as q from "../../src/domain/resources/resource-queries.js";
import { ResourceStore } from "../../src/domain/resources/resource-store.js";
import { ENTITY, type ResourceHistoryRow } from "../../src/store/entities.js";
import { offlineMssqlStore, type Store } from "../../src/store/store.js";
import handler from "../../src/tasks/update-entity-property-expressions.js";
import type { TaskSnapshot } from "../../src/tasks/task-handler.js";
import { allResources, deployModel, insertPeople, PEOPLE_MODEL, T0, type Person } from "../domain/expressions/expression-fixture.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../helpers/task-workspace.js";
import { statement } from "../helpers/sql-statement.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

function task(attributes: Record<string, AttributeValue> = {}, entityTypes: string[] = []): TaskSnapshot {
  return taskSnapshot({
    identifier: "UEPE", type: "UpdateEntityPropertyExpressionsTask",
    attributes: { AllEntityType: entityTypes.length === 0, BatchSelectSize: 0, BatchUpdateSize: 0, Dirty: false, ...attributes },
    entityTypes,
  });
}

const PEOPLE: Person[] = [
  { login: "boss", first: "Ada", last: "Lovelace", age: 50 },
  { login: "e1", first: "Élodie", last: "Müller Smith", age: 30, manager: "boss" },
  { login: "e2", first: "Bob", last: "Stone", manager: "boss" },
  { login: "e3", first: "Carl", manager: "e1" },
];

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("UpdateEntityPropertyExpressionsTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
  });

  afterEach(async () => {
    await db.drop();
  });

  it("computes every expression: helpers, bindings, navigations mono and collection, literals, ints, Priority chaining, absent values", async () => {
    await deployModel(store);
    await insertPeople(store, PEOPLE);
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Succeeded", didWork: true, counters: { computed: 4, changed: 4, errors: 0 } });
    const rows = await allResources(store);
    expect(rows.get("boss")!.values).toEqual({
      Login: "boss", FirstName: "Ada", LastName: "Lovelace", Age: 50, InternalDisplayName: "Lovelace Ada", Mail: "ada.lovelace@example.com",
      ReportCount: 2, ReportNames: "Müller Smith,Stone", Greeting: "Hello Lovelace Ada", Kind: "person", NextAge: 51, ManagesManagers: true,
    });
    expect(rows.get("e1")!.values).toMatchObject({
      InternalDisplayName: "Müller Smith Élodie", Mail: "elodie.müller-smith@example.com", ManagerName: "Lovelace", ReportCount: 1, ManagesManagers: false,
    });
    // e3 has no LastName: its display name, mail and greeting have no value, nor its manager's ReportNames (the list reads it).
    expect(rows.get("e1")!.values).not.toHaveProperty("ReportNames");
    const e3 = rows.get("e3")!.values;
    expect(e3).not.toHaveProperty("InternalDisplayName");
    expect(e3).not.toHaveProperty("Mail");
    expect(e3).not.toHaveProperty("Greeting");
    expect(e3).not.toHaveProperty("NextAge");
    expect(e3).toMatchObject({ ManagerName: "Müller Smith", ReportCount: 0, Kind: "person" });
    expect(rows.get("e2")!.values).not.toHaveProperty("NextAge");
  });

  it("writes a new version with history when a value changes, none when unchanged, and leaves the hash alone", async () => {
    await deployModel(store);
    await insertPeople(store, PEOPLE);
    const before = await allResources(store);
    const first = await handler.run(ws.context, task());
    expect(first.counters).toMatchObject({ changed: 4 });
    const after = await allResources(store);
    const history = await store.dataSource.manager.getRepository<ResourceHistoryRow>(ENTITY.resourceHistory).find({ order: { id: "ASC" } });
    expect(history).toHaveLength(4);
    for (const [key, row] of after) {
      expect(row.hash).toBe(before.get(key)!.hash);
      expect(row.changedByJobInstance).toBe(7);
      expect(row.validFrom.getTime()).toBeGreaterThan(T0.getTime());
      const archived = history.find((h) => h.resourceId === row.id)!;
      expect(archived.properties).toBe(before.get(key)!.properties);
      expect(archived.validTo.getTime()).toBe(row.validFrom.getTime());
      expect(archived.archivedByJobInstance).toBe(7);
    }
    const second = await handler.run(ws.context, task());
    expect(second).toMatchObject({ state: "Succeeded", didWork: false, counters: { computed: 4, changed: 0 } });
    expect(await allResources(store)).toEqual(after);
  });

  it("recomputes only the listed entity types, in batches of BatchSelectSize and BatchUpdateSize", async () => {
    await deployModel(store);
    await insertPeople(store, PEOPLE);
    const result = await handler.run(ws.context, task({ BatchSelectSize: 1, BatchUpdateSize: 3 }, ["P"]));
    expect(result.counters).toMatchObject({ computed: 4, changed: 4 });
    expect((await allResources(store)).get("e1")!.values).toMatchObject({ ManagerName: "Lovelace", ReportCount: 1 });
  });

  it("stops between batches when cancelled, and ends Error when it names no entity type", async () => {
    await deployModel(store);
    await insertPeople(store, PEOPLE);
    ws.controller.abort();
    await expect(handler.run(ws.context, task({ BatchSelectSize: 2 }))).rejects.toThrow(/abort/i);
    expect((await allResources(store)).get("boss")!.values).not.toHaveProperty("InternalDisplayName");
    expect(await handler.run(ws.context, task({ AllEntityType: false }))).toMatchObject({ state: "Error", didWork: false });
  });

  it("logs a Warning with the source key when an evaluation fails, keeps going and ends Warning", async () => {
    await deployModel(store, PEOPLE_MODEL + `
  <EntityPropertyExpression Identifier="P_Mail" EntityType="P" Property="Mail" Expression="CEL:resource.LastName.substring(0, 5)" />
  <EntityPropertyExpression Identifier="P_Kind" EntityType="P" Property="Kind" Expression="Literal:person" />`);
    await insertPeople(store, [{ login: "a", last: "Abc" }, { login: "b", last: "Abcdefgh" }]);
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Warning", didWork: true, counters: { computed: 2, changed: 2, errors: 1 } });
    expect(ws.lines("Warning")).toEqual([expect.stringMatching(/^P a: P_Mail at model\.xml:\d+ \(Mail\) failed: index 5 out of bounds/)]);
    const rows = await allResources(store);
    expect(rows.get("a")!.values).toEqual({ Login: "a", LastName: "Abc", Kind: "person" });
    expect(rows.get("b")!.values).toMatchObject({ Mail: "Abcde", Kind: "person" });
  });

  it("computes C# expressions and the product's functions applied to a Binding, through navigations", async () => {
    await deployModel(store, PEOPLE_MODEL + `
  <EntityPropertyExpression Identifier="P_InternalDisplayName" EntityType="P" Property="InternalDisplayName"
    Expression="C#:person:return person.LastName?.ToUpper() + &quot;, &quot; + person.FirstName + (person.Manager != null ? &quot; (&quot; + person.Manager.LastName + &quot;)&quot; : &quot;&quot;);" />
  <EntityPropertyExpression Identifier="P_ReportNames" EntityType="P" Property="ReportNames"
    Expression="C#:p:return p.Reports.Any() ? string.Join(&quot;,&quot;, p.Reports.OrderBy(r => r.FirstName).Select(r => r.FirstName)) : null;" />
  <EntityPropertyExpression Identifier="P_NextAge" EntityType="P" Property="NextAge" Expression="C#:p:return p.Age.HasValue ? p.Age.Value / 4 : -1;" />
  <EntityPropertyExpression Identifier="P_Mail" EntityType="P" Property="Mail" Binding="FirstName" Expression="Simplify" />`);
    await insertPeople(store, PEOPLE);
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Succeeded", counters: { computed: 4, errors: 0 } });
    const rows = await allResources(store);
    expect(rows.get("boss")!.values).toMatchObject({ InternalDisplayName: "LOVELACE, Ada", ReportNames: "Bob,Élodie", NextAge: 12, Mail: "ADA" });
    expect(rows.get("e1")!.values).toMatchObject({ InternalDisplayName: "MÜLLER SMITH, Élodie (Lovelace)", ReportNames: "Carl", NextAge: 7, Mail: "ELODIE" });
    expect(rows.get("e3")!.values).toMatchObject({ InternalDisplayName: ", Carl (Müller Smith)", NextAge: -1 });
    expect(rows.get("e3")!.values).not.toHaveProperty("ReportNames");
  });

  it("logs a C# exception on one resource with its key and where the expression is written, and goes on", async () => {
    await deployModel(store, PEOPLE_MODEL + `
  <EntityPropertyExpression Identifier="P_NextAge" EntityType="P" Property="NextAge" Expression="C#:p:return p.Age.Value + 1;" />`);
    await insertPeople(store, PEOPLE);
    const result = await handler.run(ws.context, task());
    expect(result).toMatchObject({ state: "Warning", counters: { computed: 4, errors: 2 } });
    expect(ws.lines("Warning")).toEqual([
      expect.stringMatching(/^P e2: P_NextAge at model\.xml:\d+ \(NextAge\) failed: InvalidOperationException: /),
      expect.stringMatching(/^P e3: P_NextAge at model\.xml:\d+ \(NextAge\) failed: InvalidOperationException: /),
    ]);
    expect((await allResources(store)).get("boss")!.values).toMatchObject({ NextAge: 51 });
  });

  it("Dirty mode follows navigations: a manager renamed gets its reports' display names recomputed, and nothing else", async () => {
    await deployModel(store, PEOPLE_MODEL + `
  <EntityPropertyExpression Identifier="P_InternalDisplayName" EntityType="P" Property="InternalDisplayName"
    Expression="CEL:resource.LastName + (has(resource.Manager) ? &quot; (&quot; + resource.Manager.LastName + &quot;)&quot; : &quot;&quot;)" />`);
    const ids = await insertPeople(store, PEOPLE);
    await handler.run(ws.context, task());
    const rows = await allResources(store);
    await new ResourceStore(store.dataSource.manager).updateResources(
      [{ id: ids.get("boss")!, properties: { ...rows.get("boss")!.values, LastName: "Byron" } as never }], { at: new Date(), jobInstanceId: 2 }, true);

    const result = await handler.run(ws.context, task({ Dirty: true }, ["P"]));
    expect(result).toMatchObject({ state: "Succeeded", didWork: true, counters: { computed: 3, changed: 3 } });
    const after = await allResources(store);
    expect([...after].map(([key, row]) => [key, row.values.InternalDisplayName])).toEqual([
      ["boss", "Byron"], ["e1", "Müller Smith (Byron)"], ["e2", "Stone (Byron)"], ["e3", undefined],
    ]);
    // e3 (no LastName, its manager e1 not dirty) was not read: its version is the one of the first run.
    expect(after.get("e3")!.validFrom).toEqual(rows.get("e3")!.validFrom);
  });

  it("Dirty mode computes what a full recompute would, reading only dirty resources and those that navigate to them", async () => {
    await deployModel(store);
    const people: Person[] = [{ login: "boss", first: "Ada", last: "Lovelace" }];
    for (let i = 0; i < 30; i++) people.push({ login: `m${i}`, first: `M${i}`, last: `Mgr${i}`, manager: "boss" });
    for (let i = 0; i < 300; i++) people.push({ login: `p${String(i).padStart(3, "0")}`, first: `F${i}`, last: `L${i}`, age: i, manager: `m${i % 30}` });
    const ids = await insertPeople(store, people);
    await handler.run(ws.context, task());
    // Synchronized changes: a manager renamed (its reports' ManagerName), a report renamed (its manager's ReportNames), one person older.
    const resources = new ResourceStore(store.dataSource.manager);
    const rows = await allResources(store);
    const change = async (login: string, set: Record<string, unknown>) => {
      const values = { ...rows.get(login)!.values, ...set };
      await resources.updateResources([{ id: ids.get(login)!, properties: values as never }], { at: new Date(), jobInstanceId: 2 }, true);
    };
    await change("m3", { LastName: "Renamed" });
    await change("p007", { LastName: "Seven" });
    await change("p100", { Age: 1000 });

    const dirty = await handler.run(ws.context, task({ Dirty: true, BatchSelectSize: 7 }));
    // Read: m3, its 10 reports (ManagerName) and boss (ReportNames); p007 and its manager m7; p100 and its manager m10.
    expect(dirty.counters).toMatchObject({ computed: 16, errors: 0 });
    const afterDirty = await allResources(store);
    expect(afterDirty.get("p003")!.values.ManagerName).toBe("Renamed");
    expect(afterDirty.get("p033")!.values.ManagerName).toBe("Renamed");
    expect(afterDirty.get("m7")!.values.ReportNames).toContain("Seven");
    expect(afterDirty.get("p100")!.values.NextAge).toBe(1001);
    // The flags stay (a Complete synchronization clears them).
    expect(afterDirty.get("m3")!.dirty).toBe(true);

    const full = await handler.run(ws.context, task());
    expect(full.counters).toMatchObject({ computed: 331, changed: 0 });
    expect(await allResources(store)).toEqual(afterDirty);
  });
});

describe("UpdateEntityPropertyExpressionsTask statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const sql = [
      statement("the links of a batch through one navigation (from side)", eq.selectLinksByEnd(m, "P_Manager", "from", [1, 2, 3])),
      statement("the links of a batch through one navigation (to side)", eq.selectLinksByEnd(m, "P_Manager", "to", [1, 2])),
      statement("a page of resources to recompute, by keyset", eq.selectSubjectsPage(m, "P", "k0042", 10000)),
      statement("a Dirty batch", eq.selectSubjectsByIds(m, [4, 5])),
      statement("a page of dirty ids", eq.selectDirtyIds(m, "P", 0, 10000)),
      statement("new versions with computed values (hash unchanged)", q.updateResourceVersions(m, [{ id: 4, properties: "{}" }, { id: 5, properties: "{}" }], { validFrom: T0, changedByJobInstance: 7 })),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-update-entity-property-expressions.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|`/);
    expect(q.updateResourceVersions(m, [{ id: 4, properties: "{}" }], { validFrom: T0, changedByJobInstance: 7 }).parameters).toMatchObject([
      { type: "int", value: 4 }, { type: "nvarchar" }, { type: "datetime2", value: T0 }, { type: "int", value: 7 }, { type: "int", value: 4 },
    ]);
  });
});

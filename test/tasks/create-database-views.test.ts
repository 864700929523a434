/**
 * CreateDatabaseViewsTask on SQLite and PostgreSQL (the views created, queried and compared typed),
 * and the T-SQL it would send to SQL Server (offline snapshot of the same model's statements).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readEntityModel } from "../../src/domain/resources/entity-model.js";
import { offlineMssqlStore, type Store } from "../../src/store/store.js";
import createDatabaseViews from "../../src/tasks/create-database-views.js";
import { storeSchema, zzViews } from "../../src/domain/views/catalog.js";
import { dropViews, planViews } from "../../src/domain/views/view-plan.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { statement } from "../helpers/sql-statement.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { configFile } from "../helpers/temp-folder.js";
import { deployModel } from "../domain/views/views-model.js";
import { deployXml } from "../helpers/deploy-xml.js";
import { LOADED_AT, loadPeople } from "../domain/views/views-data.js";

const TASK = taskSnapshot({
  identifier: "Create_Views", type: "CreateDatabaseViewsTask", attributes: { Agent: "Local", OpenIdClient: "Job", DisplayName_L1: "Views" },
});

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("CreateDatabaseViewsTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ids: Map<string, number>;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployModel(store);
    ids = await loadPeople(store);
  });

  afterEach(async () => {
    await db.drop();
  });

  const query = <Row = Record<string, unknown>>(sql: string) => store.dataSource.query(sql) as Promise<Row[]>;
  const run = (context = taskWorkspace({}, { store }).context) => createDatabaseViews.run(context, TASK);
  const views = async () => {
    const schema = store.dialect === "postgres" ? db.schema : undefined;
    const sql = store.dialect === "postgres"
      ? `SELECT viewname AS name FROM pg_views WHERE schemaname = '${schema}' ORDER BY viewname`
      : "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name";
    return (await query<{ name: string }>(sql)).map((r) => r.name).sort();
  };
  /** A typed literal of the dialect, for comparisons in SQL. */
  const literal = {
    bool: (b: boolean) => (store.dialect === "postgres" ? String(b) : b ? "1" : "0"),
    date: (iso: string) => (store.dialect === "postgres" ? `'${iso}'::timestamptz` : `'${iso}'`),
  };
  const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

  it("creates one typed view per entity type and association", async () => {
    const result = await run();
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { dropped: 0, created: 3 } });
    expect(await views()).toEqual(["zz_Org_Unit9", "zz_Person_2024", "zz_Unit_Members"]);

    const rows = await query('SELECT * FROM "zz_Person_2024" ORDER BY "SourceKey"');
    expect(rows.map((r) => Object.keys(r))).toEqual(Array(3).fill([
      "Id", "Active", "Born", "Code", "Group", "Mail", "Order", "Photo", "Salary", "Select", "Uid", "Unit", "InternalDisplayName", "SourceKey", "ValidFrom", "ValidTo",
    ]));
    const bool = (b: boolean | null) => (b === null || store.dialect === "postgres" ? b : b ? 1 : 0);
    // Order (Int64) is compared as text below: better-sqlite3 reads integers as doubles.
    const normalized = rows.map(({ Order: _, ...r }) => ({ ...r, Born: iso(r.Born), ValidFrom: iso(r.ValidFrom) }));
    const common = { InternalDisplayName: null, ValidFrom: LOADED_AT.toISOString(), ValidTo: null };
    expect(normalized).toEqual([
      {
        Id: ids.get("P1"), Active: bool(true), Born: "2024-01-31T00:00:00.000Z", Code: "P1", Group: 42, Mail: "p1@example.org", Photo: "AAEC",
        Salary: 1234.5, Select: "it's selected", Uid: "6f9619ff-8b86-d011-b42d-00c04fc964ff", Unit: ids.get("U1"), SourceKey: "P1", ...common,
      },
      {
        Id: ids.get("P2"), Active: bool(false), Born: "2024-02-29T10:00:00.000Z", Code: "P2", Group: 7, Mail: null, Photo: null,
        Salary: 3.25, Select: "second", Uid: null, Unit: ids.get("U1"), SourceKey: "P2", ...common,
      },
      {
        Id: ids.get("P3"), Active: null, Born: null, Code: "P3", Group: null, Mail: null, Photo: null,
        Salary: null, Select: null, Uid: null, Unit: null, SourceKey: "P3", ...common,
      },
    ]);
    expect(await query('SELECT "SourceKey" AS k, CAST("Order" AS TEXT) AS o FROM "zz_Person_2024" ORDER BY "SourceKey"')).toEqual([
      { k: "P1", o: "9007199254740993" }, { k: "P2", o: "5" }, { k: "P3", o: null },
    ]);
  });

  it("compares typed columns as numbers, booleans and dates", async () => {
    await run();
    const keys = async (where: string) => (await query<{ k: string }>(`SELECT "SourceKey" AS k FROM "zz_Person_2024" WHERE ${where} ORDER BY "SourceKey"`)).map((r) => r.k);
    expect(await keys(`"Group" > 10`)).toEqual(["P1"]); // as text, "7" > "10"
    expect(await keys(`"Group" + "Order" = 12`)).toEqual(["P2"]);
    expect(await keys(`"Salary" < 100`)).toEqual(["P2"]);
    expect(await keys(`"Active" = ${literal.bool(true)}`)).toEqual(["P1"]);
    expect(await keys(`"Active" = ${literal.bool(false)}`)).toEqual(["P2"]);
    expect(await keys(`"Born" > ${literal.date("2024-02-01T00:00:00.000Z")}`)).toEqual(["P2"]);
    expect(await keys(`"Born" < "ValidFrom"`)).toEqual(["P1", "P2"]);
    expect(await keys(`"Select" = 'it''s selected'`)).toEqual(["P1"]);
    expect(await keys(`"Order" > 9007199254740992`)).toEqual(["P1"]);
  });

  it("shows navigations by id and associations by their two properties", async () => {
    await run();
    const joined = await query<{ person: string; unit: string }>(
      'SELECT p."SourceKey" AS person, u."Name" AS unit FROM "zz_Person_2024" p JOIN "zz_Org_Unit9" u ON u."Id" = p."Unit" ORDER BY p."SourceKey"');
    expect(joined).toEqual([{ person: "P1", unit: "Unit one" }, { person: "P2", unit: "Unit one" }]);
    const links = await query('SELECT "Unit", "Members", "ValidFrom" FROM "zz_Unit_Members" ORDER BY "Members"');
    expect(links.map((l) => ({ ...l, ValidFrom: iso(l.ValidFrom) }))).toEqual([
      { Unit: ids.get("U1"), Members: ids.get("P1"), ValidFrom: LOADED_AT.toISOString() },
      { Unit: ids.get("U1"), Members: ids.get("P2"), ValidFrom: LOADED_AT.toISOString() },
    ]);
  });

  it("drops the old zz_ views, keeps the others, and gives the same views on a second run", async () => {
    await query('CREATE VIEW "zz_Old" AS SELECT 1 AS x');
    await query('CREATE VIEW "keep_me" AS SELECT 1 AS x');
    const workspace = taskWorkspace({}, { store });
    expect(await run(workspace.context)).toEqual({ state: "Succeeded", didWork: true, counters: { dropped: 1, created: 3 } });
    // One line per view at Information; the DDL itself only at Debug.
    expect(workspace.lines("Information")).toEqual([
      "created view zz_Org_Unit9 (6 columns)", "created view zz_Person_2024 (16 columns)", "created view zz_Unit_Members (3 columns)",
      "1 zz_ views dropped, 3 created",
    ]);
    expect(workspace.lines("Debug").filter((sql) => sql.startsWith("CREATE VIEW"))).toHaveLength(3);
    expect(workspace.lines("Debug").filter((sql) => sql.startsWith("DROP VIEW"))).toHaveLength(1);
    expect(await views()).toEqual(["keep_me", "zz_Org_Unit9", "zz_Person_2024", "zz_Unit_Members"]);
    const before = await query('SELECT * FROM "zz_Person_2024" ORDER BY "Id"');
    expect(await run()).toEqual({ state: "Succeeded", didWork: true, counters: { dropped: 3, created: 3 } });
    expect(await views()).toEqual(["keep_me", "zz_Org_Unit9", "zz_Person_2024", "zz_Unit_Members"]);
    expect(await query('SELECT * FROM "zz_Person_2024" ORDER BY "Id"')).toEqual(before);
  });

  it("drops zz_ views built on other zz_ views", async () => {
    await run();
    await query('CREATE VIEW "zz_Report" AS SELECT "Code" FROM "zz_Person_2024"');
    expect(await run()).toEqual({ state: "Succeeded", didWork: true, counters: { dropped: 4, created: 3 } });
    expect(await views()).toEqual(["zz_Org_Unit9", "zz_Person_2024", "zz_Unit_Members"]);
  });

  it("changes nothing when a cancel arrives between two views", async () => {
    await query('CREATE VIEW "zz_Old" AS SELECT 1 AS x');
    const workspace = taskWorkspace({}, { store });
    const context = { ...workspace.context, progress: (c: Record<string, number>) => (c.created === 1 ? workspace.controller.abort(new Error("stop")) : undefined) };
    await expect(run(context)).rejects.toThrow("stop");
    expect(await views()).toEqual(["zz_Old"]);
  });

  it("fails naming the property whose column would clash, before dropping anything", async () => {
    await deployXml(store, { "Model.xml": configFile(`  <EntityType Identifier="Clash_1" DisplayName_L1="Clash">
    <Property Identifier="Code" Type="String" IsKey="true" TargetColumnIndex="4" />
    <Property Identifier="sourcekey" Type="String" TargetColumnIndex="5" />
  </EntityType>`) });
    await query('CREATE VIEW "zz_Old" AS SELECT 1 AS x');
    const workspace = taskWorkspace({}, { store });
    const result = await run(workspace.context);
    expect(result).toEqual({
      state: "Error", didWork: false, counters: { dropped: 0, created: 0 },
      message: "no view was changed: EntityType Clash_1: two columns of its view would be named SourceKey",
    });
    expect(await views()).toEqual(["zz_Old"]);
  });
});

describe("CreateDatabaseViewsTask on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const [, sqlite] = BACKENDS[0]!;
    const db = await sqlite.create("mssql views snapshot");
    try {
      const source = await db.open();
      await deployModel(source);
      const model = await readEntityModel(source);
      const { dataSource } = await offlineMssqlStore();
      const target = { quote: (s: string) => dataSource.driver.escape(s), schema: "dbo" };
      const plan = planViews(model, "mssql", target);
      expect(plan.problems).toEqual([]);
      const sql = [
        statement("the schema of the store", storeSchema("mssql")),
        statement("the zz_ views of the schema", zzViews("mssql", "dbo")),
        ...dropViews("mssql", target, ["zz_Old", "zz_Person_2024", 'zz_odd"name']).map((s) => `-- drop the zz_ views found, in one statement\n${s};\n`),
        ...plan.views.map((v) => `-- the view of ${v.source}\n${v.sql};\n`),
      ].join("\n");
      await expect(sql).toMatchFileSnapshot("./snapshots/mssql-create-database-views.sql");
      expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`|::/);
    } finally {
      await db.drop();
    }
  });
});

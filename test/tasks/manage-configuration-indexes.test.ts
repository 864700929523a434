/**
 * ManageConfigurationIndexesTask on SQLite and PostgreSQL: key indexes created, kept, dropped when no
 * longer declared, and used by queries on the zz_ views (EXPLAIN); and the T-SQL it would send to
 * SQL Server (offline snapshot: computed columns, filtered indexes, drops).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readEntityModel } from "../../src/domain/resources/entity-model.js";
import { offlineMssqlStore, type Store } from "../../src/store/store.js";
import createDatabaseViews from "../../src/tasks/create-database-views.js";
import manageConfigurationIndexes from "../../src/tasks/manage-configuration-indexes.js";
import type { TaskSnapshot } from "../../src/tasks/task-handler.js";
import { keyColumns, keyIndexes } from "../../src/domain/views/catalog.js";
import { declaredKeyIndexes, planKeyIndexes } from "../../src/domain/views/key-index-plan.js";
import { planViews } from "../../src/domain/views/view-plan.js";
import { statement } from "../helpers/sql-statement.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { loadPeople } from "../domain/views/views-data.js";
import { deployModel } from "../domain/views/views-model.js";

const snapshot = (identifier: string, type: string): TaskSnapshot => taskSnapshot({ identifier, type, attributes: { DisplayName_L1: identifier } });
const TASK = snapshot("ManageIndexes", "ManageConfigurationIndexesTask");

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("ManageConfigurationIndexesTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployModel(store);
    await loadPeople(store);
  });

  afterEach(async () => {
    await db.drop();
  });

  const query = <Row = Record<string, unknown>>(sql: string) => store.dataSource.query(sql) as Promise<Row[]>;
  const run = (workspace = taskWorkspace({}, { store })) => manageConfigurationIndexes.run(workspace.context, TASK);
  const indexes = async () => {
    const sql = store.dialect === "postgres"
      ? `SELECT indexname AS name FROM pg_indexes WHERE schemaname = '${db.schema}' AND tablename = 'idm_resources' ORDER BY indexname`
      : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'idm_resources' AND sql IS NOT NULL ORDER BY name";
    return (await query<{ name: string }>(sql)).map((r) => r.name).filter((n) => !n.startsWith("PK_") && !n.startsWith("sqlite_")).sort();
  };
  const STORE_INDEXES = ["IX_idm_resources_dirty", "UX_idm_resources_entity_type_source_key"];

  it("creates one index per key property, then leaves them alone", async () => {
    const workspace = taskWorkspace({}, { store });
    expect(await run(workspace)).toEqual({ state: "Succeeded", didWork: true, counters: { created: 3, dropped: 0 } });
    expect(workspace.lines("Information")).toContain("created the key index IXC_Person_2024_Code (Person_2024:Code)");
    expect(await indexes()).toEqual(["IXC_Org_Unit9_Name", "IXC_Person_2024_Code", "IXC_Person_2024_Mail", ...STORE_INDEXES]);
    expect(await run()).toEqual({ state: "Succeeded", didWork: false, counters: { created: 0, dropped: 0 } });
    expect(await indexes()).toEqual(["IXC_Org_Unit9_Name", "IXC_Person_2024_Code", "IXC_Person_2024_Mail", ...STORE_INDEXES]);
  });

  it("drops the index of a property that is no longer a key", async () => {
    await run();
    await deployModel(store, { mailIsKey: false });
    const workspace = taskWorkspace({}, { store });
    expect(await run(workspace)).toEqual({ state: "Succeeded", didWork: true, counters: { created: 0, dropped: 1 } });
    expect(workspace.lines("Information")).toContain("dropped the index no longer declared IXC_Person_2024_Mail");
    expect(await indexes()).toEqual(["IXC_Org_Unit9_Name", "IXC_Person_2024_Code", ...STORE_INDEXES]);
    expect(await run()).toEqual({ state: "Succeeded", didWork: false, counters: { created: 0, dropped: 0 } });
    await deployModel(store);
    expect(await run()).toEqual({ state: "Succeeded", didWork: true, counters: { created: 1, dropped: 0 } });
  });

  it("drops undeclared indexes with its prefix only", async () => {
    await run();
    await query('CREATE INDEX "IXC_Stray" ON "idm_resources" ("hash")');
    await query('CREATE INDEX "ixc_mine" ON "idm_resources" ("hash")');
    expect(await run()).toEqual({ state: "Succeeded", didWork: true, counters: { created: 0, dropped: 1 } });
    expect(await indexes()).toEqual(["IXC_Org_Unit9_Name", "IXC_Person_2024_Code", "IXC_Person_2024_Mail", ...STORE_INDEXES, "ixc_mine"]);
  });

  it("serves lookups by key on the zz_ views", async () => {
    await run();
    await createDatabaseViews.run(taskWorkspace({}, { store }).context, snapshot("Views", "CreateDatabaseViewsTask"));
    const lookup = `SELECT "Id", "Group" FROM "zz_Person_2024" WHERE "Code" = 'P2'`;
    if (store.dialect === "sqlite") {
      const plan = await query<{ detail: string }>(`EXPLAIN QUERY PLAN ${lookup}`);
      expect(plan.map((p) => p.detail).join("\n")).toContain("USING INDEX IXC_Person_2024_Code");
    } else {
      // The test tables are tiny: without a nudge the planner reads them whole.
      const runner = store.dataSource.createQueryRunner();
      try {
        await runner.query("SET enable_seqscan = off");
        const plan = (await runner.query(`EXPLAIN ${lookup}`)) as { "QUERY PLAN": string }[];
        expect(plan.map((p) => p["QUERY PLAN"]).join("\n")).toMatch(/Index Scan using "?IXC_Person_2024_Code"?|Bitmap Index Scan on "?IXC_Person_2024_Code"?/);
        await runner.query("RESET enable_seqscan");
      } finally {
        await runner.release();
      }
    }
    expect(await query(lookup)).toEqual([{ Id: expect.any(Number), Group: 7 }]);
  });

  it("stops before the next statement when cancelled", async () => {
    const workspace = taskWorkspace({}, { store });
    const context = { ...workspace.context, progress: (c: Record<string, number>) => (c.created === 1 ? workspace.controller.abort(new Error("stop")) : undefined) };
    await expect(manageConfigurationIndexes.run(context, TASK)).rejects.toThrow("stop");
    expect((await indexes()).filter((n) => n.startsWith("IXC_"))).toHaveLength(1);
    expect(await run()).toEqual({ state: "Succeeded", didWork: true, counters: { created: 2, dropped: 0 } });
  });
});

describe("ManageConfigurationIndexesTask on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const [, sqlite] = BACKENDS[0]!;
    const db = await sqlite.create("mssql key indexes snapshot");
    try {
      const source = await db.open();
      await deployModel(source);
      const model = await readEntityModel(source);
      const { dataSource } = await offlineMssqlStore();
      const target = { quote: (s: string) => dataSource.driver.escape(s), schema: "dbo" };
      const { indexes, problems } = declaredKeyIndexes(model, "mssql");
      expect(problems).toEqual([]);
      const planned = (name: string, actions: ReturnType<typeof planKeyIndexes>) =>
        actions.length === 0 ? `-- ${name}: nothing\n` : actions.map((a) => `-- ${name}: ${a.kind} ${a.name}\n${a.sql};\n`).join("\n");
      const view = planViews(model, "mssql", target).views.find((v) => v.source === "Person_2024")!;
      const sql = [
        statement("the key indexes on idm_resources", keyIndexes("mssql", "dbo")),
        statement("their computed columns", keyColumns("dbo")),
        planned("first run", planKeyIndexes("mssql", target, indexes, { indexes: [], columns: [] })),
        planned("second run", planKeyIndexes("mssql", target, indexes, { indexes: indexes.map((i) => i.name), columns: indexes.map((i) => i.name) })),
        planned("an index built after its column, interrupted before", planKeyIndexes("mssql", target, indexes, {
          indexes: ["IXC_Org_Unit9_Name"], columns: ["IXC_Org_Unit9_Name", "IXC_Person_2024_Code"],
        })),
        planned("Person_2024:Mail no longer a key, a stray column left", planKeyIndexes("mssql", target, indexes.filter((i) => i.property !== "Mail"), {
          indexes: ["IXC_Org_Unit9_Name", "IXC_Person_2024_Code", "IXC_Person_2024_Mail"],
          columns: ["IXC_Org_Unit9_Name", "IXC_Person_2024_Code", "IXC_Person_2024_Mail", "IXC_Stray"],
        })),
        `-- the view's key column is the computed column's definition:\n${view.sql.split("\n").filter((l) => l.includes('AS "Code"') || l.includes('AS "Mail"')).join("\n")}\n`,
      ].join("\n");
      await expect(sql).toMatchFileSnapshot("./snapshots/mssql-manage-configuration-indexes.sql");
      expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`|::/);
    } finally {
      await db.drop();
    }
  });
});

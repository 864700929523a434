import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type Settings } from "../../src/config/settings.js";
import type { Store } from "../../src/store/store.js";
import { readExportConnections } from "../../src/domain/sync/export-model.js";
import exportTask, { cookiePath } from "../../src/tasks/export.js";
import type { ExportTaskAttributes } from "../../src/config/generated/schema-types.js";
import type { TaskSnapshot } from "../../src/tasks/task-handler.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { deployDemo, readCsv } from "../helpers/demo-data.js";

const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => { exec(sql: string): void; close(): void };
const sqlite = BACKENDS.filter(([name]) => name === "sqlite");

function task(attributes: Partial<ExportTaskAttributes>): TaskSnapshot {
  return taskSnapshot({ identifier: "HR_Export", type: "ExportTask", attributes: { Connector: "HR", ...attributes } });
}

afterEach(() => removeTaskWorkspaces());

describe.each(sqlite)("ExportTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployDemo(store);
  });

  afterEach(async () => {
    await db.drop();
  });

  /** A workspace whose settings hold `connections(root)`, with an HR database (departments) under root. */
  function setup(connections: (root: string, hrDb: string) => Settings["connections"]) {
    let hrDb = "";
    const ws = taskWorkspace({}, {
      store,
      settings: (folders) => {
        const root = join(folders.work, "..");
        hrDb = join(root, "hr.db");
        return { ...DEFAULT_SETTINGS, paths: folders, connections: connections(root, hrDb) };
      },
    });
    const hr = new Database(hrDb);
    hr.exec("CREATE TABLE departments (code TEXT PRIMARY KEY, name TEXT, updated_at INTEGER)");
    hr.exec("INSERT INTO departments VALUES ('IT', 'Information, Technology', 10), ('HR', NULL, 20)");
    hr.close();
    return { ...ws, hrDb };
  }

  const standard = (root: string, hrDb: string): Settings["connections"] => ({
    HRPeople: { Folder: join(root, "in"), Files: { HRPeople: "people.txt" }, Encoding: "latin1", Separator: ";", HasHeader: false,
      Columns: { HRPeople: ["employee_id", "first_name", "last_name", "email", "job_title", "department_code", "manager_id", "contract_start", "contract_end"] } },
    HROrganizations: { ConnectionString: `sqlite:${hrDb}`, Queries: { HROrganizations: "SELECT code, name, updated_at FROM departments ORDER BY code;" },
      Watermark: { HROrganizations: { Column: "updated_at" } } },
  });

  function writePeople(root: string, text: string) {
    mkdirSync(join(root, "in"), { recursive: true });
    writeFileSync(join(root, "in", "people.txt"), iconv.encode(text, "latin1"));
  }

  it("reads the connector's connections and their tables' columns (stored sorted)", async () => {
    expect(await readExportConnections(store, { connector: "HR" })).toEqual([
      { identifier: "HROrganizations", package: "SQL", packageName: "Usercube.SQL@0000001", tables: [{ identifier: "HROrganizations", columns: ["code", "name"] }] },
      { identifier: "HRPeople", package: "CSV", packageName: "Usercube.CSV@0000001", tables: [{ identifier: "HRPeople",
        columns: ["contract_end", "contract_start", "department_code", "email", "employee_id", "first_name", "job_title", "last_name", "manager_id"] }] },
    ]);
  });

  it("exports every connection of the connector: latin1 ; without header, and SQL, into the contract's files", async () => {
    const { context, root } = setup(standard);
    writePeople(root, "E1;Hélène;Durand;h@x;\"CTO; acting\";IT;;2019-01-01;\r\nE2;Bob;Martin;b@x;Dev;IT;E1;2020-01-01;2025-12-31\n");
    const result = await exportTask.run(context, task({}));
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { files: 2, rows: 4 } });
    expect(readdirSync(context.paths.export).sort()).toEqual(["HROrganizations.csv", "HRPeople.csv"]);
    const people = readFileSync(join(context.paths.export, "HRPeople.csv"), "utf8");
    expect(people).toBe(
      "employee_id,first_name,last_name,email,job_title,department_code,manager_id,contract_start,contract_end\r\n" +
        "E1,Hélène,Durand,h@x,CTO; acting,IT,,2019-01-01,\r\n" +
        "E2,Bob,Martin,b@x,Dev,IT,E1,2020-01-01,2025-12-31\r\n",
    );
    expect(readCsv(join(context.paths.export, "HROrganizations.csv"))).toEqual([
      ["code", "name", "updated_at"], ["HR", "", "20"], ["IT", "Information, Technology", "10"],
    ]);
    expect(JSON.parse(readFileSync(cookiePath(context, "HROrganizations"), "utf8"))).toEqual({ HROrganizations: { Column: "updated_at", Value: "20" } });
  });

  it("normalises a UTF-8 file with BOM, header and quoted fields (Connection attribute: that connection only)", async () => {
    const { context, root } = setup((r) => ({ HRPeople: { Folder: join(r, "in") } }));
    mkdirSync(join(root, "in"));
    writeFileSync(join(root, "in", "HRPeople.csv"), "\uFEFFemployee_id,job_title,email\r\n\"E1\",\"Dev\r\nSenior, \"\"lead\"\"\",\r\n\r\nE2,\"\"\r\n");
    const result = await exportTask.run(context, task({ Connection: "HRPeople" }));
    expect(result.counters).toEqual({ files: 1, rows: 2 });
    const written = readFileSync(join(context.paths.export, "HRPeople.csv"), "utf8");
    expect(written.charCodeAt(0)).not.toBe(0xfeff);
    expect(written).toBe('employee_id,job_title,email\r\nE1,"Dev\r\nSenior, ""lead""",\r\nE2,,\r\n');
  });

  it("SQL incremental: full first, then only newer rows, IgnoreCookieFile full again", async () => {
    const { context, hrDb } = setup(standard);
    const only = task({ Connection: "HROrganizations" });
    const file = join(context.paths.export, "HROrganizations.csv");
    expect((await exportTask.run(context, only)).counters).toEqual({ files: 1, rows: 2 });
    const hr = new Database(hrDb);
    hr.exec("INSERT INTO departments VALUES ('FIN', 'Finance', 30), ('OPS', 'O''Ops', 25)");
    hr.exec("UPDATE departments SET name = 'Human resources', updated_at = 15 WHERE code = 'HR'");
    hr.close();
    expect((await exportTask.run(context, only)).counters).toEqual({ files: 1, rows: 2 });
    expect(readCsv(file)).toEqual([["code", "name", "updated_at"], ["FIN", "Finance", "30"], ["OPS", "O'Ops", "25"]]);
    expect(JSON.parse(readFileSync(cookiePath(context, "HROrganizations"), "utf8"))).toEqual({ HROrganizations: { Column: "updated_at", Value: "30" } });
    // Nothing newer: an empty file with its header, the cookie kept.
    expect(await exportTask.run(context, only)).toEqual({ state: "Succeeded", didWork: true, counters: { files: 1, rows: 0 } });
    expect(readCsv(file)).toEqual([["code", "name", "updated_at"]]);
    expect(JSON.parse(readFileSync(cookiePath(context, "HROrganizations"), "utf8")).HROrganizations.Value).toBe("30");
    expect((await exportTask.run(context, task({ Connection: "HROrganizations", IgnoreCookieFile: true }))).counters).toEqual({ files: 1, rows: 4 });
    expect(readCsv(file).length).toBe(5);
  });

  it("refuses an export file or a cookie that a symlink leads out of its folder, before any query runs", async () => {
    const { context, root } = setup(standard);
    const outside = join(root, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "passwd"), "root:x:0:0\n");
    mkdirSync(context.paths.export, { recursive: true });
    const final = join(context.paths.export, "HROrganizations.csv");
    symlinkSync(join(outside, "passwd"), final);
    const only = task({ Connection: "HROrganizations" });
    await expect(exportTask.run(context, only)).rejects.toThrow(`${final} resolves to ${join(outside, "passwd")}, outside the folder ${context.paths.export}`);
    rmSync(final);
    // A symlinked cookie folder: the cookie would be read from, and written to, the folder outside.
    mkdirSync(context.paths.temp, { recursive: true });
    symlinkSync(outside, join(context.paths.temp, "ExportCookies"));
    writeFileSync(join(outside, "HROrganizations.json"), JSON.stringify({ HROrganizations: { Column: "updated_at", Value: "15" } }));
    await expect(exportTask.run(context, only)).rejects.toThrow(`outside the folder ${context.paths.temp}`);
    expect(readdirSync(context.paths.export)).toEqual([]);
    expect(readFileSync(join(outside, "passwd"), "utf8")).toBe("root:x:0:0\n");
    // A symlink that stays in Paths.Temp is followed.
    rmSync(join(context.paths.temp, "ExportCookies"));
    mkdirSync(join(context.paths.temp, "kept"));
    symlinkSync(join(context.paths.temp, "kept"), join(context.paths.temp, "ExportCookies"));
    expect((await exportTask.run(context, only)).counters).toEqual({ files: 1, rows: 2 });
    expect(JSON.parse(readFileSync(join(context.paths.temp, "kept", "HROrganizations.json"), "utf8"))).toEqual({ HROrganizations: { Column: "updated_at", Value: "20" } });
  });

  it("a cancel leaves no final file and no temporary file", async () => {
    const { context, root, controller } = setup(standard);
    writePeople(root, "E1;A;B;a@x;Dev;IT;;2019-01-01;\r\n");
    controller.abort(new Error("cancelled by the test"));
    await expect(exportTask.run(context, task({}))).rejects.toThrow("cancelled by the test");
    expect(existsSync(context.paths.export) ? readdirSync(context.paths.export) : []).toEqual([]);
  });

  it("a cancel during the SQL export, after the CSV file was written, leaves no file", async () => {
    const { context, root, controller } = setup(standard);
    writePeople(root, "E1;A;B;a@x;Dev;IT;;2019-01-01;\r\n");
    const log = context.log;
    context.log = (level, message) => {
      log(level, message);
      if (message.startsWith("Connection HRPeople")) controller.abort(new Error("cancelled midway"));
    };
    // HROrganizations runs first (sorted), then HRPeople: abort when the CSV package starts.
    await expect(exportTask.run(context, task({}))).rejects.toThrow("cancelled midway");
    expect(readdirSync(context.paths.export)).toEqual([]);
    expect(existsSync(cookiePath(context, "HROrganizations"))).toBe(false);
  });

  it("a failing query leaves no file and names the setting", async () => {
    const { context } = setup((_r, hrDb) => ({ HROrganizations: { ConnectionString: `sqlite:${hrDb}`, Queries: { HROrganizations: "SELECT nope FROM departments" } } }));
    await expect(exportTask.run(context, task({ Connection: "HROrganizations" }))).rejects.toThrow(/Queries\.HROrganizations failed on sqlite:.*no such column: nope/);
    expect(readdirSync(context.paths.export)).toEqual([]);
  });

  it("missing settings name the setting to add", async () => {
    const none = setup(() => ({}));
    await expect(exportTask.run(none.context, task({}))).rejects.toThrow(/settings Connections\.HROrganizations is missing: add \{ "ConnectionString"/);
    const csv = setup(() => ({ HRPeople: { Encoding: "latin1" } }));
    await expect(exportTask.run(csv.context, task({ Connection: "HRPeople" }))).rejects.toThrow("settings Connections.HRPeople.Folder is missing");
    const sql = setup(() => ({ HROrganizations: { ConnectionString: "postgres://u:s3cret@h/db", Queries: {} } }));
    await expect(exportTask.run(sql.context, task({ Connection: "HROrganizations" }))).rejects.toThrow("settings Connections.HROrganizations.Queries.HROrganizations is missing");
    await expect(exportTask.run(sql.context, task({ Connection: "Nope" }))).rejects.toThrow("Connection Nope is not in the deployed configuration");
    const headerless = setup((r) => ({ HRPeople: { Folder: r, Files: { HRPeople: "p.csv" }, HasHeader: false } }));
    writeFileSync(join(headerless.root, "p.csv"), "E1,A\r\n");
    await expect(exportTask.run(headerless.context, task({ Connection: "HRPeople" }))).rejects.toThrow(/Columns\.HRPeople is missing/);
    expect(readdirSync(headerless.context.paths.export)).toEqual([]);
    const missingFile = setup((r) => ({ HRPeople: { Folder: join(r, "absent") } }));
    await expect(exportTask.run(missingFile.context, task({ Connection: "HRPeople" }))).rejects.toThrow(/source file of ConnectionTable HRPeople does not exist/);
  });
});

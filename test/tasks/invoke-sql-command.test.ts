import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readWindowsPrefixes } from "../../src/config/windows-paths.js";
import { DEFAULT_SETTINGS, type Settings } from "../../src/config/settings.js";
import type { Store } from "../../src/store/store.js";
import invokeSqlCommand from "../../src/tasks/invoke-sql-command.js";
import { isKnownEncoding } from "../../src/config/text-encoding.js";
import { registerTask, handlerFor } from "../../src/tasks/registry.js";
import { csvField } from "../../src/connectors/csv/csv-text.js";
import { checkIsolationLevel, parseIsolationLevel } from "../../src/connectors/sql/isolation.js";
import { MssqlRunner, mssqlPoolConfig, mssqlRequest, type MssqlPool } from "../../src/connectors/sql/mssql-runner.js";
import { finalPath, SqlCommandError, type CsvOutput, type RunOptions } from "../../src/connectors/sql/runner.js";
import { isoTimestamp } from "../../src/connectors/sql/postgres-runner.js";
import { splitStatements } from "../../src/connectors/sql/statements.js";
import type { AttributeValue } from "../../src/config/coerce-attribute.js";
import type { TaskResult } from "../../src/tasks/task-handler.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace, type TaskWorkspace } from "../helpers/task-workspace.js";

const POSTGRES_URL = process.env.IDM_TEST_POSTGRES_URL;
afterEach(() => removeTaskWorkspaces());

interface Setup extends TaskWorkspace {
  exportFolder: string;
  run(attributes: Record<string, AttributeValue>, identifier?: string): Promise<TaskResult>;
  /** The export folder's files, temporary ones included. */
  files(folder?: string): string[];
  csv(name: string, folder?: string): string;
}

/** A task workspace on `store`, with these settings. */
function setup(store: Store, files: Record<string, string> = {}, settings: Partial<Settings> = {}): Setup {
  const workspace = taskWorkspace(files, { store, settings: (paths) => ({ ...DEFAULT_SETTINGS, paths, ...settings }) });
  const exportFolder = workspace.folders.export;
  const list = (folder: string) => (existsSync(folder) ? readdirSync(folder).sort() : []);
  return {
    ...workspace,
    exportFolder,
    run: (attributes, identifier = "T") =>
      invokeSqlCommand.run(workspace.context, taskSnapshot({ identifier, type: "InvokeSqlCommandTask", attributes, source: { file: "jobs.xml", line: 3 } })),
    files: (folder = exportFolder) => list(folder),
    csv: (name, folder = exportFolder) => readFileSync(join(folder, name), "utf8"),
  };
}

const PEOPLE = [
  "CREATE TABLE people (id INTEGER, name VARCHAR(100), note VARCHAR(100))",
  "INSERT INTO people VALUES (1, 'Ada', 'plain')",
  "INSERT INTO people VALUES (2, 'Smith, John', 'says \"hi\"')",
  "INSERT INTO people VALUES (3, 'Zoë', NULL)",
  "INSERT INTO people VALUES (4, 'two\nlines', '')",
  "INSERT INTO people VALUES (5, 'crlf\r\nend', 'café')",
];

const PEOPLE_CSV =
  "id,name,note\r\n" +
  "1,Ada,plain\r\n" +
  '2,"Smith, John","says ""hi"""\r\n' +
  "3,Zoë,\r\n" +
  '4,"two\nlines",""\r\n' +
  '5,"crlf\r\nend",café\r\n';

async function createPeople(store: Store): Promise<void> {
  for (const sql of PEOPLE) await store.dataSource.query(sql);
}

/** The SQLite exporters this process started that are still alive (the children named sqlite-child). */
function sqliteChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== process.pid || fields[0] === "Z") continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("sqlite-child")) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function waitFor<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A query that takes about forever in one step (SQLite) or one sleep (PostgreSQL). */
const LONG_QUERY = {
  sqlite: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) SELECT count(*) FROM n",
  postgres: "SELECT pg_sleep(30)",
};
/** Many rows, produced row by row. */
const MANY_ROWS = {
  sqlite: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT i, 'row ' || i AS name FROM n",
  postgres: "SELECT i, 'row ' || i AS name FROM generate_series(1, 3000000) AS i",
};

describe.each(BACKENDS)("InvokeSqlCommandTask on %s", (name, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open({ migrate: false });
  });

  afterEach(async () => {
    await db.drop();
  });

  it("writes each result set to its own CSV file: header, RFC 4180 quoting, NULL as an empty field", async () => {
    await createPeople(store);
    const s = setup(store);
    const result = await s.run({ SQLCommand: "SELECT id, name, note FROM people ORDER BY id;\n SELECT count(*) AS n FROM people WHERE note IS NULL" });
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { rows: 6, files: 2 } });
    expect(s.files()).toEqual(["T.csv", "T_2.csv"]);
    expect(s.csv("T.csv")).toBe(PEOPLE_CSV);
    expect(s.csv("T_2.csv")).toBe("n\r\n1\r\n");
    expect(s.logs).toContainEqual(["Information", "wrote T.csv: 5 rows"]);
    expect(s.progress.at(-1)).toEqual({ rows: 6, files: 2 });
  });

  it("writes a header alone for a query without rows, and no file for statements that return none", async () => {
    const s = setup(store);
    const result = await s.run({ SQLCommand: "CREATE TABLE t (a INTEGER, b VARCHAR(10)); SELECT a, b FROM t" });
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { rows: 0, files: 1 } });
    expect(s.csv("T.csv")).toBe("a,b\r\n");
  });

  it("writes latin1, windows-1252 and UTF-16 (with its byte order mark)", async () => {
    await createPeople(store);
    const query = "SELECT name FROM people WHERE id IN (3, 5) ORDER BY id";
    const latin1 = setup(store);
    await latin1.run({ SQLCommand: query, Encoding: "latin1" });
    const bytes = readFileSync(join(latin1.exportFolder, "T.csv"));
    expect(iconv.decode(bytes, "latin1")).toBe('name\r\nZoë\r\n"crlf\r\nend"\r\n');
    expect(bytes.includes(Buffer.from("Zo\u00eb", "latin1"))).toBe(true);

    const utf16 = setup(store);
    await utf16.run({ SQLCommand: "SELECT name, note FROM people WHERE id = 5", Encoding: "UTF-16" });
    const wide = readFileSync(join(utf16.exportFolder, "T.csv"));
    expect([...wide.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(iconv.decode(wide.subarray(2), "utf-16le")).toBe('name,note\r\n"crlf\r\nend",café\r\n');

    const euro = setup(store);
    await euro.run({ SQLCommand: "SELECT '€ é' AS price", Encoding: "windows-1252" });
    expect([...readFileSync(join(euro.exportFolder, "T.csv"))].slice(-5)).toEqual([0x80, 0x20, 0xe9, 0x0d, 0x0a]);
    const latin = setup(store);
    await latin.run({ SQLCommand: "SELECT '€' AS price", Encoding: "iso-8859-1" });
    expect(latin.csv("T.csv")).toBe("price\r\n?\r\n"); // latin1 has no euro sign
  });

  it("refuses an unknown encoding before it runs anything", async () => {
    const s = setup(store);
    await expect(s.run({ SQLCommand: "CREATE TABLE never (a INTEGER)", IsNotAQuery: true, Encoding: "klingon" })).rejects.toThrow(
      /unknown Encoding "klingon": write utf-8/,
    );
    await expect(store.dataSource.query("SELECT * FROM never")).rejects.toThrow();
  });

  it("IsNotAQuery runs the command, counts the rows it changed and writes no file", async () => {
    await createPeople(store);
    const s = setup(store);
    const result = await s.run({ SQLCommand: "UPDATE people SET note = 'x' WHERE id > 2;\nDELETE FROM people WHERE id = 1", IsNotAQuery: true });
    expect(result).toEqual({ state: "Succeeded", didWork: true, counters: { rowsAffected: 4 } });
    expect(s.files()).toEqual([]);
    expect(await store.dataSource.query("SELECT count(*) AS n FROM people WHERE note = 'x'")).toEqual([{ n: name === "postgres" ? "3" : 3 }]);
    expect(s.logs).toContainEqual(["Information", "4 rows affected"]);

    const ddl = await setup(store).run({ SQLCommand: "CREATE TABLE other (a INTEGER)", IsNotAQuery: true });
    expect(ddl).toEqual({ state: "Succeeded", didWork: false, counters: { rowsAffected: 0 } });
  });

  it("an IsolationLevel makes the command one transaction: a failure rolls it all back", async () => {
    await createPeople(store);
    const s = setup(store);
    await expect(
      s.run({ SQLCommand: "UPDATE people SET note = 'changed';\nSELECT * FROM no_such_table", IsNotAQuery: true, IsolationLevel: "Serializable" }),
    ).rejects.toThrow(/^SQLCommand.* failed on .*no_such_table/);
    expect(await store.dataSource.query("SELECT count(*) AS n FROM people WHERE note = 'changed'")).toEqual([{ n: name === "postgres" ? "0" : 0 }]);

    const query = setup(store);
    await expect(
      query.run({ SQLCommand: "INSERT INTO people VALUES (9, 'new', NULL);\nSELECT id FROM people;\nSELECT * FROM no_such_table", IsolationLevel: "ReadCommitted" }),
    ).rejects.toThrow(/no_such_table/);
    expect(await store.dataSource.query("SELECT count(*) AS n FROM people WHERE id = 9")).toEqual([{ n: name === "postgres" ? "0" : 0 }]);
    expect(query.files()).toEqual([]);
  });

  it("refuses Snapshot and Chaos with the reason", async () => {
    const s = setup(store);
    await expect(s.run({ SQLCommand: "SELECT 1 AS one", IsolationLevel: "Snapshot" })).rejects.toThrow(
      name === "postgres" ? /Snapshot is not supported on PostgreSQL: .*RepeatableRead is snapshot isolation/ : /Snapshot is not supported on SQLite/,
    );
    await expect(s.run({ SQLCommand: "SELECT 1 AS one", IsolationLevel: "16" })).rejects.toThrow(/Chaos is not supported/);
    expect(s.files()).toEqual([]);
  });

  it("names where a statement failed: the file, line and column", async () => {
    const s = setup(store, { "sql/report.sql": "-- report\nSELECT 1 AS one;\n\nSELECT name\n  FROM missing_table;\n" });
    const failure = s.run({ SQLInputFile: "sql/report.sql" });
    // PostgreSQL says where in the statement; SQLite only which statement.
    await expect(failure).rejects.toThrow(name === "postgres" ? /^SQLInputFile sql\/report\.sql:5:8 failed on postgres:\/\/.*missing_table/ : /^SQLInputFile sql\/report\.sql:4:1 failed on sqlite:.*missing_table/);
    expect(s.files()).toEqual([]);
  });

  it("the Timeout stops the statement in the database, not only the wait", async () => {
    const marker = `idm_timeout_${randomBytes(4).toString("hex")}`;
    const s = setup(store);
    const started = Date.now();
    const sql = `${LONG_QUERY[name as "sqlite" | "postgres"]} /* ${marker} */`;
    const running = s.run({ SQLCommand: sql, Timeout: 1 });
    running.catch(() => undefined);
    // What runs the statement: a backend (PostgreSQL), the SQLite process.
    const working = async () =>
      name === "postgres"
        ? Number((await store.dataSource.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
            [`%${marker}%`],
          ))[0].n)
        : sqliteChildren().length;
    await new Promise((r) => setTimeout(r, 500));
    expect(await working()).toBe(1);
    await expect(running).rejects.toThrow(/^SQLCommand on .* timed out after 1 s \(Timeout\); the statement was stopped in the database$/);
    expect(Date.now() - started).toBeLessThan(4000);
    // pg_stat_activity shows a backend's end of statement a moment after its client saw it.
    for (let waited = 0; waited < 2000 && (await working()) !== 0; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(await working()).toBe(0);
    expect(s.files()).toEqual([]);
  });

  it("a cancel in the middle of an export leaves neither the file nor its temporary", async () => {
    const s = setup(store);
    const running = s.run({ SQLCommand: MANY_ROWS[name as "sqlite" | "postgres"] });
    await waitFor("rows written", () => (s.progress.some((p) => (p.rows ?? 0) > 0) ? true : undefined));
    expect(s.files().some((f) => f.endsWith(".tmp"))).toBe(true);
    s.controller.abort(new Error("cancelled by the test"));
    await expect(running).rejects.toThrow("cancelled by the test");
    expect(s.files()).toEqual([]);
    if (name === "sqlite") expect(sqliteChildren()).toEqual([]);
  });

  it("streams: memory stays flat whatever the number of rows", async () => {
    if (name !== "sqlite") return; // measured by npm run bench:sqlexport on PostgreSQL
    const s = setup(store);
    await s.run({ SQLCommand: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000) SELECT i, 'row ' || i, i * 0.5 FROM n" });
    const line = s.logs.find(([, m]) => m.startsWith("the SQLite process peaked at"))?.[1];
    const mb = Number(/peaked at (\d+) MB/.exec(line ?? "")?.[1]);
    expect(mb).toBeGreaterThan(0);
    expect(mb).toBeLessThan(150); // 400,000 rows are 9 MB of CSV; a process that kept them would pass 150 MB
  });

  if (name === "postgres") {
    it("runs each statement in the transaction of its IsolationLevel (SHOW transaction_isolation)", async () => {
      for (const [level, shown] of [["ReadUncommitted", "read uncommitted"], ["RepeatableRead", "repeatable read"], ["Serializable", "serializable"]]) {
        const s = setup(store);
        await s.run({ SQLCommand: "SHOW transaction_isolation; SELECT current_setting('transaction_isolation') AS again", IsolationLevel: level! });
        expect([s.csv("T.csv"), s.csv("T_2.csv")]).toEqual([`transaction_isolation\r\n${shown}\r\n`, `again\r\n${shown}\r\n`]);
      }
      const none = setup(store);
      await none.run({ SQLCommand: "SHOW transaction_isolation" });
      expect(none.csv("T.csv")).toBe("transaction_isolation\r\nread committed\r\n");
    });

    it("writes PostgreSQL values as text: exact numbers, true/false, hex bytea, ISO 8601 timestamps", async () => {
      const s = setup(store);
      await s.run({
        SQLCommand:
          "SELECT 12345678901234567890::numeric AS big, 0.1::float8 AS f, true AS yes, '\\x00ff'::bytea AS bin," +
          " TIMESTAMP '2026-01-02 03:04:05.123456' AS ts, TIMESTAMPTZ '2026-01-02 03:04:05+00' AS tz, DATE '2026-01-02' AS d," +
          " '{\"a\": [1, 2]}'::jsonb AS j, ARRAY[1, 2] AS arr",
      });
      expect(s.csv("T.csv")).toMatch(
        /^big,f,yes,bin,ts,tz,d,j,arr\r\n12345678901234567890,0\.1,true,00ff,2026-01-02T03:04:05\.123456,2026-01-02T\d\d:04:05[+-]\d\d:\d\d,2026-01-02,"\{""a"": \[1, 2\]\}","\{1,2\}"\r\n$/,
      );
    });

    it("reaches a PostgreSQL database of the settings, and cancels its statement there too", async () => {
      const marker = `idm_other_${randomBytes(4).toString("hex")}`;
      const s = setup(store, {}, { databases: { Other: POSTGRES_URL! } });
      await s.run({ SQLCommand: "SELECT current_database() AS db", DatabaseIdentifier: "Other" });
      expect(s.csv("T.csv")).toBe(`db\r\n${new URL(POSTGRES_URL!).pathname.slice(1)}\r\n`);
      const running = s.run({ SQLCommand: `SELECT pg_sleep(30) /* ${marker} */`, DatabaseIdentifier: "Other" });
      const client = new pg.Client(POSTGRES_URL);
      await client.connect();
      try {
        const active = async () =>
          Number((await client.query("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()", [`%${marker}%`])).rows[0].n);
        const end = Date.now() + 10_000;
        while ((await active()) === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
        s.controller.abort(new Error("stop"));
        await expect(running).rejects.toThrow("stop");
        expect(await active()).toBe(0);
      } finally {
        await client.end();
      }
    });
  }
});

describe("InvokeSqlCommandTask on SQLite", () => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await BACKENDS[0]![1].create(context.task.name);
    store = await db.open({ migrate: false });
  });

  afterEach(async () => {
    await db.drop();
  });

  it("can be registered for the runner", () => {
    const restore = registerTask(invokeSqlCommand);
    try {
      expect(handlerFor("InvokeSqlCommandTask")).toBe(invokeSqlCommand);
    } finally {
      restore();
    }
  });

  it("reaches a second SQLite file by DatabaseIdentifier", async () => {
    const folder = taskWorkspace({}).root;
    const file = join(folder, "hr.db");
    const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => { exec(sql: string): void; close(): void };
    const hr = new Database(file);
    hr.exec("CREATE TABLE staff (id INTEGER, name TEXT, photo BLOB, big INTEGER); INSERT INTO staff VALUES (1, 'Grace', x'0aff', 9007199254740993)");
    hr.close();
    const s = setup(store, {}, { databases: { HR: `sqlite:${file}` } });
    const result = await s.run({ SQLCommand: "SELECT id, name, photo, big, 1.5 AS real FROM staff", DatabaseIdentifier: "HR" });
    expect(result).toMatchObject({ state: "Succeeded", counters: { rows: 1, files: 1 } });
    // Blobs as hex; a 64-bit integer past 2^53 exactly.
    expect(s.csv("T.csv")).toBe("id,name,photo,big,real\r\n1,Grace,0aff,9007199254740993,1.5\r\n");
    expect(s.logs[0]).toEqual(["Information", `running SQLCommand on sqlite:${file} (Timeout 30 s)`]);
  });

  it("refuses a DatabaseIdentifier the settings do not have, naming those they have", async () => {
    const s = setup(store, {}, { databases: { HR: "sqlite:hr.db", CRM: "sqlite:crm.db" } });
    await expect(s.run({ SQLCommand: "SELECT 1", DatabaseIdentifier: "Payroll" })).rejects.toThrow(
      "DatabaseIdentifier Payroll is not in the settings' Databases (known: CRM, HR)",
    );
    const none = setup(store);
    await expect(none.run({ SQLCommand: "SELECT 1", DatabaseIdentifier: "Payroll" })).rejects.toThrow("(known: none)");
  });

  it("never shows a database password", async () => {
    const s = setup(store, {}, { databases: { Down: "postgres://idm:s3cr3t-pw@127.0.0.1:1/idm" } });
    const error = await s.run({ SQLCommand: "SELECT 1", DatabaseIdentifier: "Down" }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^cannot connect to postgres:\/\/idm:\*\*\*@127\.0\.0\.1:1\/idm: /);
    expect(error?.message).not.toContain("s3cr3t");
    expect(s.logs.map(([, m]) => m).join("\n")).not.toContain("s3cr3t");
  });

  it("a missing SQLite file of the settings is an error, not a new empty database", async () => {
    const s = setup(store, {}, { databases: { HR: `sqlite:${join(tmpdir(), `idm-missing-${randomBytes(4).toString("hex")}.db`)}` } });
    await expect(s.run({ SQLCommand: "SELECT 1", DatabaseIdentifier: "HR" })).rejects.toThrow(/cannot open .*idm-missing-.*\.db/);
  });

  it("reads SQLInputFile from the configuration folder and refuses one outside it", async () => {
    await createPeople(store);
    const s = setup(store, { "sql/people.sql": "\uFEFF-- all of them\nSELECT id, name, note FROM people ORDER BY id;\n" });
    await s.run({ SQLInputFile: "sql/people.sql" });
    expect(s.csv("T.csv")).toBe(PEOPLE_CSV);
    writeFileSync(join(s.root, "secret.sql"), "SELECT 'leaked' AS x");
    await expect(s.run({ SQLInputFile: "../secret.sql" })).rejects.toThrow(/^SQLInputFile \.\.\/secret\.sql is outside the folders SQL files may be read from/);
    await expect(s.run({ SQLInputFile: "../../../../../../etc/passwd" })).rejects.toThrow(/is outside the folders/);
    await expect(s.run({ SQLInputFile: "sql/none.sql" })).rejects.toThrow(/SQLInputFile sql\/none\.sql does not exist/);
    // Tasks.ScriptRoots widens the allowed folders.
    const wider = setup(store, {}, { tasks: { ...DEFAULT_SETTINGS.tasks, scriptRoots: [s.root] } });
    await wider.run({ SQLInputFile: join(s.root, "secret.sql") });
    expect(wider.csv("T.csv")).toBe("x\r\nleaked\r\n");
  });

  it("reads a SQLInputFile and writes an OutputPath written as Windows paths, through Paths.WindowsPrefixes, still confined", async () => {
    await createPeople(store);
    const s = setup(store, { "Sql/people.sql": "SELECT id, name, note FROM people ORDER BY id;\n" });
    s.context.settings = { ...s.context.settings, paths: { ...s.context.settings.paths, windowsPrefixes: readWindowsPrefixes({ "D:\\Conf": s.conf, "D:\\Out": s.folders.work, "D:\\Root": s.root }) } };
    await s.run({ SQLInputFile: "d:\\conf\\SQL\\..\\Sql\\people.sql", OutputPath: "D:\\Out\\Reports" });
    expect(s.csv("T.csv", join(s.folders.work, "Reports"))).toBe(PEOPLE_CSV);
    writeFileSync(join(s.root, "secret.sql"), "SELECT 'leaked' AS x");
    await expect(s.run({ SQLInputFile: "D:\\Root\\secret.sql" })).rejects.toThrow(/^SQLInputFile .*secret\.sql is outside the folders SQL files may be read from/);
    await expect(s.run({ SQLCommand: "SELECT 1", OutputPath: "D:\\Root\\elsewhere" })).rejects.toThrow(/^OutputPath D:\\Root\\elsewhere is outside the folders tasks may write to/);
    await expect(s.run({ SQLInputFile: "F:\\Sql\\people.sql" })).rejects.toThrow(
      /^InvokeSqlCommandTask T: SQLInputFile F:\\Sql\\people\.sql is a Windows path that no prefix maps; Paths\.WindowsPrefixes in the settings .*; give a settings file with --settings <file>$/,
    );
  });

  it("needs exactly one of SQLCommand and SQLInputFile", async () => {
    const s = setup(store, { "q.sql": "SELECT 1" });
    await expect(s.run({ SQLCommand: "SELECT 1", SQLInputFile: "q.sql" })).rejects.toThrow("InvokeSqlCommandTask T has both SQLCommand and SQLInputFile");
    await expect(s.run({})).rejects.toThrow("InvokeSqlCommandTask T has neither SQLCommand nor SQLInputFile");
    await expect(s.run({ SQLCommand: "  \n" })).rejects.toThrow("neither");
  });

  it("the settings' InvokeSqlCommands.<task> override OutputPath and SQLInputFile", async () => {
    await createPeople(store);
    const s = setup(store);
    const elsewhere = join(s.root, "out", "deep");
    s.context.settings = { ...s.context.settings, tasks: { ...DEFAULT_SETTINGS.tasks, invokeSqlCommands: { T: { outputPath: elsewhere } } } };
    await s.run({ SQLCommand: "SELECT id FROM people WHERE id = 1", OutputPath: join(s.root, "ignored") });
    expect(s.files(elsewhere)).toEqual(["T.csv"]);
    expect(existsSync(join(s.root, "ignored"))).toBe(false);

    // The attribute when the settings say nothing; relative to the working directory.
    const attribute = setup(store);
    await attribute.run({ SQLCommand: "SELECT 1 AS one", OutputPath: join(attribute.root, "work", "attr") }, "U");
    expect(attribute.files(join(attribute.root, "work", "attr"))).toEqual(["U.csv"]);

    const operatorFile = join(s.root, "operator.sql");
    writeFileSync(operatorFile, "SELECT name FROM people WHERE id = 1");
    s.context.settings = { ...s.context.settings, tasks: { ...DEFAULT_SETTINGS.tasks, invokeSqlCommands: { T: { sqlInputFile: operatorFile } } } };
    await s.run({ SQLCommand: "SELECT 'from the task' AS x" });
    expect(s.csv("T.csv")).toBe("name\r\nAda\r\n");
    expect(s.logs).toContainEqual(["Information", "the settings' InvokeSqlCommands.T.SQLInputFile replaces the task's SQLCommand"]);
  });

  it("replaces the files of an earlier run only when the new one succeeded", async () => {
    const s = setup(store);
    await s.run({ SQLCommand: "SELECT 'first' AS run" });
    await expect(s.run({ SQLCommand: "SELECT 'second' AS run; SELECT * FROM missing" })).rejects.toThrow(/missing/);
    expect(s.files()).toEqual(["T.csv"]);
    expect(s.csv("T.csv")).toBe("run\r\nfirst\r\n");
  });

  it("keeps semicolons inside strings, identifiers, comments and trigger bodies", async () => {
    const s = setup(store);
    await s.run({
      SQLCommand: `CREATE TABLE "a;b" (x TEXT);
        CREATE TABLE log (x TEXT);
        CREATE TRIGGER t AFTER INSERT ON "a;b" BEGIN
          INSERT INTO log VALUES (CASE WHEN new.x = ';' THEN 'semi' ELSE 'other' END);
          INSERT INTO log VALUES ('second;');
        END;
        INSERT INTO "a;b" VALUES (';'); -- a comment; with a semicolon
        /* another; */ SELECT x FROM log ORDER BY x`,
    });
    expect(s.csv("T.csv")).toBe("x\r\nsecond;\r\nsemi\r\n");
  });

  it("an in-memory store runs the command in this process", async () => {
    const memory = await openMemoryStore();
    try {
      const s = setup(memory);
      await s.run({ SQLCommand: "SELECT 1 AS one; SELECT 2 AS two" });
      expect(s.files()).toEqual(["T.csv", "T_2.csv"]);
      expect(s.logs.some(([level, m]) => level === "Warning" && m.includes("in memory"))).toBe(true);
    } finally {
      await memory.close();
    }
  });

  it("fails a task whose identifier would leave the output folder", async () => {
    const s = setup(store);
    await expect(s.run({ SQLCommand: "SELECT 1" }, "../T")).rejects.toThrow(/task identifier "..\/T" cannot name a CSV file in /);
  });
});

async function openMemoryStore(): Promise<Store> {
  const { openStore } = await import("../../src/store/store.js");
  return openStore("sqlite::memory:", { migrate: false });
}

describe("CSV fields", () => {
  it("quotes what RFC 4180 says, and tells NULL from an empty string", () => {
    expect(["plain", "a,b", 'say "x"', "l1\nl2", "cr\r", "", null, undefined].map(csvField)).toEqual([
      "plain", '"a,b"', '"say ""x"""', '"l1\nl2"', '"cr\r"', '""', "", "",
    ]);
    expect([1.5, 10n ** 20n, true, false, new Date("2026-01-02T03:04:05.678Z"), Buffer.from([0, 255]), { a: "x,y" }].map(csvField)).toEqual([
      "1.5", "100000000000000000000", "true", "false", "2026-01-02T03:04:05.678Z", "00ff", '"{""a"":""x,y""}"',
    ]);
  });

  it("turns PostgreSQL timestamps into ISO 8601", () => {
    expect(isoTimestamp("2026-01-02 03:04:05")).toBe("2026-01-02T03:04:05");
    expect(isoTimestamp("2026-01-02 03:04:05.5+02")).toBe("2026-01-02T03:04:05.5+02:00");
    expect(isoTimestamp("1900-01-01 00:00:00+00:09:21")).toBe("1900-01-01T00:00:00+00:09:21");
    expect(isoTimestamp("infinity")).toBe("infinity");
  });
});

describe("encodings", () => {
  it("knows iconv-lite's names and the .NET ones it lacks", () => {
    for (const known of ["utf-8", "UTF-16", "unicode", "unicodeFFFE", "latin1", "windows-1252", "iso-8859-15", "shift_jis", "us-ascii"]) {
      expect(isKnownEncoding(known), known).toBe(true);
    }
    expect(isKnownEncoding("klingon")).toBe(false);
    expect(isKnownEncoding("")).toBe(false);
  });
});

describe("isolation levels", () => {
  it("reads names and numbers; Unspecified is none", () => {
    expect(parseIsolationLevel("repeatableread")).toBe("RepeatableRead");
    expect(parseIsolationLevel("1048576")).toBe("Serializable");
    expect(parseIsolationLevel("Unspecified")).toBeUndefined();
    expect(parseIsolationLevel(undefined)).toBeUndefined();
    expect(() => parseIsolationLevel("Strict")).toThrow('IsolationLevel "Strict" is not one of Unspecified, Chaos');
  });

  it("refuses what a dialect cannot do", () => {
    expect(() => checkIsolationLevel("sqlite", "ReadUncommitted")).not.toThrow();
    expect(() => checkIsolationLevel("sqlite", "Snapshot")).toThrow(/not supported on SQLite/);
    expect(() => checkIsolationLevel("postgres", "Snapshot")).toThrow(/not supported on PostgreSQL/);
    expect(() => checkIsolationLevel("mssql", "Snapshot")).not.toThrow();
  });
});

describe("statements", () => {
  const texts = (sql: string, dialect: "sqlite" | "postgres") => splitStatements(sql, dialect).map((s) => s.text);

  it("splits on semicolons outside strings, identifiers and comments", () => {
    expect(texts("SELECT ';' AS a; SELECT \"b;\" FROM t -- c;\n; /* d; */ SELECT 'it''s;'", "sqlite")).toEqual([
      "SELECT ';' AS a",
      'SELECT "b;" FROM t -- c;',
      "SELECT 'it''s;'",
    ]);
    expect(texts("SELECT [a;b], `c;d` FROM x; SELECT 2;;", "sqlite")).toEqual(["SELECT [a;b], `c;d` FROM x", "SELECT 2"]);
  });

  it("knows PostgreSQL's dollar quotes, E'' strings, nested comments and function bodies", () => {
    expect(
      texts(
        "SELECT $$a;b$$, $tag$ $$; $tag$, E'x\\';y', $1; /* a /* b; */ c; */ SELECT 2;" +
          "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3",
        "postgres",
      ),
    ).toEqual([
      "SELECT $$a;b$$, $tag$ $$; $tag$, E'x\\';y', $1",
      "SELECT 2",
      "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END",
      "SELECT 3",
    ]);
  });

  it("gives each statement's offset for error positions", () => {
    expect(splitStatements("-- x\nSELECT 1;\n  SELECT 2", "sqlite")).toEqual([
      { text: "SELECT 1", start: 5 },
      { text: "SELECT 2", start: 17 },
    ]);
  });
});

describe("InvokeSqlCommandTask on SQL Server (offline)", () => {
  it("sends the reviewed T-SQL and request options", async () => {
    const plans = [
      ["a query, no IsolationLevel: the command as one batch, streamed", mssqlRequest("SELECT id, name FROM people;\nSELECT 1 AS one", undefined, "export")],
      ["IsNotAQuery in a Serializable transaction", mssqlRequest("UPDATE people SET note = N'x'", "Serializable", "execute")],
      ["a query in a Snapshot transaction", mssqlRequest("SELECT id FROM people", "Snapshot", "export")],
    ] as const;
    const { options } = parseDatabaseUrl("mssql://idm:s3cret@db.example:1433/hr?encrypt=true&trustServerCertificate=true");
    const config = mssqlPoolConfig({ options }, 30_000);
    expect(config.password).toBe("s3cret");
    const text = [
      ...plans.map(([title, plan]) =>
        [
          `-- ${title}`,
          `-- request: ${plan.method}, stream ${plan.stream}, arrayRowMode ${plan.arrayRowMode}` +
            (plan.inputs.length === 0 ? "" : `, inputs ${plan.inputs.map((i) => `@${i.name} ${i.type} = ${JSON.stringify(i.value)}`).join(", ")}`),
          `${plan.text}`,
          "",
        ].join("\n"),
      ),
      `-- pool of the command (a DatabaseIdentifier URL, Timeout 30 s)\n-- ${JSON.stringify({ ...config, password: "***" })}\n`,
    ].join("\n");
    await expect(text).toMatchFileSnapshot("./snapshots/mssql-invoke-sql-command.sql");
    const product = mssqlPoolConfig({ pool: { config: { server: "db", user: "idm", password: "pw", options: { encrypt: true, useUTC: false } } } as never }, 5000);
    expect(product).toMatchObject({ server: "db", requestTimeout: 5000, pool: { max: 1, min: 0 }, options: { encrypt: true, useUTC: true } });
  });
});

/**
 * A stand-in for mssql's pool: its request records what the runner asks for and plays back the
 * events of a request, either by a function (all at once) or from a list, which it emits only while
 * the request is not paused, as tedious does.
 */
type FakeEvent = [string, ...unknown[]];

class FakeRequest extends EventEmitter {
  stream = false;
  arrayRowMode = false;
  inputs: [string, unknown][] = [];
  sent: [string, string] | undefined;
  pauses = 0;
  resumes = 0;
  cancelled = false;
  #paused = false;
  constructor(private readonly play: ((request: FakeRequest) => void) | FakeEvent[]) {
    super();
  }
  input(name: string, _type: unknown, value: unknown) {
    this.inputs.push([name, value]);
    return this;
  }
  batch(text: string) {
    return this.#send("batch", text);
  }
  query(text: string) {
    return this.#send("query", text);
  }
  #send(method: string, text: string) {
    this.sent = [method, text];
    setImmediate(() => (Array.isArray(this.play) ? this.#flow() : this.play(this)));
    return Promise.resolve({ rowsAffected: [2, 3] });
  }
  #flow() {
    const events = this.play as FakeEvent[];
    while (!this.#paused && events.length > 0) {
      const [name, ...args] = events.shift()!;
      this.emit(name, ...args);
    }
  }
  pause() {
    this.pauses++;
    this.#paused = true;
    return true;
  }
  resume() {
    this.resumes++;
    this.#paused = false;
    if (Array.isArray(this.play)) setImmediate(() => this.#flow());
    return true;
  }
  cancel() {
    this.cancelled = true;
    this.emit("error", Object.assign(new Error("Canceled."), { code: "ECANCEL" }));
    this.emit("done");
  }
}

function fakeMssql(play: ((request: FakeRequest) => void) | FakeEvent[]) {
  const requests: FakeRequest[] = [];
  let closed = false;
  const pool = {
    config: {},
    connect: async () => pool,
    request: () => {
      const request = new FakeRequest(Array.isArray(play) ? [...play] : play);
      requests.push(request);
      return request;
    },
    close: async () => {
      closed = true;
    },
    on: () => pool,
  };
  return { runner: MssqlRunner.overPool(pool as unknown as MssqlPool, "mssql://fake/db"), requests, closed: () => closed };
}

describe("the SQL Server runner, on a stand-in for mssql (offline)", () => {
  const mssql = createRequire(import.meta.url)("mssql") as Record<string, unknown>;
  const folder = () => taskWorkspace({}).root;
  const options = (signal = new AbortController().signal, isolation?: "Serializable"): RunOptions => ({
    isolation, signal, timeoutMs: 30_000, progress: () => undefined, log: () => undefined,
  });

  it("streams each recordset into its file, pausing the request while it writes, with dates in ISO 8601", async () => {
    const rows = 30_000; // more than one chunk, so that writes happen while rows keep coming
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const events: FakeEvent[] = [
      ["recordset", [
        { name: "id", type: mssql.Int }, { name: "at", type: mssql.DateTime2 }, { name: "day", type: mssql.Date },
        { name: "stamp", type: mssql.DateTimeOffset }, { name: "bin", type: mssql.VarBinary }, { name: "ok", type: mssql.Bit },
      ]],
      ...Array.from({ length: rows }, (_, i): FakeEvent => ["row", [i + 1, at, new Date(Date.UTC(2026, 0, 2)), at, Buffer.from([(i + 1) % 256]), i % 2 === 1]]),
      ["recordset", [{ name: "name", type: mssql.NVarChar }]],
      ["row", ["a, b"]],
      ["row", [null]],
      ["done"],
    ];
    const expected = (text: string) => {
      const lines = text.split("\r\n");
      expect(lines.slice(0, 3)).toEqual([
        "id,at,day,stamp,bin,ok",
        "1,2026-01-02T03:04:05.678,2026-01-02,2026-01-02T03:04:05.678Z,01,false",
        "2,2026-01-02T03:04:05.678,2026-01-02,2026-01-02T03:04:05.678Z,02,true",
      ]);
      expect(lines.length).toBe(rows + 2);
    };
    // A request that stops emitting while paused, and one whose events keep coming (they wait in order).
    for (const play of [events, (request: FakeRequest) => events.forEach(([name, ...args]) => request.emit(name, ...args))]) {
      const { runner, requests, closed } = fakeMssql(play);
      const out: CsvOutput = { folder: folder(), base: "T", encoding: "utf-8", token: "t1" };
      const files = await runner.export("SELECT 1; SELECT 2", out, options());
      await runner.close();
      expect(files.map((f) => [f.index, f.rows])).toEqual([[1, rows], [2, 2]]);
      const [request] = requests;
      expect(request!.sent).toEqual(["batch", "SELECT 1; SELECT 2"]);
      expect([request!.stream, request!.arrayRowMode]).toEqual([true, true]);
      expect(request!.pauses).toBeGreaterThan(2);
      if (Array.isArray(play)) expect(request!.resumes).toBe(request!.pauses); // every pause ends, before "done" comes
      expected(readFileSync(files[0]!.temp, "utf8"));
      expect(readFileSync(files[1]!.temp, "utf8")).toBe('name\r\n"a, b"\r\n\r\n');
      expect(finalPath(out, 2)).toBe(join(out.folder, "T_2.csv"));
      expect(closed()).toBe(true);
    }
  });

  it("passes the command as @command under an IsolationLevel, and sums the rows affected", async () => {
    const { runner, requests } = fakeMssql((request) => request.emit("done"));
    await expect(runner.execute("UPDATE t SET a = 1", options(undefined, "Serializable"))).resolves.toBe(5);
    expect(requests[0]!.sent?.[0]).toBe("query");
    expect(requests[0]!.sent?.[1]).toContain("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;");
    expect(requests[0]!.inputs).toEqual([["command", "UPDATE t SET a = 1"]]);
    expect(requests[0]!.stream).toBe(false);
  });

  it("reports SQL Server's error with its line, and cancels the request on abort", async () => {
    const failing = fakeMssql((request) => {
      request.emit("recordset", [{ name: "a" }]);
      request.emit("error", Object.assign(new Error("Invalid object name 'nope'."), { code: "EREQUEST", lineNumber: 2 }));
      request.emit("done");
    });
    const out: CsvOutput = { folder: folder(), base: "T", encoding: "utf-8", token: "t2" };
    const error = await failing.runner.export("SELECT 1 AS a;\nSELECT * FROM nope", out, options()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SqlCommandError);
    expect(error).toMatchObject({ message: "Invalid object name 'nope'.", where: { line: 2 } });

    const controller = new AbortController();
    const hanging = fakeMssql((request) => {
      request.emit("recordset", [{ name: "a" }]);
      request.emit("row", [1]);
      setTimeout(() => controller.abort(new Error("cancelled by the test")), 10);
    });
    await expect(hanging.runner.export("WAITFOR DELAY '01:00'", { ...out, token: "t3" }, options(controller.signal))).rejects.toThrow("cancelled by the test");
    expect(hanging.requests[0]!.cancelled).toBe(true);
  });
});

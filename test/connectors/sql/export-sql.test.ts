/**
 * The SQL package's incremental export sends the last watermark value as a bound parameter: a value
 * with a quote and a backslash selects exactly the rows after it, also on a PostgreSQL session with
 * standard_conforming_strings off, where a backslash in a string literal escapes the quote after it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { exportSqlTables, incrementalQuery, readSqlPackageSettings, type ExportCookie } from "../../../src/connectors/sql/export-sql.js";
import { mssqlRequest } from "../../../src/connectors/sql/mssql-runner.js";
import type { CsvOutput } from "../../../src/connectors/sql/runner.js";
import type { LogLevel } from "../../../src/domain/vocabulary.js";
import type { Store } from "../../../src/store/store.js";
import { readCsv } from "../../helpers/demo-data.js";
import { schemaNameFor } from "../../helpers/backends.js";

const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => { exec(sql: string): void; close(): void };
const POSTGRES_URL = process.env.IDM_TEST_POSTGRES_URL;

const NAMES = ["A", "O'Brien", "O'Brien\\", "O'Brien\\z", "P"];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function folder(): string {
  const f = mkdtempSync(join(tmpdir(), "idm-export-sql-"));
  cleanups.push(() => rmSync(f, { recursive: true, force: true }));
  return f;
}

/** A source database holding `people (id, name)` with NAMES; its URL and the table's name in queries. */
interface Source {
  url: string;
  table: string;
}

async function sqliteSource(): Promise<Source> {
  const file = join(folder(), "source.db");
  const db = new Database(file);
  db.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)");
  db.exec(`INSERT INTO people (id, name) VALUES ${NAMES.map((n, i) => `(${i + 1}, '${n.replaceAll("'", "''")}')`).join(", ")}`);
  db.close();
  return { url: `sqlite:${file}`, table: "people" };
}

/** A schema of its own; the export's session runs with standard_conforming_strings off (libpq `options`). */
async function postgresSource(url: string): Promise<Source> {
  const schema = schemaNameFor("export sql watermark");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    // C collation: the order of the quote, the backslash and the letters is the bytes'.
    await admin.query(`CREATE TABLE "${schema}".people (id integer PRIMARY KEY, name text COLLATE "C")`);
    for (const [i, name] of NAMES.entries()) await admin.query(`INSERT INTO "${schema}".people VALUES ($1, $2)`, [i + 1, name]);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA "${schema}" CASCADE`).finally(() => client.end());
  });
  const off = new URL(url);
  off.searchParams.set("options", "-c standard_conforming_strings=off");
  return { url: off.toString(), table: `"${schema}".people` };
}

const SOURCES: [string, () => Promise<Source>][] = [
  ["sqlite", sqliteSource],
  ...(POSTGRES_URL ? [["postgres", () => postgresSource(POSTGRES_URL)] as [string, () => Promise<Source>]] : []),
];

async function exportOnce(source: Source, query: string, column: string, cookie: ExportCookie | undefined) {
  const out = folder();
  const tables = [{ identifier: "T", columns: [] }];
  const settings = readSqlPackageSettings("C", { ConnectionString: source.url, Queries: { T: query }, Watermark: { T: { Column: column } } }, tables);
  const logs: string[] = [];
  const outputs = (table: string): CsvOutput => ({ folder: out, base: table, encoding: "utf-8", token: "t" });
  // The connection names its own database, not idm:store: the store is never read.
  const context = { log: (_level: LogLevel, message: string) => void logs.push(message), signal: new AbortController().signal, store: undefined as unknown as Store };
  const [result] = await exportSqlTables(context, "C", tables, settings, cookie, outputs, () => undefined);
  return { result: result!, rows: readCsv(result!.temp), logs };
}

describe.each(SOURCES)("incremental SQL export on %s", (name, open) => {
  it("binds a text watermark holding a quote and a backslash: exactly the rows after it", async () => {
    const source = await open();
    const setting = name === "postgres" ? "current_setting('standard_conforming_strings')" : "'n/a'";
    const query = `SELECT id, name, ${setting} AS scs FROM ${source.table}`;
    const { result, rows } = await exportOnce(source, query, "name", { T: { Column: "name", Value: "O'Brien\\" } });
    expect(result.incremental).toBe(true);
    expect(rows.slice(1).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      ["4", "O'Brien\\z", name === "postgres" ? "off" : "n/a"],
      ["5", "P", name === "postgres" ? "off" : "n/a"],
    ]);
    expect(result.cookie).toEqual({ Column: "name", Value: "P" });
  });

  it("binds an integer watermark as a number, also against a computed column", async () => {
    const source = await open();
    const { rows, result } = await exportOnce(source, `SELECT id * 1 AS n, name FROM ${source.table}`, "n", { T: { Column: "n", Value: "3" } });
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(["4", "5"]);
    expect(result.cookie).toEqual({ Column: "n", Value: "5" });
  });
});

describe("incremental SQL export on SQL Server (offline)", () => {
  it("sends the reviewed T-SQL: the watermark is the input @p1, not text of the statement", async () => {
    const last = "O'Brien\\";
    const { sql, parameters } = incrementalQuery("mssql", "SELECT id, name, updated_at FROM hr.people", "updated_at", last);
    const plans = [
      ["the incremental query of a table (no IsolationLevel: sp_executesql with its input)", mssqlRequest(sql, undefined, "export", parameters)],
      ["the same in a Serializable transaction (InvokeSqlCommandTask's wrapper passes the input through)", mssqlRequest(sql, "Serializable", "export", parameters)],
    ] as const;
    for (const [, plan] of plans) expect(plan.text).not.toContain(last);
    const text = plans.map(([title, plan]) => [
      `-- ${title}`,
      `-- request: ${plan.method}, stream ${plan.stream}, arrayRowMode ${plan.arrayRowMode}, inputs ` +
        plan.inputs.map((i) => `@${i.name} ${i.type} = ${JSON.stringify(i.value)}`).join(", "),
      plan.text,
      "",
    ].join("\n")).join("\n");
    await expect(text).toMatchFileSnapshot("./snapshots/mssql-export-sql.sql");
  });
});

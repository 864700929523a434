/**
 * ExportTask's Usercube.SQL package: runs each table's query on the connection's database and writes
 * the rows as `<ConnectionTable>.csv` through InvokeSqlCommandTask's runners (src/connectors/sql/): the
 * same streaming CSV writer (UTF-8, comma, CRLF, header row, NULL empty). Settings:
 *
 *     "Connections": { "<Connection>": {
 *       "ConnectionString": "postgres://user:password@host/db",   // or sqlite:<path>, mssql://…
 *       "Queries": { "<ConnectionTable>": "SELECT code, name FROM departments" },
 *       "Watermark": { "<ConnectionTable>": { "Column": "updated_at" } },   // optional: incremental
 *       "TimeoutSeconds": 300                                          // optional, per query
 *     } }
 *
 * Incremental: a table with a Watermark column, when the cookie `<Paths.Temp>/ExportCookies/<Connection>.json`
 * holds its last value (and IgnoreCookieFile is not true), runs
 * `SELECT * FROM (<query>) q WHERE "<Column>" > ?` with the last value bound as a parameter (never
 * written into the statement's text), and writes only those rows. The new
 * value is the greatest value of the column among the rows written (compared as numbers when all
 * are numbers, else as text: ISO dates compare right), or the old value when no row came back.
 */
import { readFileSync } from "node:fs";
import type { DatabaseTarget, Dialect } from "../../store/database-url.js";
import { parseDatabaseUrl } from "../../store/database-url.js";
import { DIALECTS } from "../../store/dialects/index.js";
import { openRunner, redact, ConnectionError, type DatabaseChoice } from "./connection.js";
import { abortError, CommandTimeout, placeholder, tempPath, type CsvOutput, type SqlParameter, type SqlRunner } from "./runner.js";
import type { WorkContext } from "../../domain/work-context.js";
import { readCsvRecords } from "../csv/csv-read.js";
import type { ExportTable } from "../export-table.js";

export const DEFAULT_SQL_TIMEOUT_SECONDS = 300;

export interface SqlPackageSettings {
  /** "store": the store's own database (STORE_CONNECTION_STRING), resolved when the export runs. */
  database: DatabaseChoice | "store";
  queries: Record<string, string>;
  watermarks: Record<string, string>;
  timeoutSeconds: number;
}

/** A cookie: per ConnectionTable, the watermark column and its last value exported. */
export type ExportCookie = Record<string, { Column: string; Value: string }>;

/**
 * The ConnectionString that names the store's own database, whichever URL opened it (--database,
 * IDM_DATABASE_URL, the settings' ConnectionString): a connection to tables kept beside the store
 * follows the store when it moves to another database.
 */
export const STORE_CONNECTION_STRING = "idm:store";

export function readSqlPackageSettings(connection: string, raw: Record<string, unknown>, tables: ExportTable[]): SqlPackageSettings {
  const at = `settings Connections.${connection}`;
  const url = raw.ConnectionString;
  if (typeof url !== "string" || url.trim() === "") {
    throw new Error(`${at}.ConnectionString is missing: add the database URL the connection's queries run on, or ${STORE_CONNECTION_STRING} for the store's own database (package Usercube.SQL)`);
  }
  let database: SqlPackageSettings["database"];
  if (url.trim() === STORE_CONNECTION_STRING) {
    database = "store";
  } else {
    let target: DatabaseTarget;
    try {
      target = parseDatabaseUrl(url.trim());
    } catch (error) {
      throw new Error(`${at}.ConnectionString: ${(error as Error).message}`, { cause: error });
    }
    database = { kind: "settings", dialect: target.dialect, display: target.display, identifier: connection, target };
  }
  const queries: Record<string, string> = {};
  const rawQueries = raw.Queries;
  if (rawQueries === undefined || rawQueries === null || typeof rawQueries !== "object" || Array.isArray(rawQueries)) {
    throw new Error(`${at}.Queries is missing: add { "<ConnectionTable>": "SELECT …" } for ${tables.map((t) => t.identifier).join(", ")}`);
  }
  for (const table of tables) {
    const query = (rawQueries as Record<string, unknown>)[table.identifier];
    if (typeof query !== "string" || query.trim() === "") throw new Error(`${at}.Queries.${table.identifier} is missing: add the query that exports ConnectionTable ${table.identifier}`);
    queries[table.identifier] = query.trim().replace(/;\s*$/, "");
  }
  const watermarks: Record<string, string> = {};
  if (raw.Watermark !== undefined) {
    if (raw.Watermark === null || typeof raw.Watermark !== "object" || Array.isArray(raw.Watermark)) throw new Error(`${at}.Watermark must be an object { "<ConnectionTable>": { "Column": "…" } }`);
    for (const [table, value] of Object.entries(raw.Watermark as Record<string, unknown>)) {
      const column = value !== null && typeof value === "object" ? (value as Record<string, unknown>).Column : undefined;
      if (typeof column !== "string" || column === "") throw new Error(`${at}.Watermark.${table}.Column must name a column of the query`);
      watermarks[table] = column;
    }
  }
  const timeout = raw.TimeoutSeconds === undefined ? DEFAULT_SQL_TIMEOUT_SECONDS : raw.TimeoutSeconds;
  // A Node.js timer holds at most 2^31-1 ms; a longer one would fire at once.
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout <= 0 || timeout > 2_147_483) {
    throw new Error(`${at}.TimeoutSeconds must be a number of seconds from 1 to 2147483`);
  }
  return {
    database,
    queries,
    watermarks,
    timeoutSeconds: timeout,
  };
}

/** The incremental form of a table's query: the last watermark value is a bound parameter. */
export function incrementalQuery(dialect: Dialect, query: string, column: string, last: string): { sql: string; parameters: SqlParameter[] } {
  const sql = `SELECT * FROM (${query}) q WHERE ${DIALECTS[dialect].quoteForeignIdentifier(column)} > ${placeholder(dialect, 1)}`;
  return { sql, parameters: [watermarkParameter(dialect, last)] };
}

/**
 * The last value as bound: PostgreSQL and SQL Server get its text and convert it to the column's
 * type; SQLite, whose values carry their own type, gets a number as a number (compared with an
 * expression that has no column affinity, a text would sort after every number).
 */
export function watermarkParameter(dialect: Dialect, value: string): SqlParameter {
  if (dialect !== "sqlite") return value;
  if (/^-?\d+$/.test(value)) {
    const integer = BigInt(value);
    // Beyond 64 bits SQLite itself holds the value as a REAL.
    return integer >= -(2n ** 63n) && integer < 2n ** 63n ? integer : Number(value);
  }
  return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
}

export function readCookie(path: string): ExportCookie | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as ExportCookie;
  } catch (error) {
    throw new Error(`the export cookie ${path} is not valid JSON (${(error as Error).message}): remove it or run with IgnoreCookieFile="true"`, { cause: error });
  }
}

/** The greatest value of `column` in a written CSV file: numbers compared as numbers when all are. */
export async function maxOfColumn(file: string, column: string, signal: AbortSignal): Promise<string | undefined> {
  let index = -1;
  let best: string | undefined;
  let numeric = true;
  const values: string[] = [];
  let first = true;
  for await (const record of readCsvRecords(file, signal)) {
    if (first) {
      first = false;
      index = record.indexOf(column);
      if (index === -1) throw new Error(`the watermark column ${column} is not among the query's columns (${record.join(", ")})`);
      continue;
    }
    const value = record[index];
    if (value === undefined || value === "") continue;
    if (numeric && !/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) numeric = false;
    values.push(value);
  }
  for (const value of values) {
    if (best === undefined || (numeric ? Number(value) > Number(best) : value > best)) best = value;
  }
  return best;
}

export interface SqlTableResult {
  table: string;
  temp: string;
  rows: number;
  incremental: boolean;
  /** The cookie's new entry, when the table has a watermark. */
  cookie: { Column: string; Value: string } | undefined;
}

/** Runs every table's query into a temporary file (`tempPath(output)`); the caller renames them. */
export async function exportSqlTables(
  context: Pick<WorkContext, "log" | "signal" | "store">,
  connection: string,
  tables: ExportTable[],
  settings: SqlPackageSettings,
  cookie: ExportCookie | undefined,
  outputs: (table: string) => CsvOutput,
  onRows: (rows: number) => void,
): Promise<SqlTableResult[]> {
  const timeoutMs = settings.timeoutSeconds * 1000;
  const controller = new AbortController();
  const onCancel = () => controller.abort(context.signal.reason ?? new Error("the export was cancelled"));
  if (context.signal.aborted) onCancel();
  else context.signal.addEventListener("abort", onCancel, { once: true });
  let runner: SqlRunner | undefined;
  const results: SqlTableResult[] = [];
  let timer: NodeJS.Timeout | undefined;
  const { store } = context;
  const database: DatabaseChoice = settings.database === "store"
    ? { kind: "store", dialect: store.dialect, display: store.display, store }
    : settings.database;
  try {
    runner = await openRunner(database, timeoutMs);
    for (const table of tables) {
      const query = settings.queries[table.identifier] as string;
      const column = Object.hasOwn(settings.watermarks, table.identifier) ? settings.watermarks[table.identifier] : undefined;
      const previous = column !== undefined && cookie !== undefined && Object.hasOwn(cookie, table.identifier) ? cookie[table.identifier] : undefined;
      const last = previous !== undefined && previous.Column === column ? previous.Value : undefined;
      const { sql, parameters } = column !== undefined && last !== undefined
        ? incrementalQuery(database.dialect, query, column, last)
        : { sql: query, parameters: [] };
      context.log("Information", `Connection ${connection}: ${table.identifier} from ${database.display}${last !== undefined ? ` (rows with ${column} > ${last})` : ""}`);
      const output = outputs(table.identifier);
      timer = setTimeout(() => controller.abort(new CommandTimeout(timeoutMs)), timeoutMs);
      let written;
      try {
        written = await runner.export(sql, output, {
          isolation: undefined, signal: controller.signal, timeoutMs, progress: onRows,
          log: (level, message) => context.log(level, message),
        }, parameters);
      } catch (error) {
        if (controller.signal.aborted && !(controller.signal.reason instanceof CommandTimeout)) throw abortError(controller.signal);
        if (error instanceof ConnectionError) throw error;
        const why = controller.signal.reason instanceof CommandTimeout ? (controller.signal.reason as Error).message : redact(error, database);
        throw new Error(`settings Connections.${connection}.Queries.${table.identifier} failed on ${database.display}: ${why}`, { cause: error });
      } finally {
        clearTimeout(timer);
      }
      if (controller.signal.aborted) throw abortError(controller.signal);
      if (written.length !== 1) {
        throw new Error(`settings Connections.${connection}.Queries.${table.identifier} returned ${written.length} result sets: it must return exactly one`);
      }
      const file = written[0]!;
      if (file.temp !== tempPath(output, 1)) throw new Error(`unexpected temporary file ${file.temp}`);
      let entry: SqlTableResult["cookie"];
      if (column !== undefined) {
        const max = await maxOfColumn(file.temp, column, controller.signal);
        const value = max ?? last;
        entry = value === undefined ? undefined : { Column: column, Value: value };
      }
      results.push({ table: table.identifier, temp: file.temp, rows: file.rows, incremental: last !== undefined, cookie: entry });
    }
    return results;
  } catch (error) {
    if (controller.signal.aborted && !(controller.signal.reason instanceof CommandTimeout)) throw abortError(controller.signal);
    throw error;
  } finally {
    context.signal.removeEventListener("abort", onCancel);
    await runner?.close().catch(() => undefined);
  }
}

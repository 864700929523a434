/**
 * PostgreSQL: one connection for the command (from the store's pool, or its own for a database of
 * the settings). A query is split into statements (statements.ts) and each runs through a cursor
 * (pg-cursor: the extended protocol, BATCH_ROWS rows per round trip), whose rows are written before
 * the next batch is asked for: memory stays flat whatever the result's size. A statement that
 * returns rows is a result set, written to its own file; the others just run. IsNotAQuery sends the
 * command whole (the simple protocol, which runs several statements as one implicit transaction)
 * and counts the rows of its INSERT, UPDATE, DELETE and MERGE statements.
 *
 * A cancel or the Timeout cancels the running statement on the server (pg_cancel_backend from
 * another connection); the command's connection is then closed rather than given back to the pool,
 * so that no half-done state (an open transaction, a late cancel) reaches the next user.
 *
 * Values are read as PostgreSQL's text, so numbers keep every digit, with three exceptions: booleans
 * are written true/false, bytea as hex without its \x prefix, and timestamps as ISO 8601 (a T between
 * date and time; timestamptz keeps the offset the session's TimeZone gives it).
 */
import { createRequire } from "node:module";
import pg from "pg";
import { CsvFile } from "../csv/csv-file.js";
import { isolationSql } from "./isolation.js";
import {
  abortError, requireOneStatement, SqlCommandError, storeConnection, tempPath,
  type CsvOutput, type RunnerOpener, type RunOptions, type SqlParameter, type SqlRunner, type WrittenFile,
} from "./runner.js";
import { splitStatements } from "./statements.js";

/** Rows per cursor read: large enough for few round trips, small enough to stay light. */
export const BATCH_ROWS = 2000;
/**
 * How long the cancel may take to be sent, then the statement to fail, before the work is given up
 * and its connection dropped (twice this stays under the runner's 3 s for a cancelled handler).
 */
const CANCEL_GRACE_MS = 1000;

interface CursorResult {
  fields: { name: string }[];
}
interface Cursor extends pg.Submittable {
  read(rows: number, callback: (error: Error | undefined, rows: unknown[][], result: CursorResult) => void): void;
  close(): Promise<void>;
}
type CursorConstructor = new (text: string, values: string[] | null, config: { rowMode: "array"; types: typeof CSV_TYPES }) => Cursor;
const Cursor = createRequire(import.meta.url)("pg-cursor") as CursorConstructor;

const text = (value: string) => value;
const parseBytea = pg.types.getTypeParser(17) as (value: string) => Buffer;
const TIMESTAMP = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?:([+-]\d\d)(?::?(\d\d))?(?::?(\d\d))?)?$/;

/** Type parsers of the cursors: PostgreSQL's text, except for the three types written otherwise. */
export const CSV_TYPES = {
  getTypeParser(oid: number): (value: string) => string {
    switch (oid) {
      case 16: // bool
        return (value) => (value === "t" ? "true" : value === "f" ? "false" : value);
      case 17: // bytea
        return (value) => (value.startsWith("\\x") ? value.slice(2) : parseBytea(value).toString("hex"));
      case 1114: // timestamp
      case 1184: // timestamptz
        return isoTimestamp;
      default:
        return text;
    }
  },
};

/** `2026-01-02 03:04:05.5+02` → `2026-01-02T03:04:05.5+02:00`; infinity and BC dates stay as they are. */
export function isoTimestamp(value: string): string {
  const match = TIMESTAMP.exec(value);
  if (match === null) return value;
  const [, date, time, hours, minutes, seconds] = match;
  const offset = hours === undefined ? "" : `${hours}:${minutes ?? "00"}${seconds === undefined ? "" : `:${seconds}`}`;
  return `${date}T${time}${offset}`;
}

/** Where the command's connection comes from. */
export type PostgresSource = { pool: pg.Pool } | { config: pg.ClientConfig };

export class PostgresRunner implements SqlRunner {
  readonly dialect = "postgres";
  #broken = false;

  private constructor(
    readonly display: string,
    private readonly source: PostgresSource,
    private readonly client: pg.ClientBase,
    private readonly pid: number,
  ) {}

  static async open(source: PostgresSource, display: string): Promise<PostgresRunner> {
    let client: pg.ClientBase;
    if ("pool" in source) {
      client = await source.pool.connect();
    } else {
      const own = new pg.Client(source.config);
      own.on("error", () => undefined); // a dropped connection fails the running query; nothing else listens
      await own.connect().catch(async (error: unknown) => {
        await own.end().catch(() => undefined);
        throw error;
      });
      client = own;
    }
    try {
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      return new PostgresRunner(display, source, client, rows[0]!.pid);
    } catch (error) {
      await release(source, client, true);
      throw error;
    }
  }

  async execute(sql: string, options: RunOptions): Promise<number> {
    return this.#guard(options, async () => {
      if (options.isolation !== undefined) await this.client.query(`BEGIN ISOLATION LEVEL ${isolationSql("postgres", options.isolation)}`);
      let results: pg.QueryResult | pg.QueryResult[];
      try {
        results = (await this.client.query(sql)) as pg.QueryResult | pg.QueryResult[];
      } catch (error) {
        throw commandError(error, 0);
      }
      if (options.isolation !== undefined) await this.client.query("COMMIT");
      const counted = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);
      return (Array.isArray(results) ? results : [results])
        .filter((r) => counted.has(r.command))
        .reduce((sum, r) => sum + (r.rowCount ?? 0), 0);
    });
  }

  async export(sql: string, output: CsvOutput, options: RunOptions, parameters: readonly SqlParameter[] = []): Promise<WrittenFile[]> {
    const statements = splitStatements(sql, "postgres");
    requireOneStatement(statements.length, parameters);
    // Sent as text through the extended protocol: the server gives each the type its place in the
    // statement wants (a timestamp, a numeric: every digit kept).
    const values = parameters.length === 0 ? null : parameters.map(String);
    return this.#guard(options, async () => {
      const files: WrittenFile[] = [];
      let total = 0;
      if (options.isolation !== undefined) await this.client.query(`BEGIN ISOLATION LEVEL ${isolationSql("postgres", options.isolation)}`);
      for (const [n, statement] of statements.entries()) {
        if (options.signal.aborted) throw abortError(options.signal);
        const cursor = this.client.query(new Cursor(statement.text, values, { rowMode: "array", types: CSV_TYPES }));
        const read = () =>
          new Promise<{ rows: unknown[][]; fields: CursorResult["fields"] }>((resolve, reject) =>
            cursor.read(BATCH_ROWS, (error, rows, result) =>
              error ? reject(commandError(error, statement.start, n + 1)) : resolve({ rows, fields: result.fields }),
            ),
          );
        let { rows, fields } = await read();
        if (fields.length === 0) {
          while (rows.length > 0) ({ rows } = await read()); // no result set (CREATE, SET, …): run it to its end
          continue;
        }
        const index = files.length + 1;
        const file = await CsvFile.create(tempPath(output, index), output.encoding, fields.map((f) => f.name));
        const written: WrittenFile = { index, temp: file.path, rows: 0 };
        files.push(written);
        let complete = false;
        try {
          for (;;) {
            for (const row of rows) if (file.row(row)) await file.flush();
            total += rows.length;
            options.progress(total);
            if (rows.length < BATCH_ROWS) break;
            if (options.signal.aborted) throw abortError(options.signal);
            ({ rows } = await read());
          }
          complete = true;
        } finally {
          await file.close(complete);
          written.rows = file.rows;
        }
      }
      if (options.isolation !== undefined) await this.client.query("COMMIT");
      return files;
    });
  }

  async close(): Promise<void> {
    await release(this.source, this.client, this.#broken);
  }

  /**
   * Runs the work under the signal: on abort, the running statement is cancelled on the server; the
   * work then fails with PostgreSQL's "canceling statement" and the abort's reason is thrown instead.
   * Any failure leaves the connection to be closed (an open transaction goes with it).
   */
  async #guard<T>(options: RunOptions, work: () => Promise<T>): Promise<T> {
    const { signal } = options;
    if (signal.aborted) throw abortError(signal);
    let giveUp: (error: Error) => void = () => undefined;
    const gaveUp = new Promise<never>((_, reject) => (giveUp = reject));
    // The cancel normally makes the work fail at once; if it does not (it reached no statement, or
    // the pool had no connection to send it from), the work is left behind and its connection closed.
    const onAbort = () =>
      void Promise.race([this.#cancel(), sleep(CANCEL_GRACE_MS)])
        .then(() => sleep(CANCEL_GRACE_MS))
        .then(() => giveUp(abortError(signal)));
    signal.addEventListener("abort", onAbort, { once: true });
    const running = work();
    try {
      return await Promise.race([running, gaveUp]);
    } catch (error) {
      this.#broken = true;
      running.catch(() => undefined);
      throw signal.aborted ? abortError(signal) : error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** pg_cancel_backend from another connection: the pool's, or a short one of our own. */
  async #cancel(): Promise<void> {
    try {
      if ("pool" in this.source) {
        await this.source.pool.query("SELECT pg_cancel_backend($1)", [this.pid]);
      } else {
        const other = new pg.Client(this.source.config);
        other.on("error", () => undefined);
        try {
          await other.connect();
          await other.query("SELECT pg_cancel_backend($1)", [this.pid]);
        } finally {
          await other.end().catch(() => undefined);
        }
      }
    } catch {
      // The connection is closed right after anyway, which ends the statement at its next write.
    }
  }
}

export const postgresRunners: RunnerOpener = {
  forStore: (store, display) => PostgresRunner.open({ pool: storeConnection<pg.Pool>(store, "master") }, display),
  forTarget(options, display) {
    const { url, connectTimeoutMS } = options as { url?: string; connectTimeoutMS?: number };
    return PostgresRunner.open({ config: { connectionString: url, connectionTimeoutMillis: connectTimeoutMS ?? 10_000 } }, display);
  },
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function release(source: PostgresSource, client: pg.ClientBase, destroy: boolean): Promise<void> {
  if ("pool" in source) (client as pg.PoolClient).release(destroy);
  else await (client as pg.Client).end().catch(() => undefined);
}

/** PostgreSQL's message with its detail and hint, and where in the command (its 1-based position). */
function commandError(error: unknown, start: number, statement?: number): unknown {
  const e = error as { message?: string; detail?: string; hint?: string; position?: string; severity?: string };
  if (!(error instanceof Error) || e.severity === undefined) return error;
  const message = `${e.message}${e.detail ? ` (${e.detail})` : ""}${e.hint ? `; hint: ${e.hint}` : ""}`;
  const offset = e.position === undefined ? start : start + Number(e.position) - 1;
  return new SqlCommandError(message, { offset, ...(statement === undefined ? {} : { statement }) }, { cause: error });
}

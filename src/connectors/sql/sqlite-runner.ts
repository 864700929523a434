/**
 * SQLite: the command runs in a process of its own (sqlite-child.ts) on its own connection to the
 * database file (WAL lets it read while the runner writes its states and logs), writing the CSV files
 * itself; this process only relays its progress. A cancel or the Timeout kills that process (SIGKILL):
 * the statement stops at once, whatever step it is in, and SQLite rolls back what it had not committed.
 *
 * An in-memory store (`sqlite::memory:`) cannot be opened by another process: there the command runs
 * in this process on the store's connection, synchronously. Then the Timeout is checked every
 * 10,000 rows only, a cancel is seen only when the command has ended, and the job's other tasks, logs
 * and heartbeat wait for it. (In-memory stores are for tests and trials.)
 */
import { fork } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IsolationLevel } from "./isolation.js";
import {
  abortError, CommandTimeout, SqlCommandError, storeConnection,
  type CsvOutput, type RunnerOpener, type RunOptions, type SqlParameter, type SqlRunner, type WrittenFile,
} from "./runner.js";
import type { ChildReply, ChildRequest } from "./sqlite-child.js";
import { executeSqlite, exportSqlite, sqliteParameter, type SqliteDatabase, type SqliteJob } from "./sqlite-export.js";

/** The modules sqlite-child.js loads (from src/), checked for a stale build when running from the TypeScript sources. */
const CHILD_MODULES = [
  "connectors/sql/sqlite-child", "connectors/sql/sqlite-export", "connectors/sql/statements", "connectors/sql/runner",
  "connectors/csv/csv-file", "connectors/csv/csv-text", "connectors/csv/encoding", "config/text-encoding", "domain/cancellation",
];

export class SqliteRunner implements SqlRunner {
  readonly dialect = "sqlite";
  /** The file the child opens, or the connection to use here (in-memory store). */
  readonly #database: { file: string } | { connection: SqliteDatabase };

  private constructor(
    readonly display: string,
    database: { file: string } | { connection: SqliteDatabase },
  ) {
    this.#database = database;
  }

  /** A database file (or a fresh `:memory:` one) opened by a child process. */
  static forFile(file: string, display: string): SqliteRunner {
    return new SqliteRunner(display, { file });
  }

  /** The store's own connection: its file through a child, or itself when it lives in memory. */
  static forStore(connection: SqliteDatabase, display: string): SqliteRunner {
    return new SqliteRunner(display, connection.memory ? { connection } : { file: connection.name });
  }

  /** Whether the command runs in this process (an in-memory store), with the limits above. */
  get inProcess(): boolean {
    return "connection" in this.#database;
  }

  async execute(sql: string, options: RunOptions): Promise<number> {
    const job = { sql, begin: begin(options.isolation, "BEGIN IMMEDIATE") };
    if ("connection" in this.#database) return executeSqlite(this.#database.connection, job);
    return (await this.#child(job, undefined, options)).rowsAffected;
  }

  async export(sql: string, output: CsvOutput, options: RunOptions, parameters: readonly SqlParameter[] = []): Promise<WrittenFile[]> {
    const job: SqliteJob = { sql, begin: begin(options.isolation, "BEGIN"), parameters: parameters.map(sqliteParameter) };
    if ("connection" in this.#database) {
      const deadline = Date.now() + options.timeoutMs;
      return exportSqlite(this.#database.connection, job, output, {
        progress: (rows) => {
          if (Date.now() > deadline) throw new CommandTimeout(options.timeoutMs);
          options.progress(rows);
        },
      });
    }
    return (await this.#child(job, output, options)).files;
  }

  async close(): Promise<void> {}

  #child(job: SqliteJob, output: CsvOutput | undefined, options: RunOptions): Promise<Extract<ChildReply, { kind: "done" }>> {
    const { file } = this.#database as { file: string };
    const request: ChildRequest = { file, busyTimeoutMs: options.timeoutMs, job, ...(output === undefined ? {} : { output }) };
    const { signal } = options;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError(signal));
      const child = fork(childScript(), [], { execArgv: [], stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "json" });
      let stderr = "";
      let reply: ChildReply | undefined;
      child.stderr?.setEncoding("utf8").on("data", (text: string) => (stderr = (stderr + text).slice(-4000)));
      child.on("message", (message: ChildReply) => {
        if (message.kind === "progress") options.progress(message.rows);
        else reply = message;
      });
      const kill = () => child.kill("SIGKILL");
      signal.addEventListener("abort", kill, { once: true });
      child.once("error", (error) => {
        signal.removeEventListener("abort", kill);
        kill();
        reject(new Error(`cannot start the SQLite process: ${error.message}`, { cause: error }));
      });
      child.once("close", (code, killedBy) => {
        signal.removeEventListener("abort", kill);
        if (signal.aborted) return reject(abortError(signal));
        if (reply?.kind === "done") {
          options.log("Debug", `the SQLite process peaked at ${Math.round(reply.peakRssBytes / 1048576)} MB`);
          return resolve(reply);
        }
        if (reply?.kind === "failed") {
          return reject(reply.where === undefined ? new Error(reply.message) : new SqlCommandError(reply.message, reply.where));
        }
        const last = stderr.trim().split("\n").at(-1);
        reject(new Error(`the SQLite process ended ${killedBy ?? `with code ${code}`} without an answer${last ? `: ${last}` : ""}`));
      });
      child.send(request);
    });
  }
}

export const sqliteRunners: RunnerOpener = {
  forStore: async (store, display) => SqliteRunner.forStore(storeConnection<SqliteDatabase>(store, "databaseConnection"), display),
  forTarget: async (options, display) => SqliteRunner.forFile((options as { database: string }).database, display),
};

function begin(isolation: IsolationLevel | undefined, statement: string): string | undefined {
  return isolation === undefined ? undefined : statement;
}

/**
 * The built sqlite-child.js beside this module; when this module runs from its TypeScript source
 * (the tests, through vitest), the one in dist/, which must not be older than its sources.
 */
function childScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "sqlite-child.js");
  const sources = join(dirname(here), "..", "..");
  const built = join(sources, "..", "dist");
  for (const name of CHILD_MODULES) {
    const source = join(sources, `${name}.ts`);
    const output = join(built, `${name}.js`);
    if (!existsSync(output) || statSync(output).mtimeMs < statSync(source).mtimeMs) {
      throw new Error(`the SQLite exporter runs from the build and ${output} is ${existsSync(output) ? "older than its source" : "missing"}: run npm run build`);
    }
  }
  return join(built, "connectors", "sql", "sqlite-child.js");
}

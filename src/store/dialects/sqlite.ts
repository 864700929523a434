/**
 * SQLite (better-sqlite3): a file, or `:memory:`. No schemas, no identifier limit, no server to
 * cancel a statement on (better-sqlite3 is synchronous: the running statement finishes).
 */
import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { PORTABLE_COLUMNS } from "./column-types.js";
import { doubleQuoted, insertReturningClause, singleQuoted, type DialectProfile } from "./profile.js";
import { BACKSTOP_PAGES, startCheckpointer } from "./sqlite-checkpointer.js";

/** What the store's bulk writes and the SQL fulfilment package use of a better-sqlite3 connection and its statements. */
export interface SqliteStatement {
  readonly reader: boolean;
  all(parameters?: unknown[]): unknown[];
  run(parameters?: unknown[]): unknown;
}
export interface SqliteConnection {
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
}

/** Each connection's prepared statements, by text. */
const PREPARED = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/**
 * The connection's statement of a text, prepared on its first use: bulk writes and fulfilment send a
 * handful of texts over and over, and preparing costs more than running a one-row statement.
 */
export function preparedStatements(connection: SqliteConnection): (sql: string) => SqliteStatement {
  let statements = PREPARED.get(connection);
  if (statements === undefined) PREPARED.set(connection, (statements = new Map()));
  const known = statements;
  return (sql) => {
    let statement = known.get(sql);
    if (statement === undefined) known.set(sql, (statement = connection.prepare(sql)));
    return statement;
  };
}

/** SQLite's busy_timeout: how long a second process waits for the write lock. */
const BUSY_TIMEOUT_MS = 10_000;

interface SqlitePragmas {
  pragma(source: string): unknown;
}

/**
 * `PRAGMA journal_mode = WAL`, tried again while another process holds the lock, up to `timeoutMs`.
 * SQLite answers this pragma SQLITE_BUSY at once, without the busy timeout, when two processes open
 * a new database together (two `idm deploy` at once: one failed with "database is locked").
 */
export function switchToWal(db: SqlitePragmas, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}

export const sqlite: DialectProfile = {
  dialect: "sqlite",
  title: "SQLite",
  schemes: ["sqlite"],
  urlForm: "sqlite:<path> (or sqlite::memory:)",
  driverTypes: ["better-sqlite3", "sqlite"],
  target(url, cwd, accepted) {
    // "sqlite:///abs/file.db" and "sqlite:rel/file.db" both name a file; the slashes are optional.
    const rest = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "").replace(/^\/\/(?!\/)/, "");
    if (rest === "") throw new Error(`database URL "${url}" names no file: ${accepted}`);
    const database = rest === ":memory:" ? ":memory:" : isAbsolute(rest) ? rest : resolve(cwd, rest);
    return {
      dialect: "sqlite",
      display: url,
      options: {
        type: "better-sqlite3",
        database,
        // In WAL mode NORMAL syncs at checkpoints, not at each commit: a commit survives the process
        // being killed, and only an operating system crash or power loss can undo the last commits
        // (never corrupt the file). FULL made every task state change wait for a disk flush.
        // A 32 MiB page cache (the default is 2 MiB): a Dirty run reads scattered rows, then archives and
        // rewrites them; with the default cache their pages were gone by the time they were written.
        prepareDatabase: (db: SqlitePragmas) => {
          db.pragma("synchronous = NORMAL");
          db.pragma("cache_size = -32768");
          if (database !== ":memory:") switchToWal(db, BUSY_TIMEOUT_MS);
        },
        // better-sqlite3's `timeout` is SQLite's busy_timeout: a second process waits for the lock.
        timeout: BUSY_TIMEOUT_MS,
      },
    };
  },
  openVerb: "open",
  /** The parent folder, on first use; made here so that a failure reads "cannot open …" like the others. */
  prepareOpen(options) {
    const file = options.type === "better-sqlite3" ? options.database : ":memory:";
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  },
  // The store's checkpoints run in a thread of their own (sqlite-checkpointer.ts); its connection's only past a backstop.
  background: async (dataSource) => {
    const { options } = dataSource;
    if (options.type !== "better-sqlite3" || options.database === ":memory:") return undefined;
    await dataSource.query(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    return startCheckpointer(options.database as string);
  },
  schemaOptions: () => ({}),
  secrets: () => [],

  // TypeORM's sqlite driver maps `datetime` back to Date.
  columnTypes: { ...PORTABLE_COLUMNS, timestamp: { type: "datetime" } },
  maxParameters: 5000,
  arrayInsertRows: undefined,
  // Straight to better-sqlite3 with the parameters as one array: TypeORM's query() copies them and
  // spreads thousands of arguments into the call. Its booleans are 1 and 0 already (columnParameter).
  // The name stands for the text (statementName), so the statements are kept by text.
  runNamed: async (connection, _name, sql, parameters) => {
    preparedStatements(connection as SqliteConnection)(sql).run(parameters);
  },
  runEach: (connection, _name, sql, parameterSets) => {
    const statement = preparedStatements(connection as SqliteConnection)(sql);
    for (const parameters of parameterSets) statement.run(parameters);
  },
  bindValue: (_driver, _column, prepared) => prepared,
  // SQLite has no lock to wait on: one write transaction (BEGIN IMMEDIATE) around every migration
  // makes a second process wait for it (busy timeout), then find nothing left to do.
  migrationLock: () => ({ lock: "BEGIN IMMEDIATE", unlock: "COMMIT", abort: "ROLLBACK", parameters: [], isTransaction: true }),

  withRecursive: "WITH RECURSIVE",
  trueLiteral: "1",
  insertReturning: insertReturningClause,
  quoteIdentifier: doubleQuoted,
  quoteForeignIdentifier: doubleQuoted,
  stringLiteral: singleQuoted,
  identifierLimit: undefined,

  statementCancel: async () => ({}),
};

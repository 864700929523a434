/**
 * The SQLite side of InvokeSqlCommandTask, synchronous as better-sqlite3 is: run in a process of its
 * own (sqlite-child.ts) so that a cancel or a timeout can kill it in the middle of a step, or in the
 * task's process for an in-memory store that no other process can open (sqlite-runner.ts).
 *
 * better-sqlite3 prepares one statement at a time, so a query command is split into statements
 * (statements.ts): each one that returns rows (SELECT, PRAGMA, … RETURNING) is a result set written
 * to its own file; the others just run. IsNotAQuery runs the command whole with `exec` and counts the
 * rows that INSERT, UPDATE and DELETE changed, triggers included (total_changes(), like SQL Server's
 * count). Integers are read as BigInt, so that a 64-bit value past 2^53 is written exactly.
 */
import { CsvFileSync } from "../csv/csv-file.js";
import { requireOneStatement, SqlCommandError, tempPath, type CsvOutput, type SqlParameter, type WrittenFile } from "./runner.js";
import { splitStatements } from "./statements.js";

/** The part of better-sqlite3's Database used here (the package ships no types). */
export interface SqliteDatabase {
  readonly name: string;
  readonly memory: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  close(): unknown;
}

export interface SqliteStatement {
  readonly reader: boolean;
  columns(): { name: string }[];
  raw(on?: boolean): SqliteStatement;
  safeIntegers(on?: boolean): SqliteStatement;
  iterate(...parameters: unknown[]): IterableIterator<unknown[]>;
  run(...parameters: unknown[]): { changes: number };
  pluck(on?: boolean): SqliteStatement;
  get(): unknown;
}

export interface SqliteJob {
  sql: string;
  /** The statement that opens the command's transaction (BEGIN, BEGIN IMMEDIATE), when it has one. */
  begin: string | undefined;
  /** Bound to the query's `?` in order; a 64-bit integer travels as its digits (the IPC is JSON). */
  parameters?: SqliteParameter[];
}

export type SqliteParameter = string | number | { integer: string };

/** A parameter as it crosses to the SQLite process. */
export function sqliteParameter(value: SqlParameter): SqliteParameter {
  return typeof value === "bigint" ? { integer: value.toString() } : value;
}

/** A parameter as better-sqlite3 binds it: an integer as a BigInt, so that SQLite stores it as INTEGER exactly. */
function bound(value: SqliteParameter): string | number | bigint {
  return typeof value === "object" ? BigInt(value.integer) : value;
}

export interface SqliteHooks {
  /** Rows written so far, every PROGRESS_ROWS rows; may throw to stop the export (a deadline). */
  progress(rows: number): void;
}

export const PROGRESS_ROWS = 10_000;

/** IsNotAQuery: the rows inserted, updated or deleted. */
export function executeSqlite(db: SqliteDatabase, job: SqliteJob): number {
  const changes = db.prepare("SELECT total_changes()").pluck(true);
  const before = Number(changes.get());
  inTransaction(db, job.begin, () => {
    try {
      db.exec(job.sql);
    } catch (error) {
      throw commandError(error, undefined);
    }
  });
  return Number(changes.get()) - before;
}

/** A query: each result set into `tempPath(output, n)`. */
export function exportSqlite(db: SqliteDatabase, job: SqliteJob, output: CsvOutput, hooks: SqliteHooks): WrittenFile[] {
  const files: WrittenFile[] = [];
  let total = 0;
  const parameters = (job.parameters ?? []).map(bound);
  const statements = splitStatements(job.sql, "sqlite");
  requireOneStatement(statements.length, parameters);
  inTransaction(db, job.begin, () => {
    for (const [n, statement] of statements.entries()) {
      const where = { offset: statement.start, statement: n + 1 };
      let prepared: SqliteStatement;
      try {
        prepared = db.prepare(statement.text);
        if (!prepared.reader) {
          prepared.run(...parameters);
          continue;
        }
      } catch (error) {
        throw commandError(error, where);
      }
      const index = files.length + 1;
      const file = new CsvFileSync(tempPath(output, index), output.encoding, prepared.columns().map((c) => c.name));
      const written: WrittenFile = { index, temp: file.path, rows: 0 };
      files.push(written);
      let complete = false;
      try {
        for (const row of prepared.raw(true).safeIntegers(true).iterate(...parameters)) {
          if (file.row(row)) file.flush();
          if (++total % PROGRESS_ROWS === 0) hooks.progress(total);
        }
        complete = true;
      } catch (error) {
        throw commandError(error, where);
      } finally {
        file.close(complete);
        written.rows = file.rows;
      }
    }
  });
  hooks.progress(total);
  return files;
}

function inTransaction(db: SqliteDatabase, begin: string | undefined, work: () => void): void {
  if (begin === undefined) return work();
  db.exec(begin);
  try {
    work();
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/** SQLite's errors carry where in the command they happened; the others (a full disk) go as they are. */
function commandError(error: unknown, where: SqlCommandError["where"] | undefined): unknown {
  const code = (error as { code?: unknown }).code;
  const fromSqlite = typeof code === "string" ? code.startsWith("SQLITE_") : error instanceof TypeError || error instanceof RangeError;
  if (!fromSqlite || !(error instanceof Error)) return error;
  return new SqlCommandError(error.message, where ?? {}, { cause: error });
}

/**
 * The process that runs one SQLite command of InvokeSqlCommandTask (started by sqlite-runner.ts with
 * child_process.fork). better-sqlite3 is synchronous: a long step (a sort, an aggregate, a big
 * UPDATE) can be stopped only by ending its process, which SIGKILL does at once; SQLite's journal
 * then rolls back what the command had not committed. A worker thread would not do: terminate()
 * waits for the step to return.
 *
 * Protocol (IPC, JSON): the parent sends one ChildRequest; the child answers ChildProgress messages
 * while it writes, then one ChildDone or ChildFailed, and exits.
 */
import { createRequire } from "node:module";
import type { CsvOutput, SqlCommandError, WrittenFile } from "./runner.js";
import { executeSqlite, exportSqlite, PROGRESS_ROWS, type SqliteDatabase, type SqliteJob } from "./sqlite-export.js";

export interface ChildRequest {
  /** The database file (or ":memory:"). */
  file: string;
  /** SQLite's busy timeout: how long a statement waits for another connection's lock. */
  busyTimeoutMs: number;
  job: SqliteJob;
  /** Absent for IsNotAQuery. */
  output?: CsvOutput;
}

export type ChildReply =
  | { kind: "progress"; rows: number }
  | { kind: "done"; rowsAffected: number; files: WrittenFile[]; peakRssBytes: number }
  /** `where` is set for the database's own errors (SqlCommandError). */
  | { kind: "failed"; message: string; where?: SqlCommandError["where"] };

type DatabaseConstructor = new (file: string, options: { fileMustExist: boolean; timeout: number }) => SqliteDatabase;

const PROGRESS_EVERY_MS = 250;

function run(request: ChildRequest): ChildReply {
  const parent = process.ppid;
  let lastProgress = 0;
  const progress = (rows: number) => {
    // Orphaned (the task's process died without killing us): stop.
    if (process.ppid !== parent) process.exit(3);
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_EVERY_MS || rows % PROGRESS_ROWS !== 0) {
      lastProgress = now;
      process.send?.({ kind: "progress", rows } satisfies ChildReply);
    }
  };
  const Database = createRequire(import.meta.url)("better-sqlite3") as DatabaseConstructor;
  let db: SqliteDatabase;
  try {
    db = new Database(request.file, { fileMustExist: request.file !== ":memory:", timeout: request.busyTimeoutMs });
  } catch (error) {
    return { kind: "failed", message: `cannot open ${request.file}: ${(error as Error).message}` };
  }
  try {
    const files = request.output === undefined ? [] : exportSqlite(db, request.job, request.output, { progress });
    const rowsAffected = request.output === undefined ? executeSqlite(db, request.job) : 0;
    return { kind: "done", rowsAffected, files, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  } catch (error) {
    const where = (error as Partial<SqlCommandError>).where;
    return {
      kind: "failed",
      message: error instanceof Error ? error.message : String(error),
      ...(where === undefined ? {} : { where }),
    };
  } finally {
    db.close();
  }
}

process.once("message", (request: ChildRequest) => {
  const reply = run(request);
  process.send?.(reply, undefined, undefined, () => process.disconnect());
});

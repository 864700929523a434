/**
 * The one interface behind which each dialect runs InvokeSqlCommandTask's command: `execute` for
 * IsNotAQuery (rows affected), `export` for queries (each result set into its own CSV file, under a
 * temporary name that the handler renames once everything succeeded). The output files' names, and
 * the error that carries where in the command a statement failed, are shared here.
 */
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DataSourceOptions } from "typeorm";
import type { Dialect } from "../../store/database-url.js";
import type { Store } from "../../store/store.js";
import { cancellationError } from "../../domain/cancellation.js";
import type { LogLevel } from "../../domain/vocabulary.js";
import type { IsolationLevel } from "./isolation.js";

export interface CsvOutput {
  /** Absolute folder of the files. */
  folder: string;
  /** File name without `.csv`: the task identifier. */
  base: string;
  encoding: string;
  /** Unique to the run: the temporary files are `.<base>.<token>.<n>.tmp` in the folder. */
  token: string;
}

export interface WrittenFile {
  /** 1 for the first result set. */
  index: number;
  /** Where it was written; `finalPath(output, index)` is where it goes. */
  temp: string;
  rows: number;
}

export interface RunOptions {
  isolation: IsolationLevel | undefined;
  /** Aborted on cancel and on timeout: the runner stops the statement on the server and throws `signal.reason`. */
  signal: AbortSignal;
  /** The task's Timeout, for drivers that want one of their own (it is also what aborts `signal`). */
  timeoutMs: number;
  /** Rows written so far, now and then. */
  progress(rows: number): void;
  log(level: LogLevel, message: string): void;
}

/**
 * A value sent apart from the command's text and bound to one of its placeholders: the database
 * never parses it as SQL, whatever quotes, backslashes or session options (standard_conforming_strings).
 */
export type SqlParameter = string | number | bigint;

/**
 * The placeholder of the n-th (1-based) parameter, as each runner binds them: SQLite's are
 * positional (better-sqlite3 refuses `?1`), PostgreSQL's numbered, SQL Server's named inputs.
 */
export function placeholder(dialect: Dialect, n: number): string {
  if (dialect === "sqlite") return "?";
  return dialect === "postgres" ? `$${n}` : `@p${n}`;
}

export interface SqlRunner {
  readonly dialect: Dialect;
  /** The database for messages (no password). */
  readonly display: string;
  /** Runs a command that returns no rows; the number of rows it inserted, updated or deleted. */
  execute(sql: string, options: RunOptions): Promise<number>;
  /**
   * Runs a query; each result set is written as CSV into `tempPath(output, n)`. With parameters,
   * the query must be one statement, whose placeholders (`placeholder`) they are bound to in order.
   */
  export(sql: string, output: CsvOutput, options: RunOptions, parameters?: readonly SqlParameter[]): Promise<WrittenFile[]>;
  close(): Promise<void>;
}

/** How a dialect's runner is opened: on the store's own database, or on a database of the settings. */
export interface RunnerOpener {
  forStore(store: Store, display: string, timeoutMs: number): Promise<SqlRunner>;
  forTarget(options: DataSourceOptions, display: string, timeoutMs: number): Promise<SqlRunner>;
}

/**
 * The driver object behind a store, which TypeORM keeps to itself: its pool (`master`), or SQLite's
 * database (`databaseConnection`). The one place it is cast.
 */
export function storeConnection<T>(store: Store, property: "master" | "databaseConnection"): T {
  const found = (store.dataSource.driver as unknown as Record<typeof property, unknown>)[property];
  if (found === undefined || found === null) throw new Error(`the store ${store.display} is not connected`);
  return found as T;
}

/** A failure of the command in the database, with where in the command's text it happened when known. */
export class SqlCommandError extends Error {
  constructor(
    message: string,
    readonly where: { offset?: number; line?: number; statement?: number } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function finalPath(output: CsvOutput, index: number): string {
  return join(output.folder, index === 1 ? `${output.base}.csv` : `${output.base}_${index}.csv`);
}

export function tempPath(output: CsvOutput, index: number): string {
  return join(output.folder, `.${output.base}.${output.token}.${index}.tmp`);
}

/** Removes the run's temporary files, whoever wrote them (a killed SQLite process cannot). */
export async function removeTemporaryFiles(output: CsvOutput): Promise<void> {
  const prefix = `.${output.base}.${output.token}.`;
  let names: string[];
  try {
    names = await readdir(output.folder);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith(".tmp")).map((n) => rm(join(output.folder, n), { force: true })));
}

/** The one statement that bound parameters go to: a command of several has no single place for them. */
export function requireOneStatement(statements: number, parameters: readonly SqlParameter[]): void {
  if (parameters.length > 0 && statements !== 1) {
    throw new Error(`a query with bound parameters must be one statement; this one has ${statements}`);
  }
}

/** The Timeout expired: the reason the command's signal is aborted with. */
export class CommandTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs / 1000} s (Timeout); the statement was stopped in the database`);
  }
}

/** The reason a command's signal was aborted with, as an Error. */
export function abortError(signal: AbortSignal): Error {
  return cancellationError(signal, "the command was cancelled");
}

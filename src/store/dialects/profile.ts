/**
 * What differs from one database to the next, gathered in one profile per database (sqlite.ts,
 * postgres.ts, mssql.ts) and looked up in DIALECTS (index.ts). The rest of the code asks the profile
 * instead of testing the dialect's name: adding a database means a new profile here, plus its file in
 * each per-dialect family (connectors/sql/*-runner.ts, domain/views/dialects/, domain/maintenance/).
 */
import type { DataSource, DataSourceOptions, QueryRunner } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata.js";
import type { Driver } from "typeorm/driver/Driver.js";
import type { ColumnTypes } from "./column-types.js";

export type Dialect = "sqlite" | "postgres" | "mssql";

export interface DatabaseTarget {
  dialect: Dialect;
  /** for messages: no password */
  display: string;
  options: DataSourceOptions;
}

/** The statements that take and give back the lock that migrations run under. */
export interface MigrationLock {
  lock: string;
  unlock: string;
  /** run instead of unlock when a migration failed */
  abort?: string;
  parameters: string[];
  /** whether the lock is itself the transaction that the migrations run in */
  isTransaction: boolean;
}

/** How a session's running statement is stopped when its signal fires (nothing: it runs to its end). */
export interface StatementCancel {
  /** Stops the statement running on the session's connection, from another connection. */
  cancelRunning?(): Promise<unknown>;
  /** Runs a statement without parameters as a request of its own, without time limit, cancelled by the signal. */
  runUnbounded?(sql: string, signal: AbortSignal): Promise<unknown[]>;
}

export interface IdentifierLimit {
  length: number;
  unit: "characters" | "bytes";
}

/** What a dialect runs beside the store's statements while it is open. */
export interface BackgroundWork {
  close(): Promise<void>;
}

export interface DialectProfile {
  readonly dialect: Dialect;
  /** The database's name in messages: "SQL Server". */
  readonly title: string;

  // Database URLs and connections
  /** The URL schemes it is reached by, lower case (`postgres`, `postgresql`). */
  readonly schemes: readonly string[];
  /** The URL form named when a URL is refused. */
  readonly urlForm: string;
  /** The TypeORM driver types that reach it. */
  readonly driverTypes: readonly string[];
  /** The URL as TypeORM options; `accepted` ends the messages of a URL it cannot use. */
  target(url: string, cwd: string, accepted: string): DatabaseTarget;
  /** Verb of "cannot … <database>": a file is opened, a server connected to. */
  readonly openVerb: "open" | "connect to";
  /** What must be in place before TypeORM opens it (SQLite: the file's folder). */
  prepareOpen(options: DataSourceOptions): void;
  /** Work the open store needs beside its statements (SQLite: its checkpoints), stopped before it closes. */
  readonly background?: (dataSource: DataSource) => Promise<BackgroundWork | undefined>;
  /** The TypeORM options that put the store in a schema of its own (none on SQLite). */
  schemaOptions(schema: string): object;
  /** The passwords of the options: never shown, whatever message quotes them. */
  secrets(options: DataSourceOptions): string[];

  // Store schema and statements
  readonly columnTypes: ColumnTypes;
  /** Bound parameters one statement may carry (with a margin under the database's limit). */
  readonly maxParameters: number;
  /**
   * Rows per multi-row INSERT when each column is bound as one array (`INSERT … SELECT * FROM
   * unnest($1::type[], …)`): one short statement text whatever the number of rows, which the server
   * parses far faster than thousands of placeholders. Undefined: one placeholder per value.
   */
  readonly arrayInsertRows: number | undefined;
  /**
   * Runs a statement as the prepared statement `name` on a session's connection (`connection` is the
   * driver's, from QueryRunner.connect()): the server parses its text once per connection instead of
   * once per run. Undefined where there is nothing to gain (TypeORM already keeps better-sqlite3's
   * prepared statements per connection).
   */
  readonly runNamed?: (connection: unknown, name: string, sql: string, parameters: unknown[]) => Promise<void>;
  /**
   * Loads rows through the database's bulk path on a session's connection (`connection` as for
   * runNamed): `values` row after row, `columns.length` a row, each as the driver binds it, into
   * `table`'s `columns` (quoted). Undefined where multi-row INSERTs are the fastest path.
   */
  readonly copyRows?: (connection: unknown, table: string, columns: readonly string[], values: readonly unknown[]) => Promise<void>;
  /**
   * Runs the prepared statement `name` once per parameter set, where a statement costs no round trip
   * (SQLite, in process): many single-row statements then beat one statement that picks each row's
   * values out of a CASE. Undefined where each run would be a round trip.
   */
  readonly runEach?: (connection: unknown, name: string, sql: string, parameterSets: readonly unknown[][]) => void;
  /**
   * The statement that refreshes a table's planner statistics (`table` quoted) after a bulk load,
   * whose plans would otherwise still be made for the table as it was (PostgreSQL takes a table of a
   * million new rows it never analyzed for a small one, and filters it row by row). Undefined where
   * the lookups need no help (SQLite and SQL Server go by the unique index; SQL Server also updates
   * stale statistics itself).
   */
  readonly refreshStatistics?: (table: string) => string;
  /**
   * `INSERT INTO target (columns) <source>` that also returns the `returned` columns (quoted) of
   * each inserted row, such as the ids the database generated: RETURNING after the source,
   * SQL Server's OUTPUT INSERTED before it.
   */
  insertReturning(target: string, columns: readonly string[], source: string, returned: readonly string[]): string;
  /**
   * `UPDATE target SET assignments FROM (VALUES rows) AS alias (columns) WHERE on`: rows of a table
   * rewritten from a list of values joined on their key. Undefined where the store writes such rows
   * another way (SQLite: one prepared UPDATE per row; SQL Server: a CASE per column).
   */
  readonly updateFromValues?: (target: string, assignments: string, rows: string, alias: string, columns: readonly string[], on: string) => string;
  /** The words that open a recursive common table expression (SQL Server's plain WITH recurses). */
  readonly withRecursive: string;
  /**
   * A boolean column's true as a literal: a partial index (`… WHERE dirty = <true>`) surely serves a
   * query that says the same literal, where a plan made for any value of a parameter (PostgreSQL's
   * generic plans of prepared statements) cannot use it.
   */
  readonly trueLiteral: string;
  /** A value prepared by TypeORM as the driver must bind it, for statements written by hand. */
  bindValue(driver: Driver, column: ColumnMetadata, prepared: unknown): unknown;
  /** The lock named `resource` (the migrations table) that migrations run under; `schema`: the store's. */
  migrationLock(resource: string, schema: string | undefined): MigrationLock;

  // DDL text: names and literals cannot be bound there (values always are, everywhere else)
  /** An identifier in the store's DDL, quoted as TypeORM's driver quotes it. */
  quoteIdentifier(name: string): string;
  /**
   * An identifier in a query sent to a database of the settings, whose session options are not ours
   * to know (SQL Server: brackets, whatever QUOTED_IDENTIFIER is).
   */
  quoteForeignIdentifier(name: string): string;
  /** A string literal, its quotes doubled. */
  stringLiteral(value: string): string;
  /** The longest identifier it keeps, or undefined when it has no limit. */
  readonly identifierLimit: IdentifierLimit | undefined;

  // Cancellable sessions
  /** Readies a session's connection for being cancelled (called once, when it is opened). */
  statementCancel(dataSource: DataSource, runner: QueryRunner): Promise<StatementCancel>;
}

/** insertReturning with the RETURNING clause of SQLite (3.35 and later) and PostgreSQL. */
export function insertReturningClause(target: string, columns: readonly string[], source: string, returned: readonly string[]): string {
  return `INSERT INTO ${target} (${columns.join(", ")}) ${source} RETURNING ${returned.join(", ")}`;
}

/** Quotes an identifier with double quotes, doubling those inside (SQL's standard quoting). */
export function doubleQuoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal in single quotes, doubling those inside. */
export function singleQuoted(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * How the SQL package sends one order's statements inside its batch's transaction. On SQLite,
 * straight to better-sqlite3, each text prepared once per connection: through TypeORM's query()
 * (logger, query events, several awaits per statement) these one-row statements cost about five
 * times what the database spends on them (npm run bench:fulfill). Elsewhere, the QueryRunner's
 * query: a server round trip outweighs what TypeORM adds.
 */
import type { QueryRunner } from "typeorm";
import type { Dialect } from "../../store/database-url.js";
import type { SqlStatement } from "./sql-statements.js";

/** What the session uses of a better-sqlite3 connection and its statements. */
interface SqliteStatement {
  readonly reader: boolean;
  all(parameters: unknown[]): unknown[];
  run(parameters: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

/** Each connection's prepared statements, by text (a Fulfiller sends a handful of texts, over and over). */
const PREPARED = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

export type RunStatement = (statement: SqlStatement) => Promise<Record<string, unknown>[]>;

/** Runs statements on the runner's connection: a reader's rows, nothing for a write. */
export async function statementRunner(runner: QueryRunner, dialect: Dialect): Promise<RunStatement> {
  if (dialect !== "sqlite") return async ({ sql, parameters }) => (await runner.query(sql, parameters)) as Record<string, unknown>[];
  const database = (await runner.connect()) as SqliteDatabase;
  const statements = PREPARED.get(database) ?? PREPARED.set(database, new Map()).get(database)!;
  return async ({ sql, parameters }) => {
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = database.prepare(sql)));
    if (statement.reader) return statement.all(parameters) as Record<string, unknown>[];
    statement.run(parameters);
    return [];
  };
}

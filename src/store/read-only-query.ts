/**
 * Runs a query written in the configuration (SavePreExistingAccessRightsTask's selections) so that
 * it can change nothing, and returns the first column of its rows. The text is run as written, alone,
 * never spliced into a statement of ours; what it returns is bound as parameters by the caller.
 *
 * - SQLite: better-sqlite3 prepares one statement only, and says whether it writes (`readonly`):
 *   one that writes is refused before it runs.
 * - PostgreSQL: a READ ONLY transaction, and the extended protocol, which takes one statement only
 *   (the simple one would run `COMMIT; DELETE …` as two).
 * - SQL Server: no read-only transaction exists; the query runs in a transaction that is always
 *   rolled back. A batch that commits by itself escapes it: there the configuration's SQL is trusted,
 *   as InvokeSqlCommandTask's is. No SQL Server runs here: this branch is not tested live.
 */
import type { DataSource } from "typeorm";
import { dialectOfDriver } from "./column-types.js";

interface SqliteStatement {
  readonly readonly: boolean;
  pluck(): { all(): unknown[] };
}

interface PgClient {
  query(config: { text: string; rowMode: "array"; queryMode: "extended" }): Promise<{ rows: unknown[][] }>;
}

export class WritingQueryError extends Error {}

export async function readOnlyFirstColumn(dataSource: DataSource, sql: string): Promise<unknown[]> {
  const dialect = dialectOfDriver(dataSource.options.type);
  if (dialect === "sqlite") {
    const connection = (dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): SqliteStatement } }).databaseConnection;
    const statement = connection.prepare(sql);
    if (!statement.readonly) throw new WritingQueryError("the query would write to the database");
    return statement.pluck().all();
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    if (dialect === "postgres") {
      await runner.query("SET TRANSACTION READ ONLY");
      const client = (await runner.connect()) as PgClient;
      return (await client.query({ text: sql, rowMode: "array", queryMode: "extended" })).rows.map((row) => row[0]);
    }
    return ((await runner.query(sql)) as Record<string, unknown>[]).map((row) => Object.values(row)[0]);
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

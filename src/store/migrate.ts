/**
 * Runs and lists migrations. Two processes may open a new database at once: on PostgreSQL and SQL
 * Server they queue on a database lock around the whole run; on SQLite the second waits for the
 * first's write lock (busy timeout), fails on "table exists", and finds nothing left to do.
 */
import { MigrationExecutor, type QueryRunner } from "typeorm";
import { migrationDisplayName, MIGRATIONS_TABLE } from "./migrations/index.js";
import type { Store } from "./store.js";

/** The statements that take and give back the migration lock, per dialect (none on SQLite). */
export function migrationLockSql(store: Store): { lock: string; unlock: string; parameters: string[] } | undefined {
  switch (store.dialect) {
    case "postgres": {
      // Advisory locks are per database; the schema in the key lets test schemas migrate side by side.
      const key = `${MIGRATIONS_TABLE}:${(store.dataSource.options as { schema?: string }).schema ?? "public"}`;
      return { lock: "SELECT pg_advisory_lock(hashtext($1))", unlock: "SELECT pg_advisory_unlock(hashtext($1))", parameters: [key] };
    }
    case "mssql":
      return {
        lock:
          `DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'${MIGRATIONS_TABLE}', @LockMode = N'Exclusive', ` +
          `@LockOwner = N'Session', @LockTimeout = 60000; IF @result < 0 RAISERROR(N'timed out waiting for the migration lock', 16, 1);`,
        unlock: `EXEC sp_releaseapplock @Resource = N'${MIGRATIONS_TABLE}', @LockOwner = N'Session';`,
        parameters: [],
      };
    case "sqlite":
      return undefined;
  }
}

async function withMigrationLock<T>(store: Store, run: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
  const queryRunner = store.dataSource.createQueryRunner();
  const sql = migrationLockSql(store);
  try {
    if (sql) await queryRunner.query(sql.lock, sql.parameters);
    try {
      return await run(queryRunner);
    } finally {
      if (sql) await queryRunner.query(sql.unlock, sql.parameters);
    }
  } finally {
    await queryRunner.release();
  }
}

/** Runs the pending migrations; returns their names. */
export async function migrate(store: Store): Promise<string[]> {
  return withMigrationLock(store, async (queryRunner) => {
    const executor = new MigrationExecutor(store.dataSource, queryRunner);
    executor.transaction = "each";
    try {
      return (await executor.executePendingMigrations()).map((m) => migrationDisplayName(m.name));
    } catch (error) {
      if ((await executor.getPendingMigrations().catch(() => [undefined])).length === 0) return [];
      throw error;
    }
  });
}

export async function migrationStatus(store: Store): Promise<{ name: string; ran: boolean }[]> {
  const executor = new MigrationExecutor(store.dataSource);
  const executed = new Set((await executor.getExecutedMigrations()).map((m) => m.name));
  return store.dataSource.migrations.map((m) => {
    const name = m.name ?? m.constructor.name;
    return { name: migrationDisplayName(name), ran: executed.has(name) };
  });
}

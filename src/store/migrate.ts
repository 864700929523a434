/**
 * Runs and lists migrations. Two processes may open a new database at once, so the whole run holds a
 * lock: an advisory lock on PostgreSQL and SQL Server (each migration in its own transaction), and on
 * SQLite, which has no such lock, one write transaction (BEGIN IMMEDIATE) around every migration:
 * the second process waits for it (busy timeout), then finds nothing left to do.
 */
import { MigrationExecutor, type QueryRunner } from "typeorm";
import { migrationDisplayName, MIGRATIONS_TABLE } from "./migrations/index.js";
import type { Store } from "./store.js";

interface MigrationLock {
  lock: string;
  unlock: string;
  /** run instead of unlock when a migration failed */
  abort?: string;
  parameters: string[];
  /** whether the lock is itself the transaction that the migrations run in */
  isTransaction: boolean;
}

/** The statements that take and give back the migration lock, per dialect. */
export function migrationLockSql(store: Store): MigrationLock {
  switch (store.dialect) {
    case "postgres": {
      // Advisory locks are per database; the schema in the key lets test schemas migrate side by side.
      const key = `${MIGRATIONS_TABLE}:${(store.dataSource.options as { schema?: string }).schema ?? "public"}`;
      return { lock: "SELECT pg_advisory_lock(hashtext($1))", unlock: "SELECT pg_advisory_unlock(hashtext($1))", parameters: [key], isTransaction: false };
    }
    case "mssql":
      return {
        lock:
          `DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'${MIGRATIONS_TABLE}', @LockMode = N'Exclusive', ` +
          `@LockOwner = N'Session', @LockTimeout = 60000; IF @result < 0 RAISERROR(N'timed out waiting for the migration lock', 16, 1);`,
        unlock: `EXEC sp_releaseapplock @Resource = N'${MIGRATIONS_TABLE}', @LockOwner = N'Session';`,
        parameters: [],
        isTransaction: false,
      };
    case "sqlite":
      return { lock: "BEGIN IMMEDIATE", unlock: "COMMIT", abort: "ROLLBACK", parameters: [], isTransaction: true };
  }
}

async function withMigrationLock<T>(store: Store, run: (queryRunner: QueryRunner, lock: MigrationLock) => Promise<T>): Promise<T> {
  const queryRunner = store.dataSource.createQueryRunner();
  const sql = migrationLockSql(store);
  try {
    await queryRunner.query(sql.lock, sql.parameters);
    let result: T;
    try {
      result = await run(queryRunner, sql);
    } catch (error) {
      await queryRunner.query(sql.abort ?? sql.unlock, sql.parameters);
      throw error;
    }
    await queryRunner.query(sql.unlock, sql.parameters);
    return result;
  } finally {
    await queryRunner.release();
  }
}

/** Runs the pending migrations; returns their names. */
export async function migrate(store: Store): Promise<string[]> {
  return withMigrationLock(store, async (queryRunner, lock) => {
    const executor = new MigrationExecutor(store.dataSource, queryRunner);
    executor.transaction = lock.isTransaction ? "none" : "each";
    return (await executor.executePendingMigrations()).map((m) => migrationDisplayName(m.name));
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

/**
 * Runs and lists migrations. Two processes may open a new database at once, so the whole run holds a
 * lock: an advisory lock on PostgreSQL and SQL Server (each migration in its own transaction), and on
 * SQLite, which has no such lock, one write transaction (BEGIN IMMEDIATE) around every migration:
 * the second process waits for it (busy timeout), then finds nothing left to do.
 */
import { MigrationExecutor, type QueryRunner } from "typeorm";
import { migrationDisplayName, MIGRATIONS_TABLE } from "./migrations/index.js";
import type { Store } from "./store.js";
import { DIALECTS } from "./dialects/index.js";
import type { MigrationLock } from "./dialects/profile.js";

/** The statements that take and give back the migration lock, per dialect. */
export function migrationLockSql(store: Store): MigrationLock {
  return DIALECTS[store.dialect].migrationLock(MIGRATIONS_TABLE, (store.dataSource.options as { schema?: string }).schema);
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

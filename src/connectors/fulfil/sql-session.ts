/**
 * How the SQL package sends a batch's statements, in one transaction. The package writes what an
 * order does once, as a generator of statements (`Steps`): it yields each statement and receives its
 * rows, or at its yield the error the statement threw. A session drives them:
 * - SQLite: synchronously, straight to better-sqlite3, each text prepared once per connection, the
 *   batch's BEGIN … COMMIT included. Through TypeORM's query() (logger, query events, several awaits
 *   per statement) these one-row statements cost about five times what the database spends on them,
 *   and an await per statement still cost more than SQLite did (npm run bench:fulfill).
 * - Elsewhere, through the QueryRunner, one await per statement: a server round trip outweighs it.
 */
import type { QueryRunner } from "typeorm";
import type { Dialect } from "../../store/database-url.js";
import { preparedStatements, type SqliteConnection } from "../../store/dialects/sqlite.js";
import type { SqlStatement } from "./sql-statements.js";

export type Rows = Record<string, unknown>[];

/** Statements to send, each yielded in turn; a reader's rows are sent back, nothing (`[]`) for a write. */
export type Steps<T> = Generator<SqlStatement, T, Rows>;

export interface SqlSession {
  /**
   * Drives each item's steps in turn inside one transaction, until the signal aborts: committed when
   * they all return (their results, in order), rolled back when one throws. One driver loop per item
   * rather than a batch generator delegating to each: a level of generators fewer per statement.
   */
  transaction<T, R>(items: readonly T[], stepsOf: (item: T) => Steps<R>, signal: AbortSignal): Promise<R[]>;
}

/** A session on the runner's connection (on SQLite, its better-sqlite3 database). */
export async function openSession(runner: QueryRunner, dialect: Dialect): Promise<SqlSession> {
  if (dialect !== "sqlite") return runnerSession(runner);
  return sqliteSession((await runner.connect()) as SqliteConnection);
}

function sqliteSession(database: SqliteConnection): SqlSession {
  const prepare = preparedStatements(database);
  const run = ({ sql, parameters }: SqlStatement): Rows => {
    const statement = prepare(sql);
    if (statement.reader) return statement.all(parameters) as Rows;
    statement.run(parameters);
    return NO_ROWS;
  };
  return {
    // async only for the interface: nothing inside awaits, so the batch runs in one go.
    async transaction(items, stepsOf, signal) {
      // Read once: no other code runs until this synchronous batch ends, so the signal cannot abort
      // between two items (its getter cost ~0.5 µs per order before being optimised).
      if (signal.aborted) return [];
      prepare("BEGIN TRANSACTION").run();
      try {
        const results = [];
        for (let i = 0; i < items.length; i++) results.push(driveSync(stepsOf(items[i]!), run));
        prepare("COMMIT").run();
        return results;
      } catch (error) {
        // The batch's error is the one to report, not a failed rollback's.
        if (database.inTransaction) {
          try {
            prepare("ROLLBACK").run();
          } catch {
            // Left open, the transaction makes the next batch's BEGIN fail, saying so.
          }
        }
        throw error;
      }
    },
  };
}

function runnerSession(runner: QueryRunner): SqlSession {
  return {
    async transaction(items, stepsOf, signal) {
      const run = async ({ sql, parameters }: SqlStatement) => (await runner.query(sql, parameters)) as Rows;
      await runner.startTransaction();
      try {
        const results = [];
        for (const item of items) {
          if (signal.aborted) break;
          results.push(await driveAsync(stepsOf(item), run));
        }
        await runner.commitTransaction();
        return results;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    },
  };
}

/** A write's rows: one frozen array, as nothing reads them. */
const NO_ROWS = Object.freeze([]) as unknown as Rows;

function driveSync<T>(steps: Steps<T>, run: (statement: SqlStatement) => Rows): T {
  let step = steps.next();
  while (step.done !== true) {
    let rows: Rows;
    try {
      rows = run(step.value);
    } catch (error) {
      step = steps.throw(error);
      continue;
    }
    step = steps.next(rows);
  }
  return step.value;
}

async function driveAsync<T>(steps: Steps<T>, run: (statement: SqlStatement) => Promise<Rows>): Promise<T> {
  let step = steps.next();
  while (step.done !== true) {
    let rows: Rows;
    try {
      rows = await run(step.value);
    } catch (error) {
      step = steps.throw(error);
      continue;
    }
    step = steps.next(rows);
  }
  return step.value;
}

/**
 * One connection of the store for the whole maintenance, out of any transaction (PostgreSQL's
 * REINDEX CONCURRENTLY refuses to run inside a transaction block), with the task's abort signal:
 * no statement starts once it fired, and the running one is cancelled where the driver allows:
 * PostgreSQL with pg_cancel_backend from another connection; SQL Server by cancelling the request
 * (its statements run as requests of their own, without the driver's 15-second request timeout,
 * since a rebuild takes as long as it takes). SQLite (better-sqlite3 is synchronous) finishes the
 * running statement.
 */
import type { EntityManager, QueryRunner } from "typeorm";
import type { Dialect } from "../../store/database-url.js";
import type { Store } from "../../store/store.js";
import type { Quote } from "./plan.js";

export interface Session {
  dialect: Dialect;
  quote: Quote;
  /** For QueryBuilders: they run on this session's connection. */
  manager: EntityManager;
  query<Row = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<Row[]>;
  /** Runs work on the connection under the signal (for QueryBuilders). */
  guard<T>(work: () => Promise<T>): Promise<T>;
  throwIfAborted(): void;
  release(): Promise<void>;
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("MaintainIndexesTask was cancelled");
}

export async function openSession(store: Store, signal: AbortSignal): Promise<Session> {
  const { dataSource, dialect } = store;
  const runner: QueryRunner = dataSource.createQueryRunner();
  await runner.connect();
  let backendPid: number | undefined;
  try {
    if (dialect === "postgres") {
      const [row] = (await runner.query("SELECT pg_backend_pid() AS pid")) as { pid: number }[];
      backendPid = row?.pid;
    }
  } catch (error) {
    await runner.release();
    throw error;
  }

  let running = 0;
  let cancelling: Promise<unknown> | undefined;
  const onAbort = () => {
    // Only a statement that is running is cancelled: a cancel that arrived late would hit whatever the
    // pooled connection runs next, so release() waits for it before giving the connection back.
    if (running > 0 && backendPid !== undefined) {
      cancelling = dataSource.query("SELECT pg_cancel_backend($1)", [backendPid]).catch(() => undefined);
    }
  };
  signal.addEventListener("abort", onAbort, { once: true });

  const throwIfAborted = () => {
    if (signal.aborted) throw abortReason(signal);
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    throwIfAborted();
    running++;
    try {
      return await work();
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      throw error;
    } finally {
      running--;
    }
  };
  const driver = dataSource.driver;
  const unbounded = dialect === "mssql" ? mssqlUnbounded(dataSource.driver as unknown as MssqlDriver, signal) : undefined;
  return {
    dialect,
    quote: (identifier) => driver.escape(identifier),
    manager: runner.manager,
    query: <Row>(sql: string, parameters: unknown[] = []) =>
      guard(async () => (unbounded !== undefined && parameters.length === 0 ? await unbounded(sql) : await runner.query(sql, parameters)) as Row[]),
    guard,
    throwIfAborted,
    async release() {
      signal.removeEventListener("abort", onAbort);
      await cancelling;
      await runner.release();
    },
  };
}

/** The parts of TypeORM's SQL Server driver and of the mssql package used here. */
export interface MssqlDriver {
  obtainMasterConnection(): Promise<unknown>;
  mssql: { Request: new (parent: unknown, overrides?: { requestTimeout?: number }) => MssqlRequest };
}

export interface MssqlRequest {
  query(sql: string): Promise<{ recordset?: unknown[] }>;
  cancel(): void;
}

/** A statement as a request of its own: no timeout (0), cancelled with the signal. */
export function mssqlUnbounded(driver: MssqlDriver, signal: AbortSignal): (sql: string) => Promise<unknown[]> {
  return async (sql) => {
    const pool = await driver.obtainMasterConnection();
    const request = new driver.mssql.Request(pool, { requestTimeout: 0 });
    const cancel = () => request.cancel();
    signal.addEventListener("abort", cancel, { once: true });
    try {
      return (await request.query(sql)).recordset ?? [];
    } finally {
      signal.removeEventListener("abort", cancel);
    }
  };
}

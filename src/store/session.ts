/**
 * One connection of the store for a piece of work, under its abort signal: no statement starts once
 * the signal fired, and the running one is stopped where the database allows it (DialectProfile's
 * statementCancel: PostgreSQL cancels it from another connection, SQL Server runs each statement as
 * a request of its own that it cancels; SQLite, synchronous, finishes it). Out of any transaction
 * unless the work starts one on `runner`.
 */
import type { EntityManager, QueryRunner } from "typeorm";
import { DIALECTS } from "./dialects/index.js";
import type { StatementCancel } from "./dialects/profile.js";
import type { Store } from "./store.js";

export interface CancellableSession {
  runner: QueryRunner;
  /** For QueryBuilders: they run on this session's connection. */
  manager: EntityManager;
  query<Row = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<Row[]>;
  /** Runs work on the connection under the signal (for QueryBuilders). */
  guard<T>(work: () => Promise<T>): Promise<T>;
  throwIfAborted(): void;
  release(): Promise<void>;
}

export interface SessionOptions {
  signal: AbortSignal;
  /** The error thrown once the signal fired. */
  cancelled(): Error;
  /**
   * Whether the running statement is stopped on abort; when false it runs to its end and the next
   * one does not start (statements inside a transaction must run on its connection).
   */
  stopRunning: boolean;
}

export async function openCancellableSession(store: Store, options: SessionOptions): Promise<CancellableSession> {
  const { dataSource } = store;
  const { signal, cancelled } = options;
  const runner: QueryRunner = dataSource.createQueryRunner();
  await runner.connect();
  let cancel: StatementCancel = {};
  try {
    if (options.stopRunning) cancel = await DIALECTS[store.dialect].statementCancel(dataSource, runner);
  } catch (error) {
    await runner.release();
    throw error;
  }

  let running = 0;
  let cancelling: Promise<unknown> | undefined;
  const onAbort = () => {
    // Only a statement that is running is cancelled: a cancel that arrived late would hit whatever the
    // pooled connection runs next, so release() waits for it before giving the connection back.
    if (running > 0 && cancel.cancelRunning !== undefined) cancelling = cancel.cancelRunning().catch(() => undefined);
  };
  signal.addEventListener("abort", onAbort, { once: true });

  const throwIfAborted = () => {
    if (signal.aborted) throw cancelled();
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    throwIfAborted();
    running++;
    try {
      return await work();
    } catch (error) {
      if (signal.aborted) throw cancelled();
      throw error;
    } finally {
      running--;
    }
  };
  const { runUnbounded } = cancel;
  return {
    runner,
    manager: runner.manager,
    query: <Row>(sql: string, parameters: unknown[] = []) =>
      guard(async () => (runUnbounded !== undefined && parameters.length === 0 ? await runUnbounded(sql, signal) : await runner.query(sql, parameters)) as Row[]),
    guard,
    throwIfAborted,
    async release() {
      signal.removeEventListener("abort", onAbort);
      await cancelling;
      await runner.release();
    },
  };
}

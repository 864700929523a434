/**
 * One connection for a task's catalog reads and DDL, optionally inside one transaction (SQLite,
 * PostgreSQL and SQL Server all run CREATE/DROP VIEW transactionally: a failure or a cancel leaves
 * the views as they were). The task's signal is checked before each statement (store/session.ts; a
 * running statement finishes: it runs on the transaction's connection); every DDL statement is
 * logged (what it does; the SQL itself at Debug).
 */
import type { Store } from "../../store/store.js";
import type { Statement } from "../../store/statements.js";
import { openCancellableSession } from "../../store/session.js";
import { cancellationError } from "../cancellation.js";
import type { WorkContext } from "../work-context.js";

export interface DdlSession {
  read<Row>(statement: Statement): Promise<Row[]>;
  /** Runs one DDL statement: `what` it does is logged, the statement itself at Debug. */
  execute(sql: string, what: string): Promise<void>;
}

export async function withDdlSession<T>(
  store: Store, context: Pick<WorkContext, "log" | "signal">, options: { task: string; transaction: boolean }, work: (session: DdlSession) => Promise<T>,
): Promise<T> {
  const { signal } = context;
  const cancelled = () => cancellationError(signal, `${options.task} was cancelled`);
  if (signal.aborted) throw cancelled();
  const connection = await openCancellableSession(store, { signal, cancelled, stopRunning: false });
  const { runner } = connection;
  const session: DdlSession = {
    read: <Row>(statement: Statement) => connection.query<Row>(statement.sql, statement.parameters),
    async execute(sql, what) {
      connection.throwIfAborted();
      context.log("Information", what);
      context.log("Debug", sql);
      await connection.query(sql);
    },
  };
  try {
    if (!options.transaction) return await work(session);
    await runner.startTransaction();
    try {
      const result = await work(session);
      connection.throwIfAborted();
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await connection.release();
  }
}

/**
 * One connection for a task's catalog reads and DDL, optionally inside one transaction (SQLite,
 * PostgreSQL and SQL Server all run CREATE/DROP VIEW transactionally: a failure or a cancel leaves
 * the views as they were). The task's signal is checked before each statement (store/session.ts; a
 * running statement finishes: it runs on the transaction's connection). The SQL of each statement
 * is logged at Debug; what it did, when the caller says, at Information once it succeeded: a job's
 * output reads as a progress report, one line per object, not as a listing of DDL.
 */
import type { Store } from "../../store/store.js";
import type { Statement } from "../../store/statements.js";
import { openCancellableSession } from "../../store/session.js";
import { cancellationError } from "../cancellation.js";
import type { WorkContext } from "../work-context.js";

export interface DdlSession {
  read<Row>(statement: Statement): Promise<Row[]>;
  /** Runs one DDL statement, logged at Debug; `done`, when given, is logged at Information after it. */
  execute(sql: string, done?: string): Promise<void>;
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
    async execute(sql, done) {
      connection.throwIfAborted();
      context.log("Debug", sql);
      await connection.query(sql);
      if (done !== undefined) context.log("Information", done);
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

/**
 * One connection for a task's catalog reads and DDL, optionally inside one transaction (SQLite,
 * PostgreSQL and SQL Server all run CREATE/DROP VIEW transactionally: a failure or a cancel leaves
 * the views as they were). The task's signal is checked before each statement; every DDL
 * statement is logged (what it does; the SQL itself at Debug).
 */
import type { QueryRunner } from "typeorm";
import type { Store } from "../../store/store.js";
import type { Statement } from "../../store/statements.js";
import type { WorkContext } from "../work-context.js";

export interface DdlSession {
  read<Row>(statement: Statement): Promise<Row[]>;
  /** Runs one DDL statement: `what` it does is logged, the statement itself at Debug. */
  execute(sql: string, what: string): Promise<void>;
}

function abortReason(signal: AbortSignal, task: string): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(`${task} was cancelled`);
}

export async function withDdlSession<T>(
  store: Store, context: Pick<WorkContext, "log" | "signal">, options: { task: string; transaction: boolean }, work: (session: DdlSession) => Promise<T>,
): Promise<T> {
  const { signal } = context;
  const throwIfAborted = () => {
    if (signal.aborted) throw abortReason(signal, options.task);
  };
  throwIfAborted();
  const runner: QueryRunner = store.dataSource.createQueryRunner();
  await runner.connect();
  const session: DdlSession = {
    async read<Row>(statement: Statement) {
      throwIfAborted();
      return (await runner.query(statement.sql, statement.parameters)) as Row[];
    },
    async execute(sql, what) {
      throwIfAborted();
      context.log("Information", what);
      context.log("Debug", sql);
      await runner.query(sql);
    },
  };
  try {
    if (!options.transaction) return await work(session);
    await runner.startTransaction();
    try {
      const result = await work(session);
      throwIfAborted();
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await runner.release();
  }
}

/**
 * One connection of the store for the whole maintenance, out of any transaction (PostgreSQL's
 * REINDEX CONCURRENTLY refuses to run inside a transaction block), with the task's abort signal:
 * no statement starts once it fired, and the running one is cancelled where the driver allows
 * (store/session.ts): PostgreSQL with pg_cancel_backend from another connection; SQL Server by
 * cancelling the request (its statements run as requests of their own, without the driver's
 * 15-second request timeout, since a rebuild takes as long as it takes). SQLite (better-sqlite3 is
 * synchronous) finishes the running statement.
 */
import { DIALECTS, type Dialect } from "../../store/dialects/index.js";
import { openCancellableSession, type CancellableSession } from "../../store/session.js";
import type { Store } from "../../store/store.js";
import { cancellationError } from "../cancellation.js";
import type { Quote } from "./plan.js";

export type { MssqlDriver, MssqlRequest } from "../../store/dialects/mssql.js";
export { mssqlUnbounded } from "../../store/dialects/mssql.js";

export interface Session extends Omit<CancellableSession, "runner"> {
  dialect: Dialect;
  quote: Quote;
}

export function abortReason(signal: AbortSignal): Error {
  return cancellationError(signal, "MaintainIndexesTask was cancelled");
}

export async function openSession(store: Store, signal: AbortSignal): Promise<Session> {
  const session = await openCancellableSession(store, { signal, cancelled: () => abortReason(signal), stopRunning: true });
  return { ...session, dialect: store.dialect, quote: DIALECTS[store.dialect].quoteIdentifier };
}

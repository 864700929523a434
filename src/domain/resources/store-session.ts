/**
 * What the resource store's table groups share: the manager they write through (a DataSource's or
 * a transaction's), its dialect's parameter limit, and reading by pages.
 */
import type { EntityManager } from "typeorm";
import { dialectOfDriver } from "../../store/column-types.js";
import type { Dialect } from "../../store/database-url.js";
import { batchSize } from "../../store/statements.js";

export const DEFAULT_PAGE_SIZE = 1000;

export class StoreSession {
  readonly dialect: Dialect;

  constructor(readonly m: EntityManager) {
    this.dialect = dialectOfDriver(m.connection.options.type);
  }

  /** Runs `work` in a transaction: this one when there is one, a new one otherwise. */
  async transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    if (this.m.queryRunner?.isTransactionActive) return work(this);
    return this.m.transaction((tm) => work(new StoreSession(tm)));
  }

  /** Ids (or keys) bound per statement. */
  idBatch(): number {
    return batchSize(this.dialect, 1);
  }

  /** Rows per multi-row INSERT of `columns` columns. */
  rowBatch(columns: number): number {
    return batchSize(this.dialect, columns);
  }
}

/** Pages read by keyset: each page starts after the last position of the one before, until a short page. */
export async function* keysetPages<Row, Position>(
  page: (after: Position | undefined) => Promise<Row[]>, positionOf: (row: Row) => Position, pageSize: number,
): AsyncGenerator<Row[]> {
  let after: Position | undefined;
  for (;;) {
    const rows = await page(after);
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = positionOf(rows[rows.length - 1]!);
  }
}

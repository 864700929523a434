/**
 * A table's planner statistics refreshed after a bulk write, where the database needs it
 * (DialectProfile.refreshStatistics: PostgreSQL, whose autovacuum may be off or late). Without it
 * PostgreSQL plans for the table as it was: bench:rolemodel's correlation join, planned for an empty
 * idm_correlation_keys, scanned every target key of the resource type for each owner key
 * (100,000 owners: minutes per batch). Outside any transaction.
 */
import { DIALECTS } from "./dialects/index.js";
import type { Store } from "./store.js";

/** Rows written by one run from which the statistics are refreshed. */
export const STATISTICS_AFTER = 10_000;

export async function refreshStatistics(store: Store, entity: string, rowsWritten: number): Promise<void> {
  const refresh = DIALECTS[store.dialect].refreshStatistics;
  if (refresh === undefined || rowsWritten < STATISTICS_AFTER) return;
  const m = store.dataSource.manager;
  await m.query(refresh(m.connection.driver.escape(m.connection.getMetadata(entity).tableName)));
}

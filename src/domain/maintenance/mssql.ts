/**
 * SQL Server: fragmentation from sys.dm_db_index_physical_stats (LIMITED: the leaf level only, the
 * cheapest scan), statistics staleness from sys.dm_db_stats_properties, over every user table of the
 * database. Rebuilds are ONLINE unless Offline; on an edition without online index operations
 * (anything but Enterprise, Developer, Azure SQL Database and Managed Instance) an index due for a
 * rebuild is reorganised instead, which is always online, rather than locked offline unasked.
 * The statements are planned by pure functions from rows: the offline snapshot test feeds them a fixture.
 */
import type { Statement } from "../../store/statements.js";
import type { MaintenanceOptions } from "./options.js";
import { indexDecision, indexReason, statisticsDue, statisticsReason, type Action, type Plan, type Quote } from "./plan.js";
import type { MaintenanceRun } from "./run.js";

export interface MssqlIndexRow {
  schemaName: string;
  tableName: string;
  indexName: string;
  pageCount: number;
  /** avg_fragmentation_in_percent, weighted by pages over the index's partitions. */
  fragmentation: number;
}

export interface MssqlStatisticsRow {
  schemaName: string;
  tableName: string;
  statisticsName: string;
  rowCount: number;
  modificationCounter: number;
}

/**
 * Rowstore B-tree indexes (clustered and nonclustered; not heaps, columnstore, XML or spatial ones) of
 * user tables, enabled, not memory-optimised. One row per index (partitions summed).
 */
export const MSSQL_INDEX_STATS: Statement = {
  sql: [
    "SELECT s.name AS schema_name, t.name AS table_name, i.name AS index_name,",
    "  SUM(ps.page_count) AS page_count,",
    "  CASE WHEN SUM(ps.page_count) = 0 THEN 0",
    "    ELSE SUM(ps.avg_fragmentation_in_percent * ps.page_count) / SUM(ps.page_count) END AS fragmentation",
    "FROM sys.dm_db_index_physical_stats(DB_ID(), NULL, NULL, NULL, 'LIMITED') AS ps",
    "JOIN sys.indexes AS i ON i.object_id = ps.object_id AND i.index_id = ps.index_id",
    "JOIN sys.tables AS t ON t.object_id = i.object_id",
    "JOIN sys.schemas AS s ON s.schema_id = t.schema_id",
    "WHERE ps.alloc_unit_type_desc = 'IN_ROW_DATA' AND i.type IN (1, 2) AND i.is_disabled = 0 AND i.is_hypothetical = 0",
    "  AND t.is_ms_shipped = 0 AND t.is_memory_optimized = 0",
    "GROUP BY s.name, t.name, i.name",
    "ORDER BY s.name, t.name, i.name",
  ].join("\n"),
  parameters: [],
};

/** The statistics of user tables that changed since they were computed. */
export const MSSQL_STATISTICS: Statement = {
  sql: [
    "SELECT s.name AS schema_name, t.name AS table_name, st.name AS statistics_name,",
    "  sp.rows AS row_count, sp.modification_counter AS modification_counter",
    "FROM sys.stats AS st",
    "JOIN sys.tables AS t ON t.object_id = st.object_id",
    "JOIN sys.schemas AS s ON s.schema_id = t.schema_id",
    "CROSS APPLY sys.dm_db_stats_properties(st.object_id, st.stats_id) AS sp",
    "WHERE t.is_ms_shipped = 0 AND sp.modification_counter > 0",
    "ORDER BY s.name, t.name, st.name",
  ].join("\n"),
  parameters: [],
};

/** 3 Enterprise (and Developer, Evaluation), 5 Azure SQL Database, 8 Managed Instance: online index operations. */
export const MSSQL_EDITION: Statement = { sql: "SELECT CAST(SERVERPROPERTY('EngineEdition') AS int) AS engine_edition", parameters: [] };

const ONLINE_EDITIONS = new Set([3, 5, 8]);

export function onlineIndexOperations(engineEdition: number): boolean {
  return ONLINE_EDITIONS.has(engineEdition);
}

export function planMssqlIndexes(rows: MssqlIndexRow[], options: MaintenanceOptions, online: boolean, quote: Quote): Plan {
  const plan: Plan = { actions: [], notes: [] };
  for (const row of rows) {
    const measure = { pages: row.pageCount, fragmentation: row.fragmentation };
    const decision = indexDecision(measure, options);
    if (decision === undefined) continue;
    const target = `${quote(row.indexName)} ON ${quote(row.schemaName)}.${quote(row.tableName)}`;
    if (decision === "rebuild" && (options.offline || online)) {
      plan.actions.push({
        kind: "rebuild",
        sql: `ALTER INDEX ${target} REBUILD${options.offline ? "" : " WITH (ONLINE = ON)"}`,
        reason: indexReason(measure, "fragmentation", options),
      });
    } else {
      const extra = decision === "rebuild" ? ["reorganised: this edition has no online rebuild and Offline is not set"] : [];
      plan.actions.push({ kind: "reorganize", sql: `ALTER INDEX ${target} REORGANIZE`, reason: indexReason(measure, "fragmentation", options, extra) });
    }
  }
  return plan;
}

/** One UPDATE STATISTICS per table, when its most modified statistics object passes the threshold. */
export function planMssqlStatistics(rows: MssqlStatisticsRow[], options: MaintenanceOptions, quote: Quote): Action[] {
  const worst = new Map<string, MssqlStatisticsRow>();
  for (const row of rows) {
    const key = JSON.stringify([row.schemaName, row.tableName]);
    const known = worst.get(key);
    const ratio = (r: MssqlStatisticsRow) => r.modificationCounter / Math.max(r.rowCount, 1);
    if (known === undefined || ratio(row) > ratio(known)) worst.set(key, row);
  }
  return [...worst.values()]
    .filter((row) => statisticsDue(row.modificationCounter, row.rowCount, options))
    .map((row) => ({
      kind: "statistics",
      sql: `UPDATE STATISTICS ${quote(row.schemaName)}.${quote(row.tableName)}`,
      reason: statisticsReason(row.modificationCounter, row.rowCount, `statistics ${row.statisticsName} were computed`),
    }));
}

interface RawIndexRow { schema_name: string; table_name: string; index_name: string; page_count: number | string; fragmentation: number | string | null }
interface RawStatisticsRow { schema_name: string; table_name: string; statistics_name: string; row_count: number | string | null; modification_counter: number | string }

/** Indexes first (a rebuild refreshes its index's statistics), then the statistics still stale. */
export async function maintainMssql(run: MaintenanceRun): Promise<void> {
  const { session, options } = run;
  const [edition] = await session.query<{ engine_edition: number }>(MSSQL_EDITION.sql);
  const online = onlineIndexOperations(Number(edition?.engine_edition));
  const indexes = (await session.query<RawIndexRow>(MSSQL_INDEX_STATS.sql)).map((r): MssqlIndexRow => ({
    schemaName: r.schema_name, tableName: r.table_name, indexName: r.index_name,
    pageCount: Number(r.page_count), fragmentation: Number(r.fragmentation ?? 0),
  }));
  run.count("indexesExamined", indexes.length);
  if (!online && !options.offline) run.log("Information", `SQL Server edition ${String(edition?.engine_edition)} has no online index rebuild: indexes due for a rebuild are reorganised (set Offline to rebuild them)`);
  const plan = planMssqlIndexes(indexes, options, online, session.quote);
  run.note(plan.notes);
  await run.performAll(plan.actions);

  const statistics = (await session.query<RawStatisticsRow>(MSSQL_STATISTICS.sql)).map((r): MssqlStatisticsRow => ({
    schemaName: r.schema_name, tableName: r.table_name, statisticsName: r.statistics_name,
    rowCount: Number(r.row_count ?? 0), modificationCounter: Number(r.modification_counter),
  }));
  await run.performAll(planMssqlStatistics(statistics, options, session.quote));
}

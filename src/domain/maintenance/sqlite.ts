/**
 * SQLite: the space an index wastes, from the dbstat virtual table (its pages against the pages its
 * content would fill); REINDEX of the indexes from RebuildThreshold % (SQLite has no reorganise, and
 * no online or offline variant: Offline changes nothing); ANALYZE of the tables whose row count moved
 * by UpdateStatsThreshold % since sqlite_stat1 recorded it (SQLite keeps no modification counter:
 * an update that keeps the count is not seen), or that were never analysed; then PRAGMA optimize
 * (SQLite's own upkeep of the planner's statistics) and PRAGMA integrity_check, whose findings end the
 * task Error. Statements run synchronously in better-sqlite3: a cancel is seen between them.
 */
import type { MaintenanceOptions } from "./options.js";
import { indexDecision, indexReason, percent, statisticsDue, type Action, type Plan, type Quote } from "./plan.js";
import type { MaintenanceRun } from "./run.js";

export interface SqliteIndexRow {
  indexName: string;
  tableName: string;
  pages: number;
  bytes: number;
  unused: number;
}

export interface SqliteTableRow {
  tableName: string;
  rows: number;
  /** Rows when last analysed (sqlite_stat1); undefined when never. */
  analysedRows: number | undefined;
}

export const SQLITE_INDEXES = [
  "SELECT s.name AS index_name, s.tbl_name AS table_name, COUNT(*) AS pages, SUM(d.pgsize) AS bytes, SUM(d.unused) AS unused",
  "FROM sqlite_schema s JOIN dbstat d ON d.name = s.name",
  "WHERE s.type = 'index'",
  "GROUP BY s.name, s.tbl_name",
  "ORDER BY s.tbl_name, s.name",
].join("\n");

const SQLITE_INDEX_NAMES = "SELECT name AS index_name, tbl_name AS table_name FROM sqlite_schema WHERE type = 'index' ORDER BY tbl_name, name";
const SQLITE_TABLES = "SELECT name AS table_name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
const SQLITE_STAT1_EXISTS = "SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'";
const SQLITE_STAT1_ROWS = "SELECT tbl AS table_name, MAX(CAST(stat AS INTEGER)) AS analysed_rows FROM sqlite_stat1 GROUP BY tbl";
/** At most this many findings of integrity_check are read and logged. */
const INTEGRITY_LINES = 100;
const MESSAGE_LINES = 5;

/** % of the index's pages that a rebuild would free: its content packed into full pages against its pages. */
export function sqliteBloat(row: SqliteIndexRow): number {
  if (row.pages <= 1) return 0;
  const pageSize = row.bytes / row.pages;
  const ideal = Math.max(1, Math.ceil((row.bytes - row.unused) / pageSize));
  return row.pages > ideal ? ((row.pages - ideal) / row.pages) * 100 : 0;
}

export function planSqliteIndexes(indexes: SqliteIndexRow[], measured: boolean, options: MaintenanceOptions, quote: Quote): Plan {
  const plan: Plan = { actions: [], notes: [] };
  for (const index of indexes) {
    const measure = { pages: index.pages, fragmentation: measured ? sqliteBloat(index) : undefined };
    const decision = indexDecision(measure, options);
    if (decision === "reorganize") {
      plan.notes.push({ level: "Debug", message: `${quote(index.indexName)}: bloat ${percent(measure.fragmentation ?? 0)} is under RebuildThreshold (SQLite has no reorganise)` });
    } else if (decision === "rebuild") {
      plan.actions.push({ kind: "rebuild", sql: `REINDEX ${quote(index.indexName)}`, reason: indexReason(measure, "bloat", options) });
    }
  }
  return plan;
}

export function planSqliteStatistics(tables: SqliteTableRow[], options: MaintenanceOptions, quote: Quote): Action[] {
  const actions: Action[] = [];
  for (const table of tables) {
    const sql = `ANALYZE ${quote(table.tableName)}`;
    if (table.analysedRows === undefined) {
      if (table.rows > 0) actions.push({ kind: "statistics", sql, reason: `${table.rows} rows, never analysed` });
      continue;
    }
    const moved = Math.abs(table.rows - table.analysedRows);
    if (statisticsDue(moved, table.analysedRows, options)) {
      const share = table.analysedRows > 0 ? ` (${percent((moved * 100) / table.analysedRows)})` : "";
      actions.push({ kind: "statistics", sql, reason: `${table.analysedRows} rows when last analysed, ${table.rows} now${share}` });
    }
  }
  return actions;
}

export async function maintainSqlite(run: MaintenanceRun): Promise<void> {
  const { session, options } = run;
  const quote = session.quote;

  let measured = true;
  let indexes: SqliteIndexRow[];
  try {
    indexes = (await session.query<{ index_name: string; table_name: string; pages: number; bytes: number; unused: number }>(SQLITE_INDEXES))
      .map((r) => ({ indexName: r.index_name, tableName: r.table_name, pages: Number(r.pages), bytes: Number(r.bytes), unused: Number(r.unused) }));
  } catch (error) {
    if (run.context.signal.aborted) throw error;
    measured = false;
    run.log("Warning", `cannot measure indexes (${error instanceof Error ? error.message : String(error)}; SQLite needs the dbstat table): only AllIndexes rebuilds them`);
    indexes = (await session.query<{ index_name: string; table_name: string }>(SQLITE_INDEX_NAMES))
      .map((r) => ({ indexName: r.index_name, tableName: r.table_name, pages: 0, bytes: 0, unused: 0 }));
  }
  run.count("indexesExamined", indexes.length);
  const plan = planSqliteIndexes(indexes, measured, options, quote);
  run.note(plan.notes);
  await run.performAll(plan.actions);

  const [stat1] = await session.query<{ n: number }>(SQLITE_STAT1_EXISTS);
  const analysed = new Map<string, number>();
  if (Number(stat1?.n) > 0) {
    for (const r of await session.query<{ table_name: string; analysed_rows: number }>(SQLITE_STAT1_ROWS)) analysed.set(r.table_name, Number(r.analysed_rows));
  }
  const tables: SqliteTableRow[] = [];
  for (const { table_name } of await session.query<{ table_name: string }>(SQLITE_TABLES)) {
    const [count] = await session.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quote(table_name)}`);
    tables.push({ tableName: table_name, rows: Number(count?.n ?? 0), analysedRows: analysed.get(table_name) });
  }
  await run.performAll(planSqliteStatistics(tables, options, quote));
  await run.perform({ kind: "other", sql: "PRAGMA optimize", reason: "SQLite's own upkeep of the planner statistics" });

  session.throwIfAborted();
  run.log("Information", "PRAGMA integrity_check");
  const findings = (await session.query<{ integrity_check: string }>(`PRAGMA integrity_check(${INTEGRITY_LINES})`)).map((r) => r.integrity_check);
  if (findings.length === 1 && findings[0] === "ok") return;
  for (const line of findings) run.log("Error", `integrity_check: ${line}`);
  const more = findings.length > MESSAGE_LINES ? ` (and ${findings.length - MESSAGE_LINES}${findings.length === INTEGRITY_LINES ? "+" : ""} more)` : "";
  run.problem = `PRAGMA integrity_check found problems: ${findings.slice(0, MESSAGE_LINES).join("; ")}${more}`;
}

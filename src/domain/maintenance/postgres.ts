/**
 * PostgreSQL, in the store's schema only (current_schema(): the schema the store was opened on):
 *
 * 1. invalid indexes left by an interrupted REINDEX CONCURRENTLY (`…_ccnew`, `…_ccold`) are dropped;
 * 2. ANALYZE the tables whose n_mod_since_analyze reaches UpdateStatsThreshold % of n_live_tup
 *    (first, so that the bloat estimate below works from fresh row counts and widths);
 * 3. the bloat of each B-tree index: measured with pgstattuple's pgstatindex when the extension is
 *    installed (it reads the whole index, so only for indexes of at least PageCount pages), else
 *    estimated from the catalog (size against rows × average key width, as the well-known
 *    "btree bloat" queries do); other index methods have no bloat figure and are rebuilt only with
 *    AllIndexes;
 * 4. REINDEX INDEX CONCURRENTLY (plain REINDEX INDEX when Offline) from RebuildThreshold % of bloat.
 *    PostgreSQL has no in-place reorganise, so ReorganizeThreshold has no effect here.
 *
 * REINDEX CONCURRENTLY needs PostgreSQL 12 and cannot run inside a transaction block: the session
 * runs each statement on its own. Indexes of exclusion constraints cannot be rebuilt concurrently:
 * they are rebuilt only when Offline is set.
 */
import type { MaintenanceOptions } from "./options.js";
import { indexDecision, indexReason, percent, statisticsDue, statisticsReason, type Action, type Plan, type Quote } from "./plan.js";
import type { MaintenanceRun } from "./run.js";

export interface PgIndexRow {
  oid: string;
  schemaName: string;
  tableName: string;
  indexName: string;
  method: string;
  /** Index of an exclusion constraint: no REINDEX CONCURRENTLY. */
  exclusion: boolean;
  bytes: number;
  blockSize: number;
  /** Rows in the index per the catalog (reltuples; -1 when never counted). */
  indexTuples: number;
  liveTuples: number;
  /** Average width of the index's columns from pg_stats, else their type length, else 32. */
  keyWidth: number;
  fillfactor: number;
}

export interface PgTableRow {
  tableName: string;
  liveTuples: number;
  modifiedSinceAnalyze: number;
}

export interface PgBloat {
  indexName: string;
  pages: number;
  /** % of the index that a rebuild would free; undefined when not measurable. */
  bloat: number | undefined;
  source: "pgstatindex" | "estimate" | undefined;
}

/** The leftovers of an interrupted REINDEX CONCURRENTLY, unless one is running on their table right now. */
export const PG_LEFTOVER_INDEXES = [
  "SELECT c.relname AS index_name",
  "FROM pg_index ix",
  "JOIN pg_class c ON c.oid = ix.indexrelid",
  "JOIN pg_namespace n ON n.oid = c.relnamespace",
  "WHERE n.nspname = current_schema() AND NOT ix.indisvalid AND c.relname ~ '_cc(new|old)[0-9]*$'",
  "  AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.relid = ix.indrelid)",
  "ORDER BY c.relname",
].join("\n");

export const PG_TABLES = [
  "SELECT relname AS table_name, n_live_tup AS live_tuples, n_mod_since_analyze AS modified",
  "FROM pg_stat_user_tables",
  "WHERE schemaname = current_schema()",
  "ORDER BY relname",
].join("\n");

/** Every index of the schema's tables and materialised views, with what the estimate needs. */
export const PG_INDEXES = [
  "SELECT c.oid::int8 AS oid, n.nspname AS schema_name, t.relname AS table_name, c.relname AS index_name, am.amname AS method,",
  "  EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = c.oid AND x.contype = 'x') AS exclusion,",
  "  pg_relation_size(c.oid) AS bytes, current_setting('block_size')::int AS block_size,",
  "  c.reltuples AS index_tuples, COALESCE(st.n_live_tup, 0) AS live_tuples,",
  "  COALESCE((SELECT substring(o FROM '^fillfactor=([0-9]+)$')::int FROM unnest(c.reloptions) o WHERE o LIKE 'fillfactor=%'), 90) AS fillfactor,",
  "  COALESCE((SELECT SUM(COALESCE(s.avg_width, CASE WHEN a.attlen > 0 THEN a.attlen ELSE 32 END))",
  "    FROM pg_attribute a",
  "    LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.attname = a.attname",
  "      AND s.tablename = CASE WHEN ix.indkey[a.attnum - 1] = 0 THEN c.relname ELSE t.relname END",
  "    WHERE a.attrelid = c.oid AND a.attnum > 0), 0) AS key_width",
  "FROM pg_index ix",
  "JOIN pg_class c ON c.oid = ix.indexrelid",
  "JOIN pg_class t ON t.oid = ix.indrelid",
  "JOIN pg_namespace n ON n.oid = c.relnamespace",
  "JOIN pg_am am ON am.oid = c.relam",
  "LEFT JOIN pg_stat_user_tables st ON st.relid = t.oid",
  "WHERE n.nspname = current_schema() AND t.relkind IN ('r', 'm')",
  "ORDER BY t.relname, c.relname",
].join("\n");

export const PG_STATTUPLE_SCHEMA = "SELECT n.nspname AS schema_name FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgstattuple'";

export function pgstatindexQuery(extensionSchema: string, quote: Quote): string {
  return `SELECT avg_leaf_density, leaf_pages, internal_pages, index_size FROM ${quote(extensionSchema)}.pgstatindex($1::oid::regclass)`;
}

export interface PgStatIndex {
  avgLeafDensity: number;
  leafPages: number;
  internalPages: number;
  indexSize: number;
}

/**
 * Bloat from pgstatindex: the pages the leaf entries would fill at the index's fillfactor, plus the
 * internal pages and the metapage, against the index's size.
 */
export function bloatFromPgstatindex(stat: PgStatIndex, blockSize: number, fillfactor: number): number {
  const pages = stat.indexSize / blockSize;
  if (pages <= 1) return 0;
  const density = Number.isFinite(stat.avgLeafDensity) ? stat.avgLeafDensity : 0;
  const leaf = stat.leafPages === 0 ? 0 : Math.max(1, Math.ceil((stat.leafPages * density) / fillfactor));
  return shareFreed(pages, 1 + stat.internalPages + leaf);
}

/**
 * Bloat estimated from the catalog: a leaf entry takes the 8-byte tuple header plus the key,
 * aligned to 8, plus its 4-byte line pointer; a page holds (block − 24-byte header − 16-byte special
 * space) × fillfactor of them; internal pages are filled to 70 % as a fresh build leaves them; plus the
 * metapage. It ignores deduplication (PostgreSQL 13), so an index with many equal keys is under-, never
 * over-estimated.
 */
export function estimateBtreeBloat(row: Pick<PgIndexRow, "bytes" | "blockSize" | "indexTuples" | "liveTuples" | "keyWidth" | "fillfactor">): number {
  const pages = row.bytes / row.blockSize;
  if (pages <= 1) return 0;
  const tuples = row.indexTuples >= 0 ? row.indexTuples : row.liveTuples;
  const entry = Math.ceil((8 + row.keyWidth) / 8) * 8 + 4;
  const usable = row.blockSize - 24 - 16;
  const perLeaf = Math.max(1, Math.floor((usable * row.fillfactor) / 100 / entry));
  const leaf = Math.max(1, Math.ceil(Math.max(0, tuples) / perLeaf));
  const perInternal = Math.max(2, Math.floor((usable * 0.7) / entry));
  let internal = 0;
  for (let level = leaf; level > 1; ) {
    level = Math.ceil(level / perInternal);
    internal += level;
  }
  return shareFreed(pages, 1 + leaf + internal);
}

function shareFreed(pages: number, ideal: number): number {
  return pages > ideal ? ((pages - ideal) / pages) * 100 : 0;
}

export function planPgStatistics(tables: PgTableRow[], options: MaintenanceOptions, schema: string, quote: Quote): Action[] {
  return tables
    .filter((t) => statisticsDue(t.modifiedSinceAnalyze, t.liveTuples, options))
    .map((t) => ({
      kind: "statistics",
      sql: `ANALYZE ${quote(schema)}.${quote(t.tableName)}`,
      reason: statisticsReason(t.modifiedSinceAnalyze, t.liveTuples, "the last analyze"),
    }));
}

export function planPgIndexes(indexes: PgIndexRow[], bloat: Map<string, PgBloat>, options: MaintenanceOptions, quote: Quote): Plan {
  const plan: Plan = { actions: [], notes: [] };
  for (const index of indexes) {
    const measured = bloat.get(index.indexName);
    const measure = { pages: measured?.pages ?? index.bytes / index.blockSize, fragmentation: measured?.bloat };
    const decision = indexDecision(measure, options);
    const name = `${quote(index.schemaName)}.${quote(index.indexName)}`;
    if (decision === "reorganize") {
      plan.notes.push({ level: "Debug", message: `${name}: bloat ${percent(measure.fragmentation ?? 0)} is under RebuildThreshold (PostgreSQL has no in-place reorganise)` });
      continue;
    }
    if (decision === undefined) continue;
    if (index.exclusion && !options.offline) {
      plan.notes.push({ level: "Information", message: `${name} backs an exclusion constraint and cannot be rebuilt concurrently: set Offline to rebuild it` });
      continue;
    }
    const source = measured?.source === undefined ? [] : [measured.source];
    plan.actions.push({
      kind: "rebuild",
      sql: `REINDEX INDEX ${options.offline ? "" : "CONCURRENTLY "}${name}`,
      reason: indexReason(measure, "bloat", options, source),
    });
  }
  return plan;
}

interface RawIndexRow {
  oid: string; schema_name: string; table_name: string; index_name: string; method: string; exclusion: boolean;
  bytes: string | number; block_size: number; index_tuples: number; live_tuples: string | number; fillfactor: number; key_width: string | number;
}

export async function maintainPostgres(run: MaintenanceRun): Promise<void> {
  const { session, options } = run;
  const quote = session.quote;
  const [{ schema } = { schema: "public" }] = await session.query<{ schema: string }>("SELECT current_schema() AS schema");

  for (const { index_name } of await session.query<{ index_name: string }>(PG_LEFTOVER_INDEXES)) {
    await run.perform({
      kind: "cleanup",
      sql: `DROP INDEX ${options.offline ? "" : "CONCURRENTLY "}IF EXISTS ${quote(schema)}.${quote(index_name)}`,
      reason: "invalid index left by an interrupted REINDEX CONCURRENTLY",
    });
  }

  const tables = (await session.query<{ table_name: string; live_tuples: string | number; modified: string | number }>(PG_TABLES)).map((r): PgTableRow => ({
    tableName: r.table_name, liveTuples: Number(r.live_tuples), modifiedSinceAnalyze: Number(r.modified),
  }));
  await run.performAll(planPgStatistics(tables, options, schema, quote));

  const indexes = (await session.query<RawIndexRow>(PG_INDEXES)).map((r): PgIndexRow => ({
    oid: String(r.oid), schemaName: r.schema_name, tableName: r.table_name, indexName: r.index_name, method: r.method, exclusion: r.exclusion,
    bytes: Number(r.bytes), blockSize: Number(r.block_size), indexTuples: Number(r.index_tuples), liveTuples: Number(r.live_tuples),
    fillfactor: Number(r.fillfactor), keyWidth: Number(r.key_width),
  }));
  run.count("indexesExamined", indexes.length);
  const bloat = options.allIndexes ? new Map<string, PgBloat>() : await measureBloat(run, indexes);
  const plan = planPgIndexes(indexes, bloat, options, quote);
  run.note(plan.notes);
  await run.performAll(plan.actions);
}

/** The bloat of the B-tree indexes of at least PageCount pages (the others are not rebuilt without AllIndexes). */
async function measureBloat(run: MaintenanceRun, indexes: PgIndexRow[]): Promise<Map<string, PgBloat>> {
  const { session, options } = run;
  const [extension] = await session.query<{ schema_name: string }>(PG_STATTUPLE_SCHEMA);
  let statQuery = extension === undefined ? undefined : pgstatindexQuery(extension.schema_name, session.quote);
  const result = new Map<string, PgBloat>();
  for (const index of indexes) {
    const pages = index.bytes / index.blockSize;
    if (index.method !== "btree" || pages < options.pageCount) {
      result.set(index.indexName, { indexName: index.indexName, pages, bloat: undefined, source: undefined });
      continue;
    }
    if (statQuery !== undefined) {
      try {
        const [stat] = await session.query<{ avg_leaf_density: number; leaf_pages: string | number; internal_pages: string | number; index_size: string | number }>(statQuery, [index.oid]);
        if (stat !== undefined) {
          const measured = { avgLeafDensity: Number(stat.avg_leaf_density), leafPages: Number(stat.leaf_pages), internalPages: Number(stat.internal_pages), indexSize: Number(stat.index_size) };
          result.set(index.indexName, { indexName: index.indexName, pages, bloat: bloatFromPgstatindex(measured, index.blockSize, index.fillfactor), source: "pgstatindex" });
          continue;
        }
      } catch (error) {
        if (run.context.signal.aborted) throw error;
        run.log("Warning", `pgstatindex failed (${error instanceof Error ? error.message : String(error)}): bloat is estimated from the catalog instead`);
        statQuery = undefined;
      }
    }
    result.set(index.indexName, { indexName: index.indexName, pages, bloat: estimateBtreeBloat(index), source: "estimate" });
  }
  return result;
}

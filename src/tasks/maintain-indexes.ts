/**
 * MaintainIndexesTask: maintains the product database (the store): rebuilds or reorganises the
 * fragmented indexes, refreshes stale statistics, and (unless NoNormalizationCheck) first repairs the
 * store's own inconsistencies. Per database (see maintenance/): SQL Server ALTER INDEX … REBUILD /
 * REORGANIZE and UPDATE STATISTICS; PostgreSQL REINDEX INDEX [CONCURRENTLY] and ANALYZE in the
 * store's schema; SQLite REINDEX, ANALYZE, PRAGMA optimize and PRAGMA integrity_check.
 */
import { repairConsistency } from "../domain/maintenance/consistency.js";
import { maintainMssql } from "../domain/maintenance/mssql.js";
import { maintenanceOptions } from "../domain/maintenance/options.js";
import { maintainPostgres } from "../domain/maintenance/postgres.js";
import { MaintenanceRun } from "../domain/maintenance/run.js";
import { abortReason, openSession } from "../domain/maintenance/session.js";
import { maintainSqlite } from "../domain/maintenance/sqlite.js";
import { defineTask, type TaskResult } from "./task-handler.js";

const MAINTAIN = { sqlite: maintainSqlite, postgres: maintainPostgres, mssql: maintainMssql } as const;

export default defineTask<"MaintainIndexesTask">({
  type: "MaintainIndexesTask",
  side: "server",
  async run(context, task) {
    const options = maintenanceOptions(task.identifier, { ...task.attributes });
    if (context.signal.aborted) throw abortReason(context.signal);
    const session = await openSession(context.store, context.signal);
    const run = new MaintenanceRun(context, session, options);
    try {
      context.progress({ ...run.counters });
      if (options.noNormalizationCheck) run.log("Information", "NoNormalizationCheck: the consistency repair is skipped");
      else await repairConsistency(run);
      await MAINTAIN[context.store.dialect](run);
    } finally {
      await session.release();
    }
    const counters = { ...run.counters };
    const c = counters;
    run.log("Information", `${c.indexesExamined} indexes examined, ${c.indexesRebuilt} rebuilt, ${c.indexesReorganized} reorganised; ` +
      `${c.statisticsUpdated} statistics updated; ${c.rowsRepaired} rows repaired`);
    const result: TaskResult = { state: "Succeeded", didWork: run.didWork, counters };
    const failed = run.failures.length === 0 ? undefined
      : `${run.failures.length} maintenance statement${run.failures.length === 1 ? "" : "s"} failed; first: ${run.failures[0]}`;
    const message = [run.problem, failed].filter((m) => m !== undefined).join("; ");
    return message === "" ? result : { ...result, state: "Error", message };
  },
});

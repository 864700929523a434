/**
 * MaintainIndexesTask against real databases (SQLite always, PostgreSQL when IDM_TEST_POSTGRES_URL is
 * set), its pure planning functions, and the T-SQL it would send to SQL Server (offline snapshot from
 * a fixture of index and statistics rows).
 */
import { spawn, spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import type { AttributeValue } from "../../src/config/coerce-attribute.js";
import { insertJobInstance, insertTaskInstances, insertTaskLogs } from "../../src/store/job-instance-queries.js";
import { jobLeaseName } from "../../src/store/job-lease.js";
import { runJob } from "../../src/jobs/runner.js";
import { registerTask } from "../../src/tasks/registry.js";
import { deployXml } from "../helpers/deploy-xml.js";
import { BASE_MODEL, configFile } from "../helpers/temp-folder.js";
import type { JobInstanceRow, TaskInstanceRow } from "../../src/store/entities.js";
import { insertLease } from "../../src/store/lease-queries.js";
import { run as runStatement } from "../../src/store/statements.js";
import { offlineMssqlStore, type Store } from "../../src/store/store.js";
import maintainIndexes from "../../src/tasks/maintain-indexes.js";
import {
  deleteLogsOfTaskInstances, selectMissingJobInstancesOfLogs, selectMissingJobInstancesOfTasks, selectMissingTaskInstancesOfLogs,
  selectOrphanTaskInstancesOfLogs, selectOtherInProgressInstances,
} from "../../src/domain/maintenance/consistency.js";
import {
  MSSQL_EDITION, MSSQL_INDEX_STATS, MSSQL_STATISTICS, onlineIndexOperations, planMssqlIndexes, planMssqlStatistics,
  type MssqlIndexRow, type MssqlStatisticsRow,
} from "../../src/domain/maintenance/mssql.js";
import { ENGINE_DEFAULTS, maintenanceOptions, type MaintenanceOptions } from "../../src/domain/maintenance/options.js";
import { indexDecision, statisticsDue, type Action } from "../../src/domain/maintenance/plan.js";
import { MaintenanceRun } from "../../src/domain/maintenance/run.js";
import { mssqlUnbounded, type MssqlDriver, type Session } from "../../src/domain/maintenance/session.js";
import { bloatFromPgstatindex, estimateBtreeBloat } from "../../src/domain/maintenance/postgres.js";
import { planSqliteStatistics, sqliteBloat } from "../../src/domain/maintenance/sqlite.js";
import type { TaskResult, TaskSnapshot } from "../../src/tasks/task-handler.js";
import type { LogLevel } from "../../src/domain/vocabulary.js";
import { statement } from "../helpers/sql-statement.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { groupRuns } from "../../src/domain/processes/process-stat.js";
import { formatRecordedGroup, groupLedBy } from "../../src/domain/processes/recorded-group.js";

function task(attributes: Record<string, AttributeValue> = {}): TaskSnapshot {
  return taskSnapshot({ identifier: "Maintenance", type: "MaintainIndexesTask", attributes });
}

/** The attributes as deploy stores them (defaults materialised), with some changed. */
function attributes(changed: Record<string, AttributeValue> = {}): Record<string, AttributeValue> {
  return {
    DisplayName_L1: "Maintenance", AllIndexes: false, ContinueOnError: false, NoNormalizationCheck: false, Offline: false,
    PageCount: 0, RebuildThreshold: 0, ReorganizeThreshold: 0, UpdateStatsThreshold: 0, Level: -1, LogLevel: "None", ...changed,
  };
}

function harness(store: Store, instanceId = 1_000_000, signal = new AbortController().signal) {
  const { context, logs, lines, progress } = taskWorkspace({}, {
    store, settings: () => DEFAULT_SETTINGS, configuration: undefined, job: { identifier: "Maintenance_Job", instanceId }, signal,
  });
  const run = (changed: Record<string, AttributeValue> = {}): Promise<TaskResult> => maintainIndexes.run(context, task(attributes(changed)));
  return { context, logs, lines, progress, run };
}

afterEach(() => removeTaskWorkspaces());

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const ROWS = 20_000;

/**
 * A table whose index on v (random values) and primary key have lost 90 % of their entries: the
 * pages stay, mostly empty. PostgreSQL: autovacuum off for it, vacuumed (so that the dead entries
 * are gone from the pages), and its statistics flushed so that n_mod_since_analyze shows the writes.
 */
async function fragmentedTable(store: Store, table: string): Promise<void> {
  if (store.dialect === "sqlite") {
    await store.dataSource.query(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
    await store.dataSource.query(`CREATE INDEX ix_${table}_v ON ${table} (v)`);
    await store.dataSource.query(
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${ROWS}) INSERT INTO ${table} (v) SELECT hex(randomblob(16)) FROM s`);
    await store.dataSource.query(`DELETE FROM ${table} WHERE id % 10 <> 0`);
    return;
  }
  const runner = store.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, v text NOT NULL) WITH (autovacuum_enabled = false)`);
    await runner.query(`CREATE INDEX ix_${table}_v ON ${table} (v)`);
    await runner.query(`INSERT INTO ${table} (v) SELECT md5(i::text) FROM generate_series(1, ${ROWS}) i`);
    await runner.query(`DELETE FROM ${table} WHERE id % 10 <> 0`);
    await runner.query(`VACUUM ${table}`);
    await runner.query("SELECT pg_stat_force_next_flush()");
  } finally {
    await runner.release();
  }
  await waitFor("the table's statistics", async () => {
    const [row] = (await store.dataSource.query(`SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = $1`, [table])) as { n: string }[];
    return Number(row?.n ?? 0) >= ROWS;
  });
}

/** Pages of an index (SQLite: from dbstat; PostgreSQL: its size). */
async function indexPages(store: Store, index: string): Promise<number> {
  const sql = store.dialect === "sqlite"
    ? "SELECT COUNT(*) AS n FROM dbstat WHERE name = $1"
    : "SELECT pg_relation_size($1::regclass) / current_setting('block_size')::int AS n";
  const [row] = (await store.dataSource.query(store.dialect === "sqlite" ? sql.replace("$1", "?") : sql, [index])) as { n: number | string }[];
  return Number(row?.n);
}

const at = new Date("2026-01-02T03:04:05.000Z");

function jobInstance(job: string, state: JobInstanceRow["state"]): Omit<JobInstanceRow, "id"> {
  return {
    job, state, trigger: "cli", user: "u", host: "h", pid: 1, startedAt: at, endedAt: state === "InProgress" ? null : at,
    cancelRequested: false, forced: false, deploymentId: null, selection: null, snapshot: "{}",
  };
}

function taskInstance(jobInstanceId: number, taskName: string, state: TaskInstanceRow["state"]): Omit<TaskInstanceRow, "id"> {
  return {
    jobInstanceId, task: taskName, taskType: "InvokeExpressionTask", level: 0, launchOrder: 1, groupIndex: 0, state,
    startedAt: state === "Pending" ? null : at, endedAt: null, attempt: state === "Pending" ? 0 : 1, didWork: false, counters: null, error: null,
    processGroup: null,
  };
}

/** Runs SQL with the foreign keys not enforced, the way a database restored in parts or edited by hand gets orphans. */
async function withoutForeignKeys(store: Store, sql: string[]): Promise<void> {
  if (store.dialect === "sqlite") {
    await store.dataSource.query("PRAGMA foreign_keys = OFF");
    try {
      for (const s of sql) await store.dataSource.query(s);
    } finally {
      await store.dataSource.query("PRAGMA foreign_keys = ON");
    }
    return;
  }
  const runner = store.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query("SET session_replication_role = replica");
    for (const s of sql) await runner.query(s);
    await runner.query("RESET session_replication_role");
  } finally {
    await runner.release();
  }
}

async function insertInstance(store: Store, job: string, state: JobInstanceRow["state"]): Promise<number> {
  const inserted = await insertJobInstance(store.dataSource.manager, jobInstance(job, state)).execute();
  return Number(inserted.identifiers[0]!.id);
}

async function insertTasks(store: Store, rows: Omit<TaskInstanceRow, "id">[]): Promise<number[]> {
  const m = store.dataSource.manager;
  await runStatement(m, insertTaskInstances(m, rows));
  const all = (await store.dataSource.query("SELECT id, job_instance_id, task FROM idm_task_instances ORDER BY id")) as { id: number; job_instance_id: number; task: string }[];
  return rows.map((row) => Number(all.find((r) => Number(r.job_instance_id) === row.jobInstanceId && r.task === row.task)!.id));
}

async function insertLogs(store: Store, rows: { jobInstanceId: number; taskInstanceId: number | null }[]): Promise<void> {
  const m = store.dataSource.manager;
  await runStatement(m, insertTaskLogs(m, rows.map((r) => ({ ...r, loggedAt: at, level: "Information", message: "line" }))));
}

async function states(store: Store, table: "idm_job_instances" | "idm_task_instances"): Promise<Record<number, string>> {
  const rows = (await store.dataSource.query(`SELECT id, state FROM ${table} ORDER BY id`)) as { id: number; state: string }[];
  return Object.fromEntries(rows.map((r) => [Number(r.id), r.state]));
}

async function count(store: Store, table: string): Promise<number> {
  const [row] = (await store.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number | string }[];
  return Number(row?.n);
}

/**
 * The scene of the repair: a job instance deleted behind its tasks and logs, a log line whose task
 * instance is gone, instances left InProgress by dead runners (no lease, an expired lease), one whose
 * runner is alive, an ended one, and the instance the maintenance itself runs in.
 */
async function inconsistentHistory(store: Store) {
  const m = store.dataSource.manager;
  const own = await insertInstance(store, "Maintenance_Job", "InProgress");
  const [ownTask] = await insertTasks(store, [taskInstance(own, "Maintenance", "InProgress")]);
  const gone = await insertInstance(store, "Gone", "Succeeded");
  const goneTasks = await insertTasks(store, [taskInstance(gone, "A", "Succeeded"), taskInstance(gone, "B", "Succeeded")]);
  await insertLogs(store, [{ jobInstanceId: gone, taskInstanceId: goneTasks[0]! }, { jobInstanceId: gone, taskInstanceId: goneTasks[1]! }, { jobInstanceId: gone, taskInstanceId: null }]);
  const live = await insertInstance(store, "Live", "InProgress");
  const liveTasks = await insertTasks(store, [taskInstance(live, "L1", "InProgress"), taskInstance(live, "L2", "Succeeded")]);
  await insertLease(m, { name: jobLeaseName("Live"), owner: "o", host: "h", pid: 1, acquiredAt: new Date(), heartbeatAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000) }).execute();
  await insertLogs(store, [{ jobInstanceId: live, taskInstanceId: liveTasks[1]! }, { jobInstanceId: live, taskInstanceId: liveTasks[0]! }]);
  const stuck = await insertInstance(store, "Stuck", "InProgress");
  const stuckTasks = await insertTasks(store, [taskInstance(stuck, "S1", "InProgress"), taskInstance(stuck, "S2", "Pending")]);
  const expired = await insertInstance(store, "Expired", "InProgress");
  await insertLease(m, { name: jobLeaseName("Expired"), owner: "o", host: "h", pid: 1, acquiredAt: at, heartbeatAt: at, expiresAt: at }).execute();
  const ended = await insertInstance(store, "Ended", "Succeeded");
  await withoutForeignKeys(store, [
    `DELETE FROM idm_job_instances WHERE id = ${gone}`,
    `DELETE FROM idm_task_instances WHERE id = ${liveTasks[1]!}`,
  ]);
  return { own, ownTask: ownTask!, gone, deletedTask: liveTasks[1]!, live, liveTask: liveTasks[0]!, stuck, stuckTasks, expired, ended };
}

describe.each(BACKENDS)("MaintainIndexesTask on %s", (name, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("rebuilds a fragmented index and refreshes the statistics of a table that changed", async () => {
    await fragmentedTable(store, "frag");
    const before = await indexPages(store, "ix_frag_v");
    const { run, lines, progress } = harness(store);
    const result = await run({ PageCount: 1, RebuildThreshold: 30, NoNormalizationCheck: true });

    expect(result.state).toBe("Succeeded");
    expect(result.didWork).toBe(true);
    const counters = result.counters!;
    expect(counters.indexesExamined).toBeGreaterThanOrEqual(2);
    // SQLite: the INTEGER PRIMARY KEY is the rowid, not an index; PostgreSQL: frag_pkey is as bloated.
    expect(counters.indexesRebuilt).toBeGreaterThanOrEqual(name === "sqlite" ? 1 : 2);
    expect(counters.indexesReorganized).toBe(0);
    expect(counters.statisticsUpdated).toBeGreaterThanOrEqual(1);
    expect(counters.rowsRepaired).toBe(0);
    expect(progress.at(-1)).toEqual(counters);
    const after = await indexPages(store, "ix_frag_v");
    expect(after).toBeLessThan(before * 0.7);

    if (name === "sqlite") {
      expect(lines("Information")).toContainEqual(expect.stringMatching(/^REINDEX "ix_frag_v" \(bloat \d+(\.\d)?%, \d+ pages\)$/));
      expect(lines("Information")).toContainEqual(expect.stringMatching(/^ANALYZE "frag" \(2000 rows, never analysed\)$/));
      expect(lines("Information")).toContain("PRAGMA integrity_check");
      const stat = (await store.dataSource.query("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = 'frag' ORDER BY idx")) as { stat: string }[];
      expect(stat.length).toBeGreaterThan(0);
      expect(stat[0]!.stat).toMatch(/^2000\b/);
    } else {
      const schema = db.schema!;
      expect(lines("Information")).toContainEqual(expect.stringMatching(new RegExp(`^REINDEX INDEX CONCURRENTLY "${schema}"\\."ix_frag_v" \\(bloat \\d+(\\.\\d)?%, \\d+ pages, (estimate|pgstatindex)\\)$`)));
      expect(lines("Information")).toContainEqual(expect.stringMatching(new RegExp(`^ANALYZE "${schema}"\\."frag" \\(\\d+ of \\d+ rows modified since the last analyze`)));
      const [analysed] = (await store.dataSource.query("SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'frag'")) as { last_analyze: Date | null }[];
      expect(analysed?.last_analyze).not.toBeNull();
    }
    // Rebuilt, the index is no longer bloated: a second run leaves it alone.
    const again = harness(store);
    const second = await again.run({ PageCount: 1, RebuildThreshold: 30, NoNormalizationCheck: true });
    expect(again.lines().filter((l) => l.includes("ix_frag_v"))).toEqual([]);
    expect(second.counters!.indexesRebuilt).toBe(0);
  });

  it("leaves alone indexes under PageCount or under the thresholds, and does nothing on a second run", async () => {
    await fragmentedTable(store, "frag");
    const small = harness(store);
    const result = await small.run({ NoNormalizationCheck: true }); // PageCount 0 → 1000: the table is far smaller
    expect(result.counters).toMatchObject({ indexesRebuilt: 0, indexesReorganized: 0 });
    const high = harness(store);
    const second = await high.run({ PageCount: 1, RebuildThreshold: 99, ReorganizeThreshold: 99, NoNormalizationCheck: true });
    expect(second.counters).toMatchObject({ indexesRebuilt: 0, indexesReorganized: 0 });
    if (name === "sqlite") {
      // The statistics were refreshed by the first run; nothing moved since.
      expect(second).toEqual({ state: "Succeeded", didWork: false, counters: { indexesExamined: second.counters!.indexesExamined, indexesRebuilt: 0, indexesReorganized: 0, statisticsUpdated: 0, rowsRepaired: 0 } });
    }
  });

  it("AllIndexes rebuilds every index, whatever its size and fragmentation", async () => {
    await store.dataSource.query("CREATE TABLE tiny (id INTEGER PRIMARY KEY, v VARCHAR(10))");
    await store.dataSource.query("CREATE INDEX ix_tiny_v ON tiny (v)");
    const { run, lines } = harness(store);
    const result = await run({ AllIndexes: true, NoNormalizationCheck: true });
    const counters = result.counters!;
    expect(counters.indexesExamined).toBeGreaterThan(5);
    expect(counters.indexesRebuilt).toBe(counters.indexesExamined);
    expect(result.didWork).toBe(true);
    const rebuild = name === "sqlite" ? `REINDEX "ix_tiny_v" (AllIndexes, ` : `REINDEX INDEX CONCURRENTLY "${db.schema}"."ix_tiny_v" (AllIndexes, `;
    expect(lines("Information").filter((l) => l.startsWith(rebuild))).toHaveLength(1);
  });

  it("Offline rebuilds without CONCURRENTLY", async () => {
    await fragmentedTable(store, "frag");
    const { run, lines } = harness(store);
    const result = await run({ PageCount: 1, RebuildThreshold: 30, Offline: true, NoNormalizationCheck: true });
    expect(result.counters!.indexesRebuilt).toBeGreaterThanOrEqual(name === "sqlite" ? 1 : 2);
    const reindex = lines("Information").filter((l) => l.startsWith("REINDEX"));
    expect(reindex.some((l) => l.includes("ix_frag_v"))).toBe(true);
    expect(reindex.filter((l) => l.includes("CONCURRENTLY"))).toEqual([]);
    if (name === "postgres") expect(reindex).toContainEqual(expect.stringMatching(new RegExp(`^REINDEX INDEX "${db.schema}"\\."ix_frag_v" `)));
  });

  it("repairs orphans and instances left InProgress by dead runners, never the instance it runs in", async () => {
    const scene = await inconsistentHistory(store);
    const { run, lines } = harness(store, scene.own);
    const result = await run();

    expect(result.state).toBe("Succeeded");
    expect(result.didWork).toBe(true);
    // 2 tasks + 3 logs of the deleted instance, 1 log of a deleted task; Stuck: the instance and its running task; Expired: the instance.
    expect(result.counters!.rowsRepaired).toBe(9);
    expect(await states(store, "idm_job_instances")).toEqual({
      [scene.own]: "InProgress", [scene.live]: "InProgress", [scene.stuck]: "Interrupted", [scene.expired]: "Interrupted", [scene.ended]: "Succeeded",
    });
    const tasks = await states(store, "idm_task_instances");
    expect(tasks).toEqual({ [scene.ownTask]: "InProgress", [scene.liveTask]: "InProgress", [scene.stuckTasks[0]!]: "Interrupted", [scene.stuckTasks[1]!]: "Pending" });
    expect(await count(store, "idm_task_logs")).toBe(1); // Live's line of its remaining task
    const warnings = lines("Warning");
    expect(warnings).toContain(`deleted 2 task instances and 3 log lines of job instances that no longer exist (${scene.gone})`);
    expect(warnings).toContain(`deleted 1 log line of task instances that no longer exist (${scene.deletedTask})`);
    expect(warnings).toContain(`job instance ${scene.stuck} of Stuck, started ${at.toISOString()}, was InProgress with no live runner (its lease job:Stuck is not held): marked Interrupted with 1 running task`);
    expect(warnings).toContain(`job instance ${scene.expired} of Expired, started ${at.toISOString()}, was InProgress with no live runner (its lease job:Expired expired at ${at.toISOString()}): marked Interrupted with 0 running tasks`);

    const again = harness(store, scene.own);
    const second = await again.run();
    expect(second.counters!.rowsRepaired).toBe(0);
  });

  it("ends the process group a dead runner's task left running on this host before marking its instance Interrupted", async () => {
    const own = await insertInstance(store, "Maintenance_Job", "InProgress");
    const script = spawn("bash", ["-c", "sleep 30 & wait"], { detached: true, stdio: "ignore" });
    const ended = new Promise((done) => script.once("exit", (code, signal) => done(signal)));
    try {
      const deadRunner = spawnSync("true").pid;
      const inserted = await insertJobInstance(store.dataSource.manager, { ...jobInstance("Stuck", "InProgress"), host: hostname(), pid: deadRunner }).execute();
      const stuck = Number(inserted.identifiers[0]!.id);
      const [task] = await insertTasks(store, [{ ...taskInstance(stuck, "Script", "InProgress"), processGroup: formatRecordedGroup(groupLedBy(script.pid!)) }]);
      const { run, lines } = harness(store, own);
      expect((await run()).state).toBe("Succeeded");
      expect(await ended).toBe("SIGTERM");
      expect(groupRuns(script.pid!)).toBe(false);
      expect(lines("Warning")).toEqual([
        `ended process group ${script.pid} of task Script of job instance ${stuck}, left running by its dead runner (SIGTERM)`,
        `job instance ${stuck} of Stuck, started ${at.toISOString()}, was InProgress with no live runner (its lease job:Stuck is not held): marked Interrupted with 1 running task`,
      ]);
      const [row] = (await store.dataSource.query(`SELECT state, process_group FROM idm_task_instances WHERE id = ${task!}`)) as { state: string; process_group: string | null }[];
      expect(row).toEqual({ state: "Interrupted", process_group: null });
    } finally {
      try {
        process.kill(-script.pid!, "SIGKILL");
      } catch {
        // ended, as it should have
      }
    }
  });

  it("NoNormalizationCheck skips the repair", async () => {
    const scene = await inconsistentHistory(store);
    const { run, lines } = harness(store, scene.own);
    const result = await run({ NoNormalizationCheck: true });
    expect(result.counters!.rowsRepaired).toBe(0);
    expect(lines("Information")).toContain("NoNormalizationCheck: the consistency repair is skipped");
    expect(lines("Warning")).toEqual([]);
    expect((await states(store, "idm_job_instances"))[scene.stuck]).toBe("InProgress");
    expect(await count(store, "idm_task_logs")).toBe(5);
  });

  it("runs as a task of a job: its own instance carries on, a dead run of another job is interrupted", async () => {
    await deployXml(store, {
      "model.xml": BASE_MODEL,
      "jobs.xml": configFile(`  <Job Identifier="Nightly" DisplayName_L1="Nightly">
    <MaintainIndexesTask Identifier="IndexMaintenance" DisplayName_L1="SQL index maintenance" AllIndexes="true" Level="0"/>
  </Job>`),
    });
    const stuck = await insertInstance(store, "Other", "InProgress");
    const unregister = registerTask(maintainIndexes);
    try {
      const summary = await runJob("Nightly", { store, settings: DEFAULT_SETTINGS });
      expect(summary.state).toBe("Succeeded");
      const [taskView] = summary.tasks;
      expect(taskView).toMatchObject({ identifier: "IndexMaintenance", state: "Succeeded", didWork: true });
      expect(taskView!.counters.rowsRepaired).toBe(1);
      expect(taskView!.counters.indexesRebuilt).toBe(taskView!.counters.indexesExamined);
      expect(await states(store, "idm_job_instances")).toEqual({ [stuck]: "Interrupted", [summary.instanceId]: "Succeeded" });
      const logged = (await store.dataSource.query("SELECT message FROM idm_task_logs WHERE job_instance_id = $1".replace("$1", store.dialect === "sqlite" ? "?" : "$1"), [summary.instanceId])) as { message: string }[];
      expect(logged.map((l) => l.message)).toContainEqual(expect.stringMatching(/^job instance \d+ of Other, .* marked Interrupted with 0 running tasks$/));
    } finally {
      unregister();
    }
  });

  it("stops before the first statement when already cancelled", async () => {
    const controller = new AbortController();
    controller.abort(new Error("cancelled by the test"));
    const { context, logs } = harness(store, 1, controller.signal);
    await expect(maintainIndexes.run(context, task(attributes()))).rejects.toThrow("cancelled by the test");
    expect(logs).toEqual([]);
  });

  it("stops between statements when cancelled", async () => {
    await fragmentedTable(store, "frag");
    await fragmentedTable(store, "frag2");
    const before = { v: await indexPages(store, "ix_frag_v"), v2: await indexPages(store, "ix_frag2_v") };
    const controller = new AbortController();
    const { context } = harness(store, 1, controller.signal);
    const seen: string[] = [];
    context.log = (_level, message) => {
      seen.push(message);
      if (message.startsWith("REINDEX")) controller.abort(new Error("cancelled by the test"));
    };
    await expect(maintainIndexes.run(context, task(attributes({ PageCount: 1, NoNormalizationCheck: true })))).rejects.toThrow("cancelled by the test");
    // Cancelled as the first REINDEX was logged: it never started, and nothing came after it.
    expect(seen.filter((l) => l.startsWith("REINDEX"))).toHaveLength(1);
    expect(seen.at(-1)).toMatch(/^REINDEX/);
    expect(await indexPages(store, "ix_frag_v")).toBe(before.v);
    expect(await indexPages(store, "ix_frag2_v")).toBe(before.v2);
  });

  it("rejects attributes that are not numbers or booleans", async () => {
    const { run } = harness(store);
    await expect(run({ PageCount: "many" })).rejects.toThrow('MaintainIndexesTask Maintenance: PageCount="many" is not valid');
    await expect(run({ Offline: "yes" })).rejects.toThrow('MaintainIndexesTask Maintenance: Offline="yes" is not valid: expected true or false');
  });

  if (name === "sqlite") {
    it("ends Error with the first lines of a failed PRAGMA integrity_check", async () => {
      await store.dataSource.query("CREATE TABLE t (a INTEGER)");
      await store.dataSource.query("CREATE INDEX ix_t_a ON t (a)");
      for (let i = 0; i < 20; i++) await store.dataSource.query("INSERT INTO t (a) VALUES (?)", [i]);
      // The index's rows are in ascending order; the schema now says descending: rows "missing from index".
      // better-sqlite3 runs in defensive mode, which refuses writes to the schema table.
      (store.dataSource.driver as unknown as { databaseConnection: { unsafeMode(on: boolean): void } }).databaseConnection.unsafeMode(true);
      await store.dataSource.query("PRAGMA writable_schema = ON");
      await store.dataSource.query("UPDATE sqlite_schema SET sql = 'CREATE INDEX ix_t_a ON t (a DESC)' WHERE name = 'ix_t_a'");
      await store.dataSource.query("PRAGMA writable_schema = OFF");
      await store.close();
      const reopened = await db.open();
      const { run, lines } = harness(reopened);
      const result = await run({ NoNormalizationCheck: true });
      expect(result.state).toBe("Error");
      expect(result.message).toMatch(/^PRAGMA integrity_check found problems: row 1 missing from index ix_t_a; row 2 missing from index ix_t_a; .* \(and \d+ more\)$/);
      expect(lines("Error")).toContain("integrity_check: row 1 missing from index ix_t_a");
      expect(result.counters).toBeDefined();
    });
  }

  if (name === "postgres") {
    it("measures bloat with pgstattuple's pgstatindex when the extension is installed", async (t) => {
      const [available] = (await store.dataSource.query("SELECT COUNT(*) AS n FROM pg_available_extensions WHERE name = 'pgstattuple'")) as { n: string }[];
      if (Number(available?.n) === 0) t.skip();
      const [installed] = (await store.dataSource.query("SELECT COUNT(*) AS n FROM pg_extension WHERE extname = 'pgstattuple'")) as { n: string }[];
      // Into this test's schema: dropped with it.
      if (Number(installed?.n) === 0) await store.dataSource.query(`CREATE EXTENSION pgstattuple SCHEMA "${db.schema}"`);
      await fragmentedTable(store, "frag");
      const { run, lines } = harness(store);
      const result = await run({ PageCount: 1, RebuildThreshold: 30, NoNormalizationCheck: true });
      expect(result.counters!.indexesRebuilt).toBeGreaterThanOrEqual(2);
      expect(lines("Information")).toContainEqual(expect.stringMatching(new RegExp(`^REINDEX INDEX CONCURRENTLY "${db.schema}"\\."ix_frag_v" \\(bloat (8|9)\\d(\\.\\d)?%, \\d+ pages, pgstatindex\\)$`)));
    });

    it("cancels a running REINDEX CONCURRENTLY with pg_cancel_backend; the next run drops the index it left", async () => {
      await fragmentedTable(store, "big");
      const schema = db.schema!;
      // A transaction writing to the table: REINDEX CONCURRENTLY builds its new index, then waits for it.
      const blocker = store.dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      await blocker.query("INSERT INTO big (v) VALUES ('x')");
      const reindexing = async (waiting: boolean) => {
        const [row] = (await store.dataSource.query(
          `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE $1${waiting ? " AND wait_event_type = 'Lock'" : ""}`,
          [`REINDEX INDEX CONCURRENTLY "${schema}".%`])) as { n: string }[];
        return Number(row?.n) > 0;
      };
      try {
        const controller = new AbortController();
        const { context } = harness(store, 1, controller.signal);
        const running = maintainIndexes.run(context, task(attributes({ PageCount: 5, RebuildThreshold: 30, NoNormalizationCheck: true })));
        running.catch(() => undefined);
        await waitFor("the REINDEX to wait for the open transaction", () => reindexing(true));
        controller.abort(new Error("cancelled by the test"));
        await expect(running).rejects.toThrow("cancelled by the test");
        await waitFor("the REINDEX to stop", async () => !(await reindexing(false)), 5_000);
      } finally {
        await blocker.rollbackTransaction();
        await blocker.release();
      }
      const invalid = async () => ((await store.dataSource.query(
        "SELECT c.relname FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid WHERE c.relnamespace = current_schema()::regnamespace AND NOT ix.indisvalid")) as { relname: string }[])
        .map((r) => r.relname);
      const left = await invalid();
      expect(left).toHaveLength(1);
      expect(left[0]).toMatch(/_ccnew$/);

      const { run, lines } = harness(store);
      const result = await run({ PageCount: 5, RebuildThreshold: 30, NoNormalizationCheck: true });
      expect(lines("Information")).toContain(`DROP INDEX CONCURRENTLY IF EXISTS "${schema}"."${left[0]}" (invalid index left by an interrupted REINDEX CONCURRENTLY)`);
      expect(result.didWork).toBe(true);
      expect(await invalid()).toEqual([]);
    });
  }
});

const OPTIONS: MaintenanceOptions = maintenanceOptions("T", attributes());

describe("MaintainIndexesTask planning", () => {
  it("reads 0 as the engine default and keeps what is set", () => {
    expect(OPTIONS).toEqual({
      pageCount: ENGINE_DEFAULTS.PageCount, rebuildThreshold: 30, reorganizeThreshold: 5, updateStatsThreshold: 10,
      allIndexes: false, offline: false, noNormalizationCheck: false,
    });
    expect(maintenanceOptions("T", {})).toEqual(OPTIONS);
    expect(maintenanceOptions("T", attributes({ PageCount: 8, RebuildThreshold: 40, AllIndexes: true, Offline: true }))).toMatchObject({
      pageCount: 8, rebuildThreshold: 40, allIndexes: true, offline: true,
    });
    expect(() => maintenanceOptions("T", { RebuildThreshold: -3 })).toThrow('RebuildThreshold="-3" is not valid');
  });

  it("rebuilds from RebuildThreshold, reorganises from ReorganizeThreshold, skips small indexes unless AllIndexes", () => {
    expect(indexDecision({ pages: 1000, fragmentation: 30 }, OPTIONS)).toBe("rebuild");
    expect(indexDecision({ pages: 1000, fragmentation: 29.9 }, OPTIONS)).toBe("reorganize");
    expect(indexDecision({ pages: 1000, fragmentation: 5 }, OPTIONS)).toBe("reorganize");
    expect(indexDecision({ pages: 1000, fragmentation: 4.9 }, OPTIONS)).toBeUndefined();
    expect(indexDecision({ pages: 999, fragmentation: 90 }, OPTIONS)).toBeUndefined();
    expect(indexDecision({ pages: 1000, fragmentation: undefined }, OPTIONS)).toBeUndefined();
    expect(indexDecision({ pages: 1, fragmentation: 0 }, { ...OPTIONS, allIndexes: true })).toBe("rebuild");
    expect(statisticsDue(10, 100, OPTIONS)).toBe(true);
    expect(statisticsDue(9, 100, OPTIONS)).toBe(false);
    expect(statisticsDue(0, 0, OPTIONS)).toBe(false);
    expect(statisticsDue(3, 0, OPTIONS)).toBe(true);
  });

  it("estimates B-tree bloat: none for a packed index, most of it after 90 % of the rows went", () => {
    const packed = { blockSize: 8192, keyWidth: 33, fillfactor: 90, liveTuples: 0 };
    // 100,000 entries of 33 bytes: 48 + 4 bytes each, 141 per leaf page → 710 leaf pages, 6 internal, the metapage.
    expect(estimateBtreeBloat({ ...packed, bytes: 717 * 8192, indexTuples: 100_000 })).toBe(0);
    expect(estimateBtreeBloat({ ...packed, bytes: 717 * 8192, indexTuples: 10_000 })).toBeGreaterThan(88);
    expect(estimateBtreeBloat({ ...packed, bytes: 8192, indexTuples: 0 })).toBe(0);
    expect(estimateBtreeBloat({ ...packed, bytes: 100 * 8192, indexTuples: -1, liveTuples: 0 })).toBeGreaterThan(97);
    expect(bloatFromPgstatindex({ avgLeafDensity: 90, leafPages: 100, internalPages: 1, indexSize: 102 * 8192 }, 8192, 90)).toBe(0);
    expect(bloatFromPgstatindex({ avgLeafDensity: 9, leafPages: 100, internalPages: 1, indexSize: 102 * 8192 }, 8192, 90)).toBeCloseTo(88.2, 1);
    expect(bloatFromPgstatindex({ avgLeafDensity: Number.NaN, leafPages: 0, internalPages: 0, indexSize: 8192 }, 8192, 90)).toBe(0);
  });

  it("goes on after a statement that fails, logging it, and counts only what ran", async () => {
    const sent: string[] = [];
    const session = {
      throwIfAborted: () => {},
      query: async (sql: string) => {
        sent.push(sql);
        if (sql.includes("broken")) throw new Error("lock request time out period exceeded");
        return [];
      },
    } as unknown as Session;
    const logs: [LogLevel, string][] = [];
    const context = { ...harness(undefined as never).context, log: (level: LogLevel, message: string) => logs.push([level, message]) };
    const run = new MaintenanceRun(context, session, OPTIONS);
    await run.performAll([
      { kind: "rebuild", sql: "REINDEX broken", reason: "bloat 50%, 9 pages" },
      { kind: "rebuild", sql: "REINDEX fine", reason: "bloat 40%, 9 pages" },
      { kind: "statistics", sql: "ANALYZE t", reason: "r" },
    ]);
    expect(sent).toEqual(["REINDEX broken", "REINDEX fine", "ANALYZE t"]);
    expect(run.counters).toMatchObject({ indexesRebuilt: 1, statisticsUpdated: 1 });
    expect(run.failures).toEqual(["REINDEX broken failed: lock request time out period exceeded"]);
    expect(logs.filter(([level]) => level !== "Debug")).toEqual([
      ["Information", "REINDEX broken (bloat 50%, 9 pages)"],
      ["Error", "REINDEX broken failed: lock request time out period exceeded"],
      ["Information", "REINDEX fine (bloat 40%, 9 pages)"],
      ["Information", "ANALYZE t (r)"],
    ]);
    expect(run.didWork).toBe(true);
  });

  it("measures SQLite bloat against the pages the index content fills, and analyses tables whose row count moved", () => {
    expect(sqliteBloat({ indexName: "i", tableName: "t", pages: 1, bytes: 4096, unused: 4000 })).toBe(0);
    expect(sqliteBloat({ indexName: "i", tableName: "t", pages: 36, bytes: 36 * 4096, unused: 80_082 })).toBeCloseTo(52.8, 1);
    const quote = (s: string) => `"${s}"`;
    expect(planSqliteStatistics([
      { tableName: "never", rows: 5, analysedRows: undefined },
      { tableName: "empty", rows: 0, analysedRows: undefined },
      { tableName: "grown", rows: 111, analysedRows: 100 },
      { tableName: "steady", rows: 105, analysedRows: 100 },
    ], OPTIONS, quote).map((a) => `${a.sql} (${a.reason})`)).toEqual([
      'ANALYZE "never" (5 rows, never analysed)',
      'ANALYZE "grown" (100 rows when last analysed, 111 now (11%))',
    ]);
  });
});

/** The fixture, as a comment block at the head of the snapshot: what the plans below were made from. */
function fixture(indexes: MssqlIndexRow[], statistics: MssqlStatisticsRow[]): string {
  return [
    "-- fixture: indexes (dm_db_index_physical_stats)",
    ...indexes.map((r) => `--   ${r.schemaName}.${r.tableName}.${r.indexName}: ${r.pageCount} pages, fragmentation ${r.fragmentation}%`),
    "-- fixture: statistics (dm_db_stats_properties)",
    ...statistics.map((r) => `--   ${r.schemaName}.${r.tableName}.${r.statisticsName}: ${r.modificationCounter} of ${r.rowCount} rows modified`),
    "",
  ].join("\n");
}

/** A planned statement of the snapshot: what it is for, why, then its T-SQL. */
function planned(name: string, actions: Action[]): string {
  if (actions.length === 0) return `-- ${name}: nothing\n`;
  return actions.map((a) => `-- ${name}: ${a.kind} (${a.reason})\n${a.sql};\n`).join("\n");
}

describe("MaintainIndexesTask on SQL Server (offline)", () => {
  const indexes: MssqlIndexRow[] = [
    { schemaName: "dbo", tableName: "idm_items", indexName: "PK_idm_items", pageCount: 2000, fragmentation: 50 },
    { schemaName: "dbo", tableName: "idm_task_logs", indexName: "IX_idm_task_logs_job_instance_id", pageCount: 1500, fragmentation: 10 },
    { schemaName: "dbo", tableName: "idm_task_logs", indexName: "PK_idm_task_logs", pageCount: 5000, fragmentation: 2 },
    { schemaName: "dbo", tableName: "idm_leases", indexName: "PK_idm_leases", pageCount: 12, fragmentation: 80 },
    { schemaName: "odd]schema", tableName: 'odd"table', indexName: "IX_odd]name", pageCount: 1000, fragmentation: 30 },
  ];
  const statistics: MssqlStatisticsRow[] = [
    { schemaName: "dbo", tableName: "idm_task_logs", statisticsName: "PK_idm_task_logs", rowCount: 100_000, modificationCounter: 15_000 },
    { schemaName: "dbo", tableName: "idm_task_logs", statisticsName: "_WA_Sys_00000004_1234", rowCount: 100_000, modificationCounter: 12_000 },
    { schemaName: "dbo", tableName: "idm_items", statisticsName: "PK_idm_items", rowCount: 100_000, modificationCounter: 500 },
    { schemaName: "dbo", tableName: "idm_leases", statisticsName: "PK_idm_leases", rowCount: 0, modificationCounter: 3 },
  ];

  it("plans from a fixture of index and statistics rows", async () => {
    const { dataSource } = await offlineMssqlStore();
    const quote = (s: string) => dataSource.driver.escape(s);
    const rebuild = planMssqlIndexes(indexes, OPTIONS, true, quote).actions;
    expect(rebuild.map((a) => a.sql)).toEqual([
      'ALTER INDEX "PK_idm_items" ON "dbo"."idm_items" REBUILD WITH (ONLINE = ON)',
      'ALTER INDEX "IX_idm_task_logs_job_instance_id" ON "dbo"."idm_task_logs" REORGANIZE',
      'ALTER INDEX "IX_odd]name" ON "odd]schema"."odd""table" REBUILD WITH (ONLINE = ON)',
    ]);
    expect(planMssqlIndexes(indexes, { ...OPTIONS, offline: true }, true, quote).actions.map((a) => a.sql)).not.toContainEqual(expect.stringContaining("ONLINE"));
    expect(planMssqlStatistics(statistics, OPTIONS, quote).map((a) => a.sql)).toEqual([
      'UPDATE STATISTICS "dbo"."idm_task_logs"',
      'UPDATE STATISTICS "dbo"."idm_leases"',
    ]);
    expect([3, 5, 8].map(onlineIndexOperations)).toEqual([true, true, true]);
    expect([2, 4, 6].map(onlineIndexOperations)).toEqual([false, false, false]);
  });

  it("runs its statements without the driver's request timeout, and cancels them with the signal", async () => {
    const made: { overrides: unknown; cancelled: number }[] = [];
    let finish: (rows: unknown[]) => void = () => {};
    const driver: MssqlDriver = {
      obtainMasterConnection: async () => "pool",
      mssql: {
        Request: class {
          readonly state: { overrides: unknown; cancelled: number };
          constructor(parent: unknown, overrides?: unknown) {
            expect(parent).toBe("pool");
            this.state = { overrides, cancelled: 0 };
            made.push(this.state);
          }
          query(): Promise<{ recordset?: unknown[] }> {
            return new Promise((resolve) => (finish = (rows) => resolve({ recordset: rows })));
          }
          cancel(): void {
            this.state.cancelled++;
          }
        },
      },
    };
    const controller = new AbortController();
    const query = mssqlUnbounded(driver, controller.signal);
    const first = query("ALTER INDEX …");
    await sleep(0);
    finish([{ a: 1 }]);
    await expect(first).resolves.toEqual([{ a: 1 }]);
    const second = query("ALTER INDEX …");
    await sleep(0);
    controller.abort();
    finish([]);
    await second;
    expect(made).toEqual([{ overrides: { requestTimeout: 0 }, cancelled: 0 }, { overrides: { requestTimeout: 0 }, cancelled: 1 }]);
  });

  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const quote = (s: string) => dataSource.driver.escape(s);
    const sql = [
      fixture(indexes, statistics),
      statement("the edition (online index operations: 3, 5, 8)", MSSQL_EDITION),
      statement("fragmentation of every rowstore index", MSSQL_INDEX_STATS),
      statement("statistics modified since computed", MSSQL_STATISTICS),
      planned("indexes, defaults (rebuild ≥ 30 %, reorganise ≥ 5 %, ≥ 1000 pages)", planMssqlIndexes(indexes, OPTIONS, true, quote).actions),
      planned("indexes, Offline", planMssqlIndexes(indexes, { ...OPTIONS, offline: true }, true, quote).actions),
      planned("indexes, edition without online rebuild", planMssqlIndexes(indexes, OPTIONS, false, quote).actions),
      planned("indexes, AllIndexes", planMssqlIndexes(indexes, { ...OPTIONS, allIndexes: true }, true, quote).actions),
      planned("indexes, thresholds 60/40", planMssqlIndexes(indexes, { ...OPTIONS, rebuildThreshold: 60, reorganizeThreshold: 40 }, true, quote).actions),
      planned("statistics, UpdateStatsThreshold 10 %", planMssqlStatistics(statistics, OPTIONS, quote)),
      planned("statistics, UpdateStatsThreshold 20 %", planMssqlStatistics(statistics, { ...OPTIONS, updateStatsThreshold: 20 }, quote)),
      statement("repair: job instances gone behind their task instances", selectMissingJobInstancesOfTasks(m)),
      statement("repair: job instances gone behind their log lines", selectMissingJobInstancesOfLogs(m)),
      statement("repair: task instances gone behind their log lines", selectMissingTaskInstancesOfLogs(m)),
      statement("repair: task instances of job instances gone that other job instances' log lines refer to", selectOrphanTaskInstancesOfLogs(m)),
      statement("repair: delete the log lines of those task instances", deleteLogsOfTaskInstances(m, [4, 5])),
      statement("repair: InProgress instances of other runs (their job lease is read next)", selectOtherInProgressInstances(m, 7)),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-maintain-indexes.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`/);
  });
});

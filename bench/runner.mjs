// npm run bench:runner — the job runner's overhead per task: one Job of 1,000 trivial tasks in 100
// levels, run end to end by runJob, as a median in ms per task and as a ratio to the raw limit: the
// database writes a task instance needs, sent straight to the driver on the same database in the same
// run, alternated with the runner's runs (IDM_BENCH_RUNNER_RUNS, 9). On SQLite, and on PostgreSQL
// when IDM_TEST_POSTGRES_URL is set.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_SETTINGS } from "../dist/config/settings.js";
import { validateFolder } from "../dist/config/validate-folder.js";
import { deploy } from "../dist/deploy/apply.js";
import { DEFAULT_DELETION_GUARD } from "../dist/deploy/deletion-guard.js";
import { buildItems } from "../dist/config/items.js";
import { runJob } from "../dist/jobs/runner.js";
import { ENTITY } from "../dist/store/entities.js";
import { batchSize, bulkInsert } from "../dist/store/statements.js";
import { registerTask } from "../dist/tasks/registry.js";
import { benchBackends } from "./backends.mjs";

const TASKS = 1_000;
const PER_LEVEL = 10;
const RUNS = Number(process.env.IDM_BENCH_RUNNER_RUNS ?? 9);
const JOB = "BenchJob";
const SETTINGS = DEFAULT_SETTINGS; // MaxTaskBatchSize 5: 200 launch groups
const TARGET_MS_PER_TASK = 5; // on SQLite
const TARGET_RATIO = 3;
const root = mkdtempSync(join(tmpdir(), "idm-bench-runner-"));

const backends = benchBackends(root);

/** One Job of TASKS MaintainIndexesTasks, PER_LEVEL per Level, no dependencies between them. */
function writeJobFolder(dir) {
  const tasks = Array.from({ length: TASKS }, (_, i) =>
    `    <MaintainIndexesTask Identifier="T_${i}" DisplayName_L1="Task ${i}" Level="${Math.floor(i / PER_LEVEL)}"/>`);
  writeFileSync(join(dir, "jobs.xml"), `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <Job Identifier="${JOB}" DisplayName_L1="Runner benchmark">
${tasks.join("\n")}
  </Job>
</ConfigurationFile>
`);
}

async function deployFolder(store, dir) {
  const result = validateFolder(dir);
  const errors = result.problems.filter((p) => p.severity === "error");
  if (!result.valid || errors.length > 0) throw new Error(`invalid configuration: ${JSON.stringify(errors.slice(0, 3))}`);
  await deploy(store, buildItems(result.configuration), {
    sourceFolder: dir, guard: DEFAULT_DELETION_GUARD, allowDeletes: true, lease: { waitMs: 30_000, ttlMs: 60_000 },
  });
}

function median(times) {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function timed(fn) {
  globalThis.gc?.();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * The raw limit: what the database must do for one run, with nothing of the runner around it.
 * One job instance insert (its snapshot text as large as the runner's) and its final update; the
 * Pending rows of the tasks in multi-row INSERTs of the same batch size as the runner's, read back
 * for their ids; per task one UPDATE to InProgress and one UPDATE to Succeeded, each statement on its
 * own (autocommit, as the runner sends them), the updates of MaxTaskBatchSize tasks sent together as
 * the runner's launch groups are.
 */
function rawRunner(store, snapshot) {
  const ds = store.dataSource;
  const driver = ds.driver;
  const q = (name) => driver.escape(name);
  const p = (i) => driver.createParameter(`p${i}`, i);
  const jobMeta = ds.getMetadata(ENTITY.jobInstance);
  const taskMeta = ds.getMetadata(ENTITY.taskInstance);
  // Values converted by the driver as TypeORM does (Date and boolean for SQLite).
  const value = (meta, property, v) => driver.preparePersistentValue(v, meta.findColumnWithPropertyName(property));
  const names = (meta, properties) => properties.map((x) => q(meta.findColumnWithPropertyName(x).databaseName));
  const insertSql = (meta, properties) =>
    `INSERT INTO ${q(meta.tableName)} (${names(meta, properties).join(", ")}) VALUES (${properties.map((_, i) => p(i)).join(", ")})`;
  const updateSql = (meta, properties) =>
    `UPDATE ${q(meta.tableName)} SET ${names(meta, properties).map((n, i) => `${n} = ${p(i)}`).join(", ")} WHERE ${q("id")} = ${p(properties.length)}`;
  const returning = store.dialect === "postgres" ? ` RETURNING ${q("id")}` : "";
  // dataSource.query returns the rows of RETURNING on PostgreSQL, lastInsertRowid on SQLite.
  const insertedId = (result) => Number(store.dialect === "postgres" ? result[0].id : result);

  const jobProps = ["job", "state", "trigger", "user", "host", "pid", "startedAt", "endedAt", "cancelRequested", "forced", "deploymentId", "selection", "snapshot"];
  const taskProps = ["jobInstanceId", "task", "taskType", "level", "launchOrder", "groupIndex", "state", "startedAt", "endedAt", "attempt", "didWork", "counters", "error"];
  const startProps = ["state", "attempt", "startedAt", "endedAt", "error"];
  const endProps = ["state", "endedAt", "didWork", "counters", "error"];
  const sql = {
    insertJob: insertSql(jobMeta, jobProps) + returning,
    endJob: updateSql(jobMeta, ["state", "endedAt"]),
    selectTasks: `SELECT ${q("id")} FROM ${q(taskMeta.tableName)} WHERE ${q("job_instance_id")} = ${p(0)} ORDER BY ${q("id")}`,
    startTask: updateSql(taskMeta, startProps),
    endTask: updateSql(taskMeta, endProps),
  };
  const values = (meta, properties, row) => properties.map((x) => value(meta, x, row[x]));
  // The most direct means each driver has: on PostgreSQL pg's pool with named (prepared) statements,
  // on SQLite TypeORM's better-sqlite3 runner, which already keeps each text prepared.
  const pool = store.dialect === "postgres" ? ds.driver.master : undefined;
  const statementNames = new Map();
  const query = async (text, parameters) => {
    if (pool === undefined) return ds.query(text, parameters);
    const name = statementNames.get(text) ?? statementNames.set(text, `bench_runner_${statementNames.size}`).get(text);
    return (await pool.query({ name, text, values: parameters })).rows;
  };

  return async () => {
    const job = {
      job: JOB, state: "InProgress", trigger: "cli", user: "bench", host: "bench", pid: process.pid, startedAt: new Date(), endedAt: null,
      cancelRequested: false, forced: false, deploymentId: null, selection: null, snapshot,
    };
    const jobId = insertedId(await query(sql.insertJob, values(jobMeta, jobProps, job)));
    const rows = Array.from({ length: TASKS }, (_, i) => ({
      jobInstanceId: jobId, task: `T_${i}`, taskType: "MaintainIndexesTask", level: Math.floor(i / PER_LEVEL), launchOrder: i + 1,
      groupIndex: Math.floor(i / SETTINGS.jobs.maxTaskBatchSize), state: "Pending", startedAt: null, endedAt: null,
      attempt: 0, didWork: false, counters: null, error: null,
    }));
    const size = batchSize(store.dialect, taskProps.length);
    for (let i = 0; i < rows.length; i += size) {
      const { sql: insert, parameters } = bulkInsert(ds.manager, ENTITY.taskInstance, rows.slice(i, i + size));
      await query(insert, parameters);
    }
    const ids = (await query(sql.selectTasks, [jobId])).map((r) => Number(r.id));
    const oneTask = async (id) => {
      await query(sql.startTask, [...values(taskMeta, startProps, { state: "InProgress", attempt: 1, startedAt: new Date(), endedAt: null, error: null }), id]);
      await query(sql.endTask, [...values(taskMeta, endProps, { state: "Succeeded", endedAt: new Date(), didWork: false, counters: null, error: null }), id]);
    };
    for (let i = 0; i < ids.length; i += SETTINGS.jobs.maxTaskBatchSize) {
      await Promise.all(ids.slice(i, i + SETTINGS.jobs.maxTaskBatchSize).map(oneTask));
    }
    await query(sql.endJob, [...values(jobMeta, ["state", "endedAt"], { state: "Succeeded", endedAt: new Date() }), jobId]);
  };
}

// Bench code: a handler that does nothing, so that what is timed is the runner's own overhead
// (states, logs, lease, snapshot), not a task's work. Registered here only, taken back at the end.
const unregister = registerTask({
  type: "MaintainIndexesTask",
  side: "server",
  run: async () => ({ state: "Succeeded", didWork: false }),
});

const configDir = mkdtempSync(join(root, "config-"));
writeJobFolder(configDir);
const lines = [];
try {
  for (const backend of backends) {
    const store = await backend.fresh();
    try {
      await deployFolder(store, configDir);
      const runOnce = async () => {
        const summary = await runJob(JOB, { store, settings: SETTINGS, trigger: "cli" });
        if (summary.state !== "Succeeded" || summary.tasks.length !== TASKS) throw new Error(`run ended ${summary.state} with ${summary.tasks.length} tasks`);
        return summary;
      };
      // Warm-up; its instance gives the raw limit a snapshot of the same size as the runner's.
      const { instanceId } = await runOnce();
      const [{ snapshot }] = await store.dataSource.query(
        `SELECT ${store.dataSource.driver.escape("snapshot")} FROM ${store.dataSource.driver.escape("idm_job_instances")} WHERE ${store.dataSource.driver.escape("id")} = ${store.dataSource.driver.createParameter("p0", 0)}`,
        [instanceId]);
      const raw = rawRunner(store, snapshot);
      await raw();
      // Alternated, so that a database growing with every run weighs on both alike.
      const runnerTimes = [];
      const rawTimes = [];
      for (let i = 0; i < RUNS; i++) {
        runnerTimes.push(await timed(runOnce));
        rawTimes.push(await timed(raw));
      }
      const runner = median(runnerTimes) / TASKS;
      const rawMs = median(rawTimes) / TASKS;
      const pairs = runnerTimes.map((t, i) => t / rawTimes[i]);
      lines.push({ backend: backend.name, runner, raw: rawMs, ratio: runner / rawMs, min: Math.min(...pairs), max: Math.max(...pairs) });
    } finally {
      await store.close();
    }
  }
} finally {
  unregister();
  rmSync(root, { recursive: true, force: true });
}

console.log(`${TASKS} tasks, ${TASKS / PER_LEVEL} levels, MaxTaskBatchSize ${SETTINGS.jobs.maxTaskBatchSize}, median of ${RUNS} runs after 1 warm-up`);
console.log("backend   runner ms/task  target  raw ms/task  runner/raw (pairs min–max)  target");
for (const l of lines) {
  const target = l.backend === "sqlite" ? `<= ${TARGET_MS_PER_TASK}` : "-";
  console.log(`${l.backend.padEnd(9)} ${l.runner.toFixed(3).padEnd(15)} ${target.padEnd(7)} ${l.raw.toFixed(3).padEnd(12)} ${`${l.ratio.toFixed(2)} (${l.min.toFixed(2)}–${l.max.toFixed(2)})`.padEnd(26)} <= ${TARGET_RATIO}`);
}
console.log("\nraw = the Pending rows in multi-row INSERTs, then per task UPDATE (InProgress) + UPDATE (Succeeded); per run one job instance insert and update; PostgreSQL: pg's pool with named prepared statements; SQLite: TypeORM's better-sqlite3 runner (statements kept prepared)");

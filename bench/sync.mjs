// npm run bench:sync — 1,000,000 generated people through PrepareSynchronizationTask +
// SynchronizeTask in Complete mode into an empty database, then Incremental runs with 1% of the rows
// changed: first as an incremental export delivers them (only the changed rows, with a command
// column: Type="Changes"), then as a full export diffed against the previous one. Each step's
// median, spread and rows/s, and the ratio of the Complete load to the raw limit: the same rows,
// pre-hashed, bulk-inserted straight through the driver with prepared statements (sync-raw.mjs).
// Raw and measured runs alternate, IDM_BENCH_SYNC_RUNS times (3), each in a child process of its own
// (this script with --measured <backend> is the measured one). On SQLite, and on
// PostgreSQL when IDM_TEST_POSTGRES_URL is set. IDM_BENCH_SYNC_ROWS sets a smaller (or larger) size.
import { execFile } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_SETTINGS } from "../dist/config/settings.js";
import { validateFolder } from "../dist/config/validate-folder.js";
import { buildItems } from "../dist/config/items.js";
import { runDeploy } from "../dist/deploy/run-deploy.js";
import { ENTITY } from "../dist/store/entities.js";
import prepareSynchronization from "../dist/tasks/prepare-synchronization.js";
import synchronizeTask from "../dist/tasks/synchronize.js";
import { benchBackends } from "./backends.mjs";
import { fmt, median, spread, timed } from "./measure.mjs";
import { CHANGED_EVERY, COLUMNS, CONNECTOR, ENTITY_TYPE, PROPERTIES, TABLE, person } from "./sync-people.mjs";

const ROWS = Number(process.env.IDM_BENCH_SYNC_ROWS ?? 1_000_000);
const RUNS = Number(process.env.IDM_BENCH_SYNC_RUNS ?? 3);
const TARGET_COMPLETE_RATIO = 3;
const TARGET_INCREMENTAL_PERCENT = 5;
const TARGET_FULL_FILE_PERCENT = 15;
const TARGET_PEAK_RSS_MB = 300;
const root = realpathSync(mkdtempSync(join(tmpdir(), "idm-bench-sync-")));

// ---------------------------------------------------------------------------------------------
// The configuration: one connector, one CSV connection and table, one entity type, its mapping
// (the shape of conf-samples/demo/HR, without the associations).

function writeConfig(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Agents.xml"), `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <Language Code="en-US" IndicatorNumber="1" DisplayName_L1="English" />
  <Agent Identifier="Local" DisplayName_L1="Local agent" URI="http://localhost:5000" />
</ConfigurationFile>
`);
  const column = (c, i) => `    <Column Identifier="${c}" DisplayName="${c}"${i === 0 ? ' KeyType="Primary"' : ""}${c === "contract_start" ? ' ValueType="DateTime"' : ""} />`;
  const property = (p, i) =>
    `    <Property Identifier="${p}" DisplayName_L1="${p}" ${i === 0 ? 'IsKey="true" ' : ""}TargetColumnIndex="${4 + i}" Type="${p === "ContractStartDate" ? "DateTime" : "String"}" />`;
  const mapped = (p, i) =>
    `    <Property Identifier="${p}" ConnectionColumn="${COLUMNS[i]}"${i === 0 ? ' IsPrimaryKey="true" IsUniqueKey="true"' : ""}${p === "ContractStartDate" ? ' Format="yyyy-MM-dd"' : ""} />`;
  writeFileSync(join(dir, "Connector.xml"), `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <!-- A load into an empty database inserts everything: the thresholds are off (0), not forced. -->
  <Connector Identifier="${CONNECTOR}" DisplayName_L1="Bench" Agent="Local" ${["Inserted", "Updated", "Deleted"].map((op) => `Maximum${op}Lines="0" MaxPercentage${op}Lines="0"`).join(" ")} />
  <Connection Identifier="${TABLE}" DisplayName_L1="Bench people file (CSV)" Connector="${CONNECTOR}" Package="Usercube.CSV@0000001" />
  <ConnectionTable Identifier="${TABLE}" Connection="${TABLE}" DisplayName="Bench people file">
${COLUMNS.map(column).join("\n")}
  </ConnectionTable>
  <EntityType Identifier="${ENTITY_TYPE}" DisplayName_L1="Bench - Person">
${PROPERTIES.map(property).join("\n")}
  </EntityType>
  <EntityTypeMapping Identifier="${ENTITY_TYPE}" Connector="${CONNECTOR}" ConnectionTable="${TABLE}">
${PROPERTIES.map(mapped).join("\n")}
  </EntityTypeMapping>
</ConfigurationFile>
`);
}

/** An incremental export: the rows `round` changed, each with its command. */
async function writeChanges(path, round) {
  const lines = [["command", ...COLUMNS].join(",")];
  for (let n = 0; n < ROWS; n++) {
    const i = (n * 7919) % ROWS;
    if (i % CHANGED_EVERY === 0) lines.push(["update", ...person(i, round)].join(","));
  }
  writeFileSync(path, lines.join("\r\n") + "\r\n");
}

/** The export file, rows in a scrambled (not key) order so that the prepare really sorts. */
async function writePeople(path, round) {
  const out = createWriteStream(path);
  let text = COLUMNS.join(",") + "\r\n";
  for (let n = 0; n < ROWS; n++) {
    const i = (n * 7919) % ROWS; // 7919 is prime: a permutation of 0..ROWS-1 unless ROWS is a multiple of it
    text += person(i, round).join(",") + "\r\n";
    if (text.length >= 256 * 1024) {
      if (!out.write(text)) await once(out, "drain");
      text = "";
    }
  }
  out.end(text);
  await once(out, "finish");
}

// ---------------------------------------------------------------------------------------------
function snapshot(identifier, type, attributes) {
  return { identifier, type, attributes: { Connector: CONNECTOR, ...attributes }, dependsOn: [], entityTypes: [], resourceTypes: [], source: undefined };
}

function contextFor(store, folders, configuration, instanceId, logs) {
  return {
    store,
    settings: { ...DEFAULT_SETTINGS, paths: folders },
    job: { identifier: "Bench_Synchro", instanceId },
    paths: { configuration, ...folders },
    force: false,
    signal: new AbortController().signal,
    log: (level, message) => logs.push([level, message]),
    progress: () => undefined,
  };
}

/** A job instance with the synchronize task's instance, as the runner writes them. */
async function jobInstance(store) {
  const m = store.dataSource.manager;
  const job = await m.getRepository(ENTITY.jobInstance).save({
    job: "Bench_Synchro", state: "InProgress", trigger: "cli", user: "bench", host: "bench", pid: process.pid, startedAt: new Date(),
    endedAt: null, cancelRequested: false, forced: false, deploymentId: null, selection: null, snapshot: "{}",
  });
  await m.getRepository(ENTITY.taskInstance).save({
    jobInstanceId: job.id, task: "Bench_Synchronize", taskType: "SynchronizeTask", level: 0, launchOrder: 1, groupIndex: 0, state: "InProgress",
    startedAt: new Date(), endedAt: null, attempt: 1, didWork: false, counters: null, error: null,
  });
  return job.id;
}


function succeeded(what, result) {
  if (result.state !== "Succeeded" || !result.didWork) throw new Error(`${what} ended ${result.state} (didWork ${result.didWork}): ${result.message ?? ""}`);
  return result;
}

/** Prepare + Synchronize Complete into the empty store, then the 1% Incremental. */
async function synchronizeRun(store, dir) {
  const configuration = join(dir, "config");
  writeConfig(configuration);
  const validation = validateFolder(configuration);
  const errors = validation.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new Error(`invalid configuration: ${errors.map((e) => e.message).join("; ")}`);
  await runDeploy(DEFAULT_SETTINGS, store, buildItems(validation.configuration), { sourceFolder: configuration, allowDeletes: false, lockTimeoutSeconds: 5 });

  const folders = { work: join(dir, "work"), temp: join(dir, "temp"), export: join(dir, "export") };
  for (const f of Object.values(folders)) mkdirSync(f, { recursive: true });
  const logs = [];
  const csv = join(folders.export, `${TABLE}.csv`);
  const steps = {};
  const prepare = (mode, attributes = {}) =>
    timed(async () => succeeded(`prepare ${mode}`, await prepareSynchronization.run(contextFor(store, folders, configuration, 1, logs), snapshot("Bench_Prepare", "PrepareSynchronizationTask", { SynchronizationMode: mode, ...attributes }))));
  const sync = async () => {
    const instanceId = await jobInstance(store);
    return timed(async () => succeeded("synchronize", await synchronizeTask.run(contextFor(store, folders, configuration, instanceId, logs), snapshot("Bench_Synchronize", "SynchronizeTask", {}))));
  };

  steps.csv = await timed(() => writePeople(csv, 0));
  steps.prepareComplete = await prepare("Complete");
  steps.syncComplete = await sync();
  steps.csvChanges = await timed(() => writeChanges(csv, 1));
  steps.prepareChanges = await prepare("Incremental", { Type: "Changes" });
  steps.syncChanges = await sync();
  steps.csvChanged = await timed(() => writePeople(csv, 2));
  steps.prepareIncremental = await prepare("Incremental");
  steps.syncIncremental = await sync();
  const warnings = logs.filter(([level]) => level === "Warning" || level === "Error");
  return { steps, warnings };
}

/** The raw limit, in a child process (sync-raw.mjs): its milliseconds and the hash it stored for the first row. */
async function rawRun(backend) {
  const script = new URL("./sync-raw.mjs", import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", script, backend, String(ROWS), root], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop());
}

/** One measured run into a fresh store (in this process: the child's part): its steps, and the hash it stored for the first row. */
async function measuredRun(backend) {
  const dir = mkdtempSync(join(root, `${backend.name}-`));
  const store = await backend.fresh();
  try {
    const run = await synchronizeRun(store, dir);
    const [{ n }] = await store.dataSource.query(`SELECT COUNT(*) AS n FROM idm_resources WHERE entity_type = '${ENTITY_TYPE}'`);
    if (Number(n) !== ROWS) throw new Error(`the synchronization stored ${n} rows, not ${ROWS}`);
    const [{ hash }] = await store.dataSource.query(`SELECT hash FROM idm_resource_history WHERE source_key = '${person(0, 0)[0]}' ORDER BY id LIMIT 1`);
    return { ...run, firstHash: hash };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A measured run in a child process of its own, as a job runs in an idm process: its peak RSS is its own. */
async function measuredChild(backend) {
  const script = new URL(import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", script, "--measured", backend], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop());
}

if (process.argv[2] === "--measured") {
  try {
    const run = await measuredRun(benchBackends(root).find((b) => b.name === process.argv[3]));
    console.log(JSON.stringify(run));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  process.exit(0);
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const loadBefore = load();
const lines = [];
try {
  for (const backend of benchBackends(root)) {
    const rounds = [];
    for (let r = 0; r < RUNS; r++) {
      const raw = await rawRun(backend.name);
      const run = await measuredChild(backend.name);
      if (run.firstHash !== raw.firstHash) throw new Error(`the raw limit stores other rows than the synchronization (hash ${raw.firstHash}, not ${run.firstHash})`);
      rounds.push({ raw, ...run });
    }
    lines.push({ backend: backend.name, rounds });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const ms = (n) => fmt(n);
const ratio = (n) => n.toFixed(2);
const percent = (n) => `${n.toFixed(1)}%`;
const changed = Math.floor((ROWS - 1) / CHANGED_EVERY) + 1;

console.log(`${fmt(ROWS)} people × ${COLUMNS.length} columns: Complete into an empty database, then Incremental with ${100 / CHANGED_EVERY}% changed;` +
  ` ${RUNS} alternated runs of the raw limit and of the synchronization, medians (min–max)`);
for (const l of lines) {
  const steps = l.rounds.map((r) => r.steps);
  const of = (name) => steps.map((s) => s[name].ms);
  const complete = steps.map((s) => s.prepareComplete.ms + s.syncComplete.ms);
  const fromChanges = steps.map((s) => s.prepareChanges.ms + s.syncChanges.ms);
  const fromFile = steps.map((s) => s.prepareIncremental.ms + s.syncIncremental.ms);
  const raw = l.rounds.map((r) => r.raw.ms);
  const peak = Math.max(...steps.map((s) => s.syncIncremental.maxRssMb));
  console.log(`\n${l.backend}`);
  console.log(`${"step".padEnd(32)} ${"ms, median (min–max)".padEnd(28)} ${"rows/s".padEnd(11)} ${"max RSS MB".padEnd(11)} counters (last run)`);
  const row = (name, values, rows, rss = "", counters = "") =>
    console.log(`${name.padEnd(32)} ${spread(values, ms).padEnd(28)} ${fmt(rows / (median(values) / 1000)).padEnd(11)} ${String(rss).padEnd(11)} ${counters}`);
  const rss = (name) => fmt(Math.max(...steps.map((s) => s[name].maxRssMb)));
  const counters = (name) => JSON.stringify(steps.at(-1)[name].result.counters);
  row("(write CSV, not counted)", of("csv"), ROWS, rss("csv"));
  row("prepare Complete", of("prepareComplete"), ROWS, rss("prepareComplete"), counters("prepareComplete"));
  row("synchronize Complete", of("syncComplete"), ROWS, rss("syncComplete"), counters("syncComplete"));
  row("Complete (prepare + sync)", complete, ROWS);
  row("raw insert (child process)", raw, ROWS);
  row("(write changes 1%, not counted)", of("csvChanges"), changed);
  row("prepare Incremental changes", of("prepareChanges"), changed, rss("prepareChanges"), counters("prepareChanges"));
  row("synchronize Incremental", of("syncChanges"), changed, rss("syncChanges"), counters("syncChanges"));
  row("Incremental (prepare + sync)", fromChanges, changed);
  row("(rewrite CSV 1%, not counted)", of("csvChanged"), ROWS, rss("csvChanged"));
  row("prepare Incremental full file", of("prepareIncremental"), ROWS, rss("prepareIncremental"), counters("prepareIncremental"));
  row("synchronize Incremental", of("syncIncremental"), changed, rss("syncIncremental"), `${counters("syncIncremental")} (rows/s of the ${fmt(changed)} changed)`);
  row("Incremental from full file", fromFile, ROWS);
  const pairs = (numerator, denominator, scale = 1) => numerator.map((n, i) => (n * scale) / denominator[i]);
  console.log(`${"measure".padEnd(32)} ${"median (min–max)".padEnd(28)} target`);
  console.log(`${"Complete / raw".padEnd(32)} ${spread(pairs(complete, raw), ratio).padEnd(28)} <= ${TARGET_COMPLETE_RATIO}`);
  console.log(`${"synchronize Complete / raw".padEnd(32)} ${spread(pairs(of("syncComplete"), raw), ratio).padEnd(28)}`);
  console.log(`${"Incremental % of Complete".padEnd(32)} ${spread(pairs(fromChanges, complete, 100), percent).padEnd(28)} <= ${TARGET_INCREMENTAL_PERCENT}%`);
  console.log(`${"  from a full file diffed".padEnd(32)} ${spread(pairs(fromFile, complete, 100), percent).padEnd(28)} <= ${TARGET_FULL_FILE_PERCENT}%`);
  console.log(`${"peak RSS MB (maxRSS)".padEnd(32)} ${fmt(peak).padEnd(28)} <= ${TARGET_PEAK_RSS_MB}`);
  const warnings = l.rounds.flatMap((r) => r.warnings);
  if (warnings.length > 0) console.log(`warnings: ${warnings.slice(0, 5).map(([level, m]) => `${level}: ${m}`).join(" | ")}`);
}
console.log(`\nraw = the same ${fmt(ROWS)} rows (the 9 columns the synchronization writes, canonical JSON properties and SHA-256 hash computed before the timing)`);
console.log("inserted into a fresh store's idm_resources in one transaction, by multi-row INSERTs of the product's batch size, straight through the driver:");
console.log("PostgreSQL a named prepared statement (pg { name, text, values }) per full batch, SQLite one better-sqlite3 prepared statement; BEGIN to COMMIT,");
console.log("in a child process (its rows do not count in the measured peak RSS), alternated with the measured runs");
console.log("each measured run (its six steps) runs in a child process of its own; max RSS is that process's high-water mark");
console.log("(process.resourceUsage().maxRSS): it never goes down, so each step's value includes the steps before it");
console.log(`load average (1, 5, 15 min) before: ${loadBefore}, after: ${load()}`);

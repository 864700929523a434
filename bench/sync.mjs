// npm run bench:sync — 1,000,000 generated people through PrepareSynchronizationTask +
// SynchronizeTask in Complete mode into an empty database, then Incremental runs with 1% of the rows
// changed: first as an incremental export delivers them (only the changed rows, with a command
// column: Type="Changes"), then as a full export diffed against the previous one. Rows/s for each
// step, and the ratio of the Complete load to the raw limit measured in the same run: a bulk insert
// of the same rows into idm_resources (multi-row INSERTs through dataSource.query, one transaction)
// with the same driver, into a fresh store (median of three). On SQLite, and on PostgreSQL when
// IDM_TEST_POSTGRES_URL is set.
// IDM_BENCH_SYNC_ROWS sets a smaller (or larger) size.
import { createWriteStream, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_SETTINGS } from "../dist/config/settings.js";
import { validateFolder } from "../dist/config/validate-folder.js";
import { buildItems } from "../dist/config/items.js";
import { runDeploy } from "../dist/deploy/run-deploy.js";
import { encodeProperties, hashProperties } from "../dist/domain/resources/properties.js";
import { ENTITY } from "../dist/store/entities.js";
import { batchSize } from "../dist/store/statements.js";
import prepareSynchronization from "../dist/tasks/prepare-synchronization.js";
import synchronizeTask from "../dist/tasks/synchronize.js";
import { benchBackends } from "./backends.mjs";
import { timed } from "./measure.mjs";

const ROWS = Number(process.env.IDM_BENCH_SYNC_ROWS ?? 1_000_000);
const CHANGED_EVERY = 100; // 1%
const TARGET_COMPLETE_RATIO = 3;
const TARGET_INCREMENTAL_PERCENT = 5;
const CONNECTOR = "Bench";
const TABLE = "BenchPeople";
const ENTITY_TYPE = "Bench_Person";
const root = realpathSync(mkdtempSync(join(tmpdir(), "idm-bench-sync-")));

// ---------------------------------------------------------------------------------------------
// The configuration: one connector, one CSV connection and table, one entity type, its mapping
// (the shape of conf-samples/demo/HR, without the associations).
const COLUMNS = ["employee_id", "first_name", "last_name", "email", "job_title", "department_code", "contract_start"];
const PROPERTIES = ["EmployeeId", "FirstName", "LastName", "Email", "JobTitle", "DepartmentCode", "ContractStartDate"];

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

// ---------------------------------------------------------------------------------------------
// The people: deterministic, row i of `round` (round 1 changes the job title of every 100th row).
const FIRST = ["Alice", "Bob", "Carol", "Dan", "Eve", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil"];
const LAST = ["Durand", "Martin", "Petit", "Roux", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Garcia", "David", "Bertrand"];
const TITLES = ["Developer", "Analyst", "Manager", "Accountant", "Engineer", "Designer", "Consultant", "Administrator", "Sales representative"];

function person(i, round) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  const changed = round > 0 && i % CHANGED_EVERY === 0;
  return [
    `E${String(i).padStart(8, "0")}`,
    first,
    last,
    `${first.toLowerCase()}.${last.toLowerCase()}.${i}@example.com`,
    changed ? `${TITLES[(i * 7) % TITLES.length]} (round ${round})` : TITLES[(i * 7) % TITLES.length],
    `D${String(i % 250).padStart(3, "0")}`,
    `${2000 + (i % 25)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
  ];
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

/** The raw limit: the same rows (JSON properties and SHA-256 hash as the store keeps them) bulk-inserted in one transaction. */
async function rawRun(store, dialect) {
  const columns = ["entity_type", "connector", "source_key", "hash", "properties", "valid_from", "dirty"];
  const perStatement = batchSize(dialect, columns.length);
  const validFrom = dialect === "postgres" ? new Date().toISOString() : new Date().toISOString().replace("T", " ").replace("Z", "");
  const dirty = dialect === "postgres" ? false : 0;
  const placeholder = dialect === "postgres" ? (n) => `$${n + 1}` : () => "?";
  const statementFor = (rows) => {
    let n = 0;
    const tuples = [];
    for (let r = 0; r < rows; r++) tuples.push(`(${columns.map(() => placeholder(n++)).join(", ")})`);
    return `INSERT INTO idm_resources (${columns.join(", ")}) VALUES ${tuples.join(", ")}`;
  };
  const full = statementFor(perStatement);
  const runner = store.dataSource.createQueryRunner();
  return timed(async () => {
    await runner.connect();
    await runner.startTransaction();
    try {
      let parameters = [];
      let rows = 0;
      for (let i = 0; i < ROWS; i++) {
        const values = person(i, 0);
        const properties = encodeProperties(Object.fromEntries(PROPERTIES.map((p, k) => [p, values[k]])));
        parameters.push(ENTITY_TYPE, CONNECTOR, values[0], hashProperties(properties), properties, validFrom, dirty);
        if (++rows === perStatement) {
          await runner.query(full, parameters);
          parameters = [];
          rows = 0;
        }
      }
      if (rows > 0) await runner.query(statementFor(rows), parameters);
      await runner.commitTransaction();
    } catch (e) {
      await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
    const [{ n }] = await store.dataSource.query(`SELECT COUNT(*) AS n FROM idm_resources WHERE entity_type = '${ENTITY_TYPE}'`);
    if (Number(n) !== ROWS) throw new Error(`the raw insert stored ${n} rows, not ${ROWS}`);
  });
}

const lines = [];
try {
  for (const backend of benchBackends(root)) {
    const dir = mkdtempSync(join(root, `${backend.name}-`));
    const store = await backend.fresh();
    let run;
    try {
      run = await synchronizeRun(store, dir);
      const [{ n }] = await store.dataSource.query(`SELECT COUNT(*) AS n FROM idm_resources WHERE entity_type = '${ENTITY_TYPE}'`);
      if (Number(n) !== ROWS) throw new Error(`the synchronization stored ${n} rows, not ${ROWS}`);
    } finally {
      await store.close();
      rmSync(join(dir, "work"), { recursive: true, force: true });
      rmSync(join(dir, "export"), { recursive: true, force: true });
    }
    const raws = [];
    for (let i = 0; i < 3; i++) {
      const rawStore = await backend.fresh();
      try {
        raws.push(await rawRun(rawStore, backend.name === "postgres" ? "postgres" : "sqlite"));
      } finally {
        await rawStore.close();
      }
    }
    const raw = raws.sort((a, b) => a.ms - b.ms)[1];
    lines.push({ backend: backend.name, ...run, raw });
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const fmt = (n, d = 0) => n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const rate = (rows, ms) => fmt(rows / (ms / 1000));
console.log(`${fmt(ROWS)} people × ${COLUMNS.length} columns, Complete into an empty database, then Incremental with ${100 / CHANGED_EVERY}% changed (one run each)`);
for (const l of lines) {
  const s = l.steps;
  const complete = s.prepareComplete.ms + s.syncComplete.ms;
  const fromChanges = s.prepareChanges.ms + s.syncChanges.ms;
  const incremental = s.prepareIncremental.ms + s.syncIncremental.ms;
  const changed = Math.floor((ROWS - 1) / CHANGED_EVERY) + 1;
  console.log(`\n${l.backend}`);
  console.log("step                         ms          rows/s        max RSS MB after   counters");
  const row = (name, step, rows, counters = "") =>
    console.log(`${name.padEnd(28)} ${fmt(step.ms).padEnd(11)} ${rate(rows, step.ms).padEnd(13)} ${fmt(step.maxRssMb).padEnd(18)} ${counters}`);
  const counters = (step) => JSON.stringify(step.result.counters);
  row("(write CSV, not counted)", s.csv, ROWS);
  row("prepare Complete", s.prepareComplete, ROWS, counters(s.prepareComplete));
  row("synchronize Complete", s.syncComplete, ROWS, counters(s.syncComplete));
  row("Complete (prepare + sync)", { ms: complete, maxRssMb: s.syncComplete.maxRssMb }, ROWS);
  row("(write changes 1%, not counted)", s.csvChanges, changed);
  row("prepare Incremental changes", s.prepareChanges, changed, counters(s.prepareChanges));
  row("synchronize Incremental", s.syncChanges, changed, counters(s.syncChanges));
  row("Incremental (prepare + sync)", { ms: fromChanges, maxRssMb: s.syncChanges.maxRssMb }, changed);
  row("(rewrite CSV 1%, not counted)", s.csvChanged, ROWS);
  row("prepare Incremental full file", s.prepareIncremental, ROWS, counters(s.prepareIncremental));
  row("synchronize Incremental", s.syncIncremental, changed, `${counters(s.syncIncremental)} (rows/s of the ${fmt(changed)} changed)`);
  row("Incremental from full file", { ms: incremental, maxRssMb: s.syncIncremental.maxRssMb }, ROWS);
  row("raw bulk insert (median of 3)", l.raw, ROWS);
  console.log("measure                          value      target");
  console.log(`${"Complete / raw".padEnd(32)} ${(complete / l.raw.ms).toFixed(2).padEnd(10)} <= ${TARGET_COMPLETE_RATIO}`);
  console.log(`${"synchronize Complete / raw".padEnd(32)} ${(s.syncComplete.ms / l.raw.ms).toFixed(2).padEnd(10)}`);
  console.log(`${"Incremental % of Complete".padEnd(32)} ${`${(fromChanges * 100 / complete).toFixed(1)}%`.padEnd(10)} <= ${TARGET_INCREMENTAL_PERCENT}%`);
  console.log(`${"  from a full file diffed".padEnd(32)} ${`${(incremental * 100 / complete).toFixed(1)}%`.padEnd(10)} (reads and sorts every row: no target)`);
  console.log(`${"peak RSS MB (maxRSS)".padEnd(32)} ${fmt(Math.max(s.syncIncremental.maxRssMb, l.raw.maxRssMb))}`);
  if (l.warnings.length > 0) console.log(`warnings: ${l.warnings.slice(0, 5).map(([level, m]) => `${level}: ${m}`).join(" | ")}`);
}
console.log(`\nraw = the same ${fmt(ROWS)} rows (canonical JSON properties + SHA-256 hash computed in the loop) inserted into a fresh store's idm_resources`);
console.log(`by multi-row INSERTs of ${"batchSize(dialect, 7)"} rows through one query runner, in one transaction, with the same driver`);
console.log("max RSS is the process's high-water mark (process.resourceUsage().maxRSS): it never goes down, so each step's value includes the steps before it");

// npm run bench:rolemodel — ComputeRoleModel (its domain function, computeRoleModel, as the task
// calls it) over 100,000 identities with the role model of rolemodel-data.mjs (3 dimensions, 200
// single roles from 1,000 rules, 5 resource types with scalar and navigation rules, a directory of
// accounts and groups): Complete runs from an empty assignment store, alternated with the raw limit
// (rolemodel-raw.mjs, a child process: the same assignment rows bulk-inserted through the driver with
// prepared statements, the product's rows per statement and transactions), then Dirty runs with 1% of
// the identities moved to another organization (link ended and replaced, identity marked dirty, as a
// synchronization leaves them). Medians, spreads (min–max), rows written, peak RSS. On SQLite, and on
// PostgreSQL when IDM_TEST_POSTGRES_URL is set.
// Flags: --identities N (default 100000, or IDM_BENCH_ROLEMODEL_IDENTITIES), --runs N (3, or
// IDM_BENCH_ROLEMODEL_RUNS), --backend sqlite|postgres (one database only).
import { execFile } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { DEFAULT_SETTINGS } from "../dist/config/settings.js";
import { validateFolder } from "../dist/config/validate-folder.js";
import { buildItems } from "../dist/config/items.js";
import { runDeploy } from "../dist/deploy/run-deploy.js";
import { ResourceStore } from "../dist/domain/resources/resource-store.js";
import { computeCorrelationKeys } from "../dist/domain/rolemodel/correlation-keys.js";
import { computeRoleModel, DEFAULT_ROLE_MODEL_BATCH_SIZE } from "../dist/domain/rolemodel/compute-role-model.js";
import { benchBackends } from "./backends.mjs";
import { fmt, median, timed } from "./measure.mjs";
import { changeOrganizations, loadData, PERSON, RESOURCE_TYPES, ROLES, RULES, writeConfig } from "./rolemodel-data.mjs";

const { values: flags } = parseArgs({ options: { identities: { type: "string" }, runs: { type: "string" }, backend: { type: "string" } } });
const IDENTITIES = Number(flags.identities ?? process.env.IDM_BENCH_ROLEMODEL_IDENTITIES ?? 100_000);
const RUNS = Number(flags.runs ?? process.env.IDM_BENCH_ROLEMODEL_RUNS ?? 3);
const DIRTY_EVERY = 100; // 1%
const TARGET_COMPLETE_RATIO = 3;
const TARGET_DIRTY_PERCENT = 3;
const ASSIGNMENT_TABLES = ["idm_assigned_values", "idm_assigned_resource_types", "idm_assigned_contexts", "idm_assigned_roles", "idm_identified_risks", "idm_assignment_history"];
const RAW = fileURLToPath(new URL("./rolemodel-raw.mjs", import.meta.url));
const root = realpathSync(mkdtempSync(join(tmpdir(), "idm-bench-rolemodel-")));
const silent = { signal: new AbortController().signal, log: () => undefined, progress: () => undefined };

const roleModel = (store, dirty) => computeRoleModel({
  store, entityTypes: [PERSON], dirty, batchSize: 0, jobInstanceId: 1, blockProvisioning: false, blockAllResourceTypeProvisioning: false,
  ignoreHistorization: false, ...silent,
});

/** The assignment store emptied (not timed): each Complete run starts from nothing (PostgreSQL: truncated, no dead rows left for the next run). */
async function emptyAssignments(store) {
  if (store.dialect === "postgres") await store.dataSource.query(`TRUNCATE ${ASSIGNMENT_TABLES.join(", ")}`);
  else for (const table of ASSIGNMENT_TABLES) await store.dataSource.query(`DELETE FROM ${table}`);
}

async function rawRun(store) {
  const args = ["--expose-gc", RAW, store.secretUrl(), ...(store.schema ? [store.schema] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop());
}

const written = (c) => c.inserted + c.updated + c.ended + c.deleted;

async function bench(backend) {
  const store = await backend.fresh();
  try {
    const configuration = join(root, `${backend.name}-config`);
    writeConfig(configuration);
    const validation = validateFolder(configuration);
    const errors = validation.problems.filter((p) => p.severity === "error");
    if (errors.length > 0) throw new Error(`invalid configuration: ${errors.map((e) => e.message).join("; ")}`);
    await runDeploy(DEFAULT_SETTINGS, store, buildItems(validation.configuration), { sourceFolder: configuration, allowDeletes: false, lockTimeoutSeconds: 5 });
    const load = await timed(() => loadData(store, IDENTITIES));
    await computeCorrelationKeys({ store, entityTypes: undefined, dirty: false, batchSize: 0, ...silent });
    const completes = [];
    const raws = [];
    for (let i = 0; i < RUNS; i++) {
      await emptyAssignments(store);
      const complete = await timed(() => roleModel(store, false));
      if (complete.result.owners !== IDENTITIES || complete.result.errors !== 0) throw new Error(`Complete: ${JSON.stringify(complete.result)}`);
      completes.push(complete);
      const raw = await rawRun(store);
      const rows = Object.values(raw.counts).reduce((a, b) => a + b, 0);
      if (rows !== complete.result.inserted) throw new Error(`the raw run inserted ${rows} rows, the Complete run ${complete.result.inserted}`);
      raws.push({ ms: raw.ms, result: raw });
    }
    const dirties = [];
    const resources = new ResourceStore(store.dataSource.manager);
    for (let i = 0; i < RUNS; i++) {
      const changed = await changeOrganizations(store, IDENTITIES, DIRTY_EVERY, i, i + 1);
      const dirty = await timed(() => roleModel(store, true));
      if (dirty.result.owners !== changed.length || dirty.result.errors !== 0) throw new Error(`Dirty: ${JSON.stringify(dirty.result)}, expected ${changed.length} owners`);
      dirties.push(dirty);
      await resources.clearDirty(PERSON);
    }
    return { backend: backend.name, load, completes, raws, dirties };
  } finally {
    await store.close();
  }
}

const range = (values) => `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
console.log(`${fmt(IDENTITIES)} identities, ${ROLES} single roles from ${fmt(RULES)} rules over 3 dimensions, ${RESOURCE_TYPES} resource types (scalar + navigation rules)`);
console.log(`Complete (empty assignment store) and raw limit alternated ${RUNS} times, then ${RUNS} Dirty runs with ${100 / DIRTY_EVERY}% of the identities moved to another organization`);

/** One backend's figures, printed as soon as it is done (a run at 100,000 identities takes long on a busy machine). */
function report(r) {
  const c = r.completes.map((x) => x.ms);
  const w = r.raws.map((x) => x.ms);
  const d = r.dirties.map((x) => x.ms);
  const ratios = r.completes.map((x, i) => x.ms / r.raws[i].ms);
  const counters = r.completes[0].result;
  const dirtyCounters = r.dirties[Math.floor(r.dirties.length / 2)].result;
  console.log(`\n${r.backend}: load (resource store API, not timed in the figures) ${fmt(r.load.ms)} ms`);
  console.log("step                         median ms   min–max ms          rows written   rows/s");
  const row = (name, times, rows) => console.log(`${name.padEnd(28)} ${fmt(median(times)).padEnd(11)} ${range(times).padEnd(19)} ${fmt(rows).padEnd(14)} ${fmt(rows / (median(times) / 1000))}`);
  row("Complete", c, written(counters));
  row("raw insert (limit)", w, written(counters));
  row("Dirty 1%", d, written(dirtyCounters));
  console.log(`Complete: ${fmt(counters.owners)} owners, ${fmt(counters.roles)} roles, ${fmt(counters.resourceTypes)} resource types, ${fmt(counters.values)} values; rows by table ${JSON.stringify(r.raws[0].result.counts)}`);
  console.log(`Dirty (median run): ${fmt(dirtyCounters.owners)} owners; inserted ${dirtyCounters.inserted}, updated ${dirtyCounters.updated}, ended ${dirtyCounters.ended}, deleted ${dirtyCounters.deleted}`);
  console.log("measure                          value       target");
  console.log(`${"Complete / raw (median)".padEnd(32)} ${median(ratios).toFixed(2).padEnd(11)} <= ${TARGET_COMPLETE_RATIO}   (each pair: ${ratios.map((x) => x.toFixed(2)).join(", ")})`);
  console.log(`${"Dirty % of Complete (medians)".padEnd(32)} ${`${(median(d) * 100 / median(c)).toFixed(2)}%`.padEnd(11)} <= ${TARGET_DIRTY_PERCENT}%`);
  console.log(`${"peak RSS MB (maxRSS)".padEnd(32)} ${fmt(Math.max(...[...r.completes, ...r.dirties].map((x) => x.maxRssMb)))}        (raw child: ${fmt(Math.max(...r.raws.map((x) => x.result.maxRssMb)))})`);
  console.log(`load average (1, 5, 15 min) after ${r.backend}: ${loadavg().map((l) => l.toFixed(2)).join(", ")}`);
}

try {
  for (const backend of benchBackends(root).filter((b) => flags.backend === undefined || b.name === flags.backend)) report(await bench(backend));
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(`\nComplete = computeRoleModel (ComputeRoleModelTask's domain), every identity, batches of ${fmt(DEFAULT_ROLE_MODEL_BATCH_SIZE)} owners, from an empty assignment store`);
console.log("raw = the rows that Complete stored (read back, every column), inserted again into the emptied tables in a child process: multi-row INSERTs of the product's size, one transaction per batch of owners, prepared statements (better-sqlite3; pg named); all parameters built before the timing");
console.log("max RSS is the process's high-water mark (process.resourceUsage().maxRSS), loading included; the raw child's is its own");

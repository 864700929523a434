// npm run bench:expressions — UpdateEntityPropertyExpressionsTask over 1,000,000 resources of one
// entity type with 3 computed properties (a display name concatenation, a lower-cased login, an
// e-mail built from the names without accents): a full recompute (every row changes: archived into
// the history and rewritten), then Dirty recomputes with 1% of the rows dirty and renamed. The limit
// measured in the same run: read every row and update one property on each, with the same driver, in
// the same batch sizes and statements (pages of 10,000 by keyset, each row archived into the history and
// rewritten by the task's UPDATE statements, one transaction per 20,000 updated rows). The full
// and raw runs alternate three times (each raw run removes the computed values, so that the next full
// run recomputes and writes every row again), then three Dirty runs, each timed run started on a
// settled database (settle); medians are printed. On SQLite,
// and on PostgreSQL when IDM_TEST_POSTGRES_URL is set. IDM_BENCH_EXPRESSIONS_ROWS sets a smaller (or
// larger) size, IDM_BENCH_EXPRESSIONS_RUNS the number of runs.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_SETTINGS } from "../dist/config/settings.js";
import { validateFolder } from "../dist/config/validate-folder.js";
import { buildItems } from "../dist/config/items.js";
import { runDeploy } from "../dist/deploy/run-deploy.js";
import { configurationEntityModel } from "../dist/config/check-expressions.js";
import { compileExpression } from "../dist/domain/expressions/compile-expressions.js";
import { encodeProperties, hashProperties } from "../dist/domain/resources/properties.js";
import { VERSIONS_PER_VALUES_UPDATE } from "../dist/domain/resources/resource-versions.js";
import { batchSize } from "../dist/store/statements.js";
import updateExpressions from "../dist/tasks/update-entity-property-expressions.js";
import { updateExpressions as recompute } from "../dist/domain/expressions/update-expressions.js";
import { benchBackends } from "./backends.mjs";
import { timed } from "./measure.mjs";

const ROWS = Number(process.env.IDM_BENCH_EXPRESSIONS_ROWS ?? 1_000_000);
const DIRTY_EVERY = 100; // 1%
const RUNS = Number(process.env.IDM_BENCH_EXPRESSIONS_RUNS ?? 3);
const SELECT_SIZE = 10_000;
const UPDATE_SIZE = 20_000;
const TARGET_FULL_RATIO = 3;
const TARGET_DIRTY_PERCENT = 3;
const ENTITY_TYPE = "Bench_Person";
const COMPUTED = ["InternalDisplayName", "LoginLower", "Mail"];
const root = realpathSync(mkdtempSync(join(tmpdir(), "idm-bench-expressions-")));

function writeConfig(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Model.xml"), `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <EntityType Identifier="${ENTITY_TYPE}" DisplayName_L1="Bench - Person">
    <Property Identifier="EmployeeId" IsKey="true" />
    <Property Identifier="Login" />
    <Property Identifier="FirstName" />
    <Property Identifier="LastName" />
    <Property Identifier="LoginLower" />
    <Property Identifier="Mail" />
  </EntityType>
  <EntityPropertyExpression Identifier="${ENTITY_TYPE}_InternalDisplayName" EntityType="${ENTITY_TYPE}" Property="InternalDisplayName"
    Expression="CEL:resource.LastName + &quot; &quot; + resource.FirstName" />
  <EntityPropertyExpression Identifier="${ENTITY_TYPE}_LoginLower" EntityType="${ENTITY_TYPE}" Property="LoginLower" Expression="CEL:lower(resource.Login)" />
  <EntityPropertyExpression Identifier="${ENTITY_TYPE}_Mail" EntityType="${ENTITY_TYPE}" Property="Mail"
    Expression="CEL:normalize(lower(resource.FirstName)) + &quot;.&quot; + normalize(lower(resource.LastName)) + &quot;@example.com&quot;" />
</ConfigurationFile>
`);
}

const FIRST = ["Alice", "Bob", "Carol", "Dan", "Ève", "Frank", "Grace", "Héloïse", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil"];
const LAST = ["Durand", "Martin", "Petit", "Roux", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "García", "David", "Bertrand"];

function person(i) {
  return { EmployeeId: `E${String(i).padStart(8, "0")}`, Login: `USER${i}`, FirstName: FIRST[i % FIRST.length], LastName: LAST[Math.floor(i / FIRST.length) % LAST.length] };
}

const placeholderOf = (dialect) => (dialect === "postgres" ? (n) => `$${n + 1}` : () => "?");

/** The people, synchronized properties only, bulk-inserted (not timed). */
async function load(store, dialect) {
  const columns = ["entity_type", "connector", "source_key", "hash", "properties", "valid_from", "dirty"];
  const perStatement = batchSize(dialect, columns.length);
  const validFrom = dialect === "postgres" ? "2026-01-01T00:00:00.000Z" : "2026-01-01 00:00:00.000";
  const placeholder = placeholderOf(dialect);
  const statementFor = (rows) => {
    let n = 0;
    const tuples = [];
    for (let r = 0; r < rows; r++) tuples.push(`(${columns.map(() => placeholder(n++)).join(", ")})`);
    return `INSERT INTO idm_resources (${columns.join(", ")}) VALUES ${tuples.join(", ")}`;
  };
  await store.dataSource.transaction(async (m) => {
    let parameters = [];
    for (let i = 0; i < ROWS; i++) {
      const p = person(i);
      const properties = encodeProperties(p);
      parameters.push(ENTITY_TYPE, "Bench", p.EmployeeId, hashProperties(properties), properties, validFrom, dialect === "postgres" ? false : 0);
      if (parameters.length === perStatement * columns.length || i === ROWS - 1) {
        await m.query(statementFor(parameters.length / columns.length), parameters);
        parameters = [];
      }
    }
  });
}

/**
 * The limit: the task's reads and writes, by hand, straight through the driver, with nothing to
 * evaluate: every row read (id, key, properties by keyset pages of SELECT_SIZE), one change to its
 * properties (here: the computed values removed), its current version archived into the history
 * (INSERT … SELECT by ids, as many ids per statement as the dialect binds, chained to the version before
 * and returning the new ids) and the new version written as the task writes it, pointing at the archived
 * one (SQLite: one prepared single-row UPDATE per row; PostgreSQL: UPDATE … FROM a VALUES list of
 * VERSIONS_PER_VALUES_UPDATE rows, a named prepared statement when full), one transaction per UPDATE_SIZE rows.
 */
async function raw(store, dialect) {
  const p = placeholderOf(dialect);
  const select = `SELECT id, source_key, properties FROM idm_resources WHERE entity_type = ${p(0)} AND source_key > ${p(1)} ORDER BY source_key LIMIT ${SELECT_SIZE}`;
  const copied = "entity_type, connector, source_key, hash, valid_from, changed_by_job_instance, properties";
  const archive = (ids) => [
    `INSERT INTO idm_resource_history (resource_id, ${copied}, previous_id, valid_to, archived_by_job_instance) SELECT id, ${copied}, history_id, ${p(0)}, ${p(1)} FROM idm_resources WHERE id IN (${ids.map((_, i) => p(i + 2)).join(", ")}) RETURNING id, resource_id`,
    [at(dialect), 1, ...ids],
  ];
  // PostgreSQL only (SQLite updates row by row, below); the first row's casts type the list.
  const update = (versions) => {
    let n = 2;
    const rows = versions.map((_, i) => (i === 0 ? `(CAST(${p(n++)} AS integer), CAST(${p(n++)} AS text), CAST(${p(n++)} AS integer))` : `(${p(n++)}, ${p(n++)}, ${p(n++)})`)).join(", ");
    return {
      text: `UPDATE idm_resources SET properties = v.properties, history_id = v.history_id, valid_from = ${p(0)}, changed_by_job_instance = ${p(1)} FROM (VALUES ${rows}) AS v (id, properties, history_id) WHERE idm_resources.id = v.id`,
      values: [at(dialect), 1, ...versions.flat()],
    };
  };
  const archiveIds = batchSize(dialect, 1) - 2;
  const runner = store.dataSource.createQueryRunner();
  const connection = await runner.connect();
  // On SQLite the task writes one prepared single-row UPDATE per version (resource-versions.ts replaceVersions): so does the limit.
  const updateOne = dialect === "sqlite"
    ? connection.prepare("UPDATE idm_resources SET properties = ?, history_id = ?, valid_from = ?, changed_by_job_instance = ? WHERE id = ?")
    : undefined;
  let pending = [];
  let updated = 0;
  const flush = async () => {
    await runner.startTransaction();
    for (let i = 0; i < pending.length; i += archiveIds) {
      const batch = pending.slice(i, i + archiveIds);
      const archived = new Map((await runner.query(...archive(batch.map(([id]) => id)))).map((row) => [Number(row.resource_id), Number(row.id)]));
      const versions = batch.map(([id, properties]) => [id, properties, archived.get(id)]);
      if (updateOne !== undefined) {
        const common = [at(dialect), 1];
        for (const [id, properties, historyId] of versions) updateOne.run([properties, historyId, ...common, id]);
      } else {
        for (let j = 0; j < versions.length; j += VERSIONS_PER_VALUES_UPDATE) {
          const group = versions.slice(j, j + VERSIONS_PER_VALUES_UPDATE);
          const statement = update(group);
          await connection.query(group.length === VERSIONS_PER_VALUES_UPDATE ? { name: `raw-update-${group.length}`, ...statement } : statement);
        }
      }
    }
    await runner.commitTransaction();
    updated += pending.length;
    pending = [];
  };
  try {
    for (let after = ""; ;) {
      const rows = await runner.query(select, [ENTITY_TYPE, after]);
      for (const row of rows) {
        const properties = JSON.parse(row.properties);
        for (const name of COMPUTED) delete properties[name];
        pending.push([row.id, encodeProperties(properties)]);
        if (pending.length >= UPDATE_SIZE) await flush();
      }
      if (rows.length < SELECT_SIZE) break;
      after = rows[rows.length - 1].source_key;
    }
    if (pending.length > 0) await flush();
  } finally {
    await runner.release();
  }
  if (updated !== ROWS) throw new Error(`the raw run updated ${updated} rows, not ${ROWS}`);
}

/** A timestamp as each driver binds it (SQLite stores the text TypeORM writes for its datetime columns). */
function at(dialect) {
  const now = new Date();
  return dialect === "postgres" ? now : now.toISOString().replace("T", " ").replace("Z", "");
}

/** 1% of the rows renamed and marked dirty, as an incremental synchronization leaves them (not timed). */
async function makeDirty(store, dialect, round) {
  const p = placeholderOf(dialect);
  await store.dataSource.transaction(async (m) => {
    for (let i = 0; i < ROWS; i += DIRTY_EVERY) {
      const key = person(i).EmployeeId;
      const [row] = await m.query(`SELECT id, properties FROM idm_resources WHERE entity_type = ${p(0)} AND source_key = ${p(1)}`, [ENTITY_TYPE, key]);
      const properties = { ...JSON.parse(row.properties), LastName: `Renamed${round}` };
      await m.query(`UPDATE idm_resources SET properties = ${p(0)}, dirty = ${p(1)} WHERE id = ${p(2)}`, [encodeProperties(properties), dialect === "postgres" ? true : 1, row.id]);
    }
  });
}


/**
 * Before each timed run (not timed): the log an earlier run left written back, so that no run pays
 * for another's (a full run leaves SQLite's checkpoint thread hundreds of MB to copy, which a Dirty
 * run started at once would wait on). SQLite: wal_checkpoint(TRUNCATE), again while the thread holds
 * the checkpoint (busy); PostgreSQL: CHECKPOINT.
 */
async function settle(store, dialect) {
  if (dialect === "postgres") return void (await store.dataSource.query("CHECKPOINT"));
  for (let attempt = 0; attempt < 200; attempt++) {
    const [{ busy, log }] = await store.dataSource.query("PRAGMA wal_checkpoint(TRUNCATE)");
    if (busy === 0 && log === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("SQLite's log could not be checkpointed in 10 s");
}

/** A Dirty recompute through the domain function the task calls, with its time split into phases. */
async function dirtyRun(store, expectedChanged) {
  const phases = { read: 0, evaluate: 0, write: 0 };
  const counters = await recompute({
    store, entityTypes: undefined, dirty: true, batchSelectSize: 0, batchUpdateSize: 0, jobInstanceId: 1, phases,
    signal: new AbortController().signal, log: () => undefined, progress: () => undefined,
  });
  if (counters.changed !== expectedChanged || counters.errors !== 0) throw new Error(`Dirty recompute: ${JSON.stringify(counters)}, expected ${expectedChanged} changed`);
  return phases;
}

function contextFor(store, dir) {
  const folders = { work: join(dir, "work"), temp: join(dir, "temp"), export: join(dir, "export") };
  return {
    store, settings: { ...DEFAULT_SETTINGS, paths: folders }, job: { identifier: "Bench_Expressions", instanceId: 1 }, paths: { configuration: dir, ...folders },
    force: false, signal: new AbortController().signal, log: () => undefined, progress: () => undefined,
  };
}

const task = (dirty) => ({
  identifier: "Bench_UpdateExpressions", type: "UpdateEntityPropertyExpressionsTask",
  attributes: { AllEntityType: true, Dirty: dirty, BatchSelectSize: 0, BatchUpdateSize: 0 }, dependsOn: [], entityTypes: [], resourceTypes: [], source: undefined,
});

async function expressionsRun(context, dirty, expectedChanged) {
  const result = await updateExpressions.run(context, task(dirty));
  if (result.state !== "Succeeded" || result.counters.changed !== expectedChanged) {
    throw new Error(`${dirty ? "Dirty" : "full"} recompute ended ${result.state} with ${JSON.stringify(result.counters)}, expected ${expectedChanged} changed`);
  }
  return result;
}

/** The bench's expressions in C#, as an integrator would write them. */
const CSHARP = {
  [`${ENTITY_TYPE}_InternalDisplayName`]: `C#:person:return person.LastName + " " + person.FirstName;`,
  [`${ENTITY_TYPE}_LoginLower`]: `C#:person:return person.Login.ToLowerInvariant();`,
  [`${ENTITY_TYPE}_Mail`]: `C#:person:return person.FirstName.ToLowerInvariant().RemoveDiacritics() + "." + person.LastName.ToLowerInvariant().RemoveDiacritics() + "@example.com";`,
};
const EVALUATED = Math.min(ROWS, 200_000);

/**
 * Evaluation alone, no database: the same resources through the CEL expressions and their C# forms,
 * alternated; the results must agree. Median ms of each, over RUNS rounds.
 */
function evaluationRace() {
  const dir = mkdtempSync(join(root, "evaluation-"));
  writeConfig(dir);
  const configuration = validateFolder(dir).configuration;
  const model = configurationEntityModel(configuration.models);
  const elements = configuration.models.filter((m) => m.spec.name === "EntityPropertyExpression");
  const compile = (csharp) => elements.map((e) => compileExpression(String(e.attributes.Identifier), ENTITY_TYPE,
    csharp ? { ...e.attributes, Expression: CSHARP[String(e.attributes.Identifier)] } : e.attributes, model, "").expression);
  const resources = Array.from({ length: EVALUATED }, (_, i) => new Map(Object.entries(person(i))));
  const evaluateAll = (expressions) => {
    const out = [];
    for (const resource of resources) for (const e of expressions) out.push(e.evaluate(resource).value);
    return out;
  };
  const [cel, csharp] = [compile(false), compile(true)];
  if (JSON.stringify(evaluateAll(cel).slice(0, 3000)) !== JSON.stringify(evaluateAll(csharp).slice(0, 3000))) throw new Error("CEL and C# disagree");
  const times = { cel: [], csharp: [] };
  for (let i = 0; i < RUNS + 2; i++) {
    for (const [name, expressions] of [["cel", cel], ["csharp", csharp]]) {
      globalThis.gc?.();
      const start = performance.now();
      evaluateAll(expressions);
      times[name].push(performance.now() - start);
    }
  }
  const mid = (t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];
  return { cel: mid(times.cel), csharp: mid(times.csharp), times };
}

const median = (runs) => [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
const lines = [];
mkdirSync(root, { recursive: true });
const race = evaluationRace();
try {
  for (const backend of benchBackends(root)) {
    const dialect = backend.name === "postgres" ? "postgres" : "sqlite";
    const dir = mkdtempSync(join(root, `${backend.name}-`));
    const store = await backend.fresh();
    try {
      const configuration = join(dir, "config");
      writeConfig(configuration);
      const validation = validateFolder(configuration);
      const errors = validation.problems.filter((p) => p.severity === "error");
      if (errors.length > 0) throw new Error(`invalid configuration: ${errors.map((e) => e.message).join("; ")}`);
      await runDeploy(DEFAULT_SETTINGS, store, buildItems(validation.configuration), { sourceFolder: configuration, allowDeletes: false, lockTimeoutSeconds: 5 });
      await load(store, dialect);
      const context = contextFor(store, configuration);
      const full = [];
      const raws = [];
      for (let i = 0; i < RUNS; i++) {
        await settle(store, dialect);
        full.push(await timed(() => expressionsRun(context, false, ROWS)));
        await settle(store, dialect);
        raws.push(await timed(() => raw(store, dialect)));
      }
      await expressionsRun(context, false, ROWS);
      const dirties = [];
      for (let i = 0; i < RUNS; i++) {
        await makeDirty(store, dialect, i);
        let phases;
        await settle(store, dialect);
        dirties.push({ ...(await timed(async () => (phases = await dirtyRun(store, Math.ceil(ROWS / DIRTY_EVERY))))), phases });
      }
      lines.push({ backend: backend.name, full: median(full), raw: median(raws), dirty: median(dirties), fulls: full, raws, dirties });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const fmt = (n, d = 0) => n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const rate = (rows, ms) => fmt(rows / (ms / 1000));
console.log(`evaluation alone (no database): ${fmt(EVALUATED)} resources × ${COMPUTED.length} expressions, CEL and C# alternated ${RUNS + 2} times (medians)`);
console.log(`  CEL ${fmt(race.cel)} ms (${race.times.cel.map((t) => fmt(t)).join(", ")}); C# ${fmt(race.csharp)} ms (${race.times.csharp.map((t) => fmt(t)).join(", ")})`);
console.log(`  C# / CEL ${(race.csharp / race.cel).toFixed(2)} (target <= 1.5)\n`);
console.log(`${fmt(ROWS)} resources × ${COMPUTED.length} expressions; full recompute and raw limit alternated ${RUNS} times, then ${RUNS} Dirty runs with ${100 / DIRTY_EVERY}% dirty and renamed (medians)`);
for (const l of lines) {
  console.log(`\n${l.backend}`);
  console.log("step                              ms          rows/s        max RSS MB after");
  const row = (name, step, rows) => console.log(`${name.padEnd(33)} ${fmt(step.ms).padEnd(11)} ${rate(rows, step.ms).padEnd(13)} ${fmt(step.maxRssMb)}`);
  row("full recompute (median)", l.full, ROWS);
  row("raw read + update (median)", l.raw, ROWS);
  row("Dirty recompute, 1% (median)", l.dirty, Math.ceil(ROWS / DIRTY_EVERY));
  const phase = (name) => fmt(l.dirty.phases[name]);
  console.log(`Dirty (median run) by phase: read ${phase("read")} ms (dirty ids, rows, navigations), evaluate ${phase("evaluate")} ms, write ${phase("write")} ms (archive + rewrite, commit); the rest is reading the model and compiling`);
  console.log(`runs: full ${l.fulls.map((r) => fmt(r.ms)).join(", ")} ms; raw ${l.raws.map((r) => fmt(r.ms)).join(", ")} ms; Dirty ${l.dirties.map((r) => fmt(r.ms)).join(", ")} ms`);
  console.log("measure                          value      target");
  console.log(`${"full / raw".padEnd(32)} ${(l.full.ms / l.raw.ms).toFixed(2).padEnd(10)} <= ${TARGET_FULL_RATIO}`);
  console.log(`${"Dirty % of full".padEnd(32)} ${`${(l.dirty.ms * 100 / l.full.ms).toFixed(2)}%`.padEnd(10)} <= ${TARGET_DIRTY_PERCENT}%`);
  console.log(`${"peak RSS MB (maxRSS)".padEnd(32)} ${fmt(Math.max(l.full.maxRssMb, l.raw.maxRssMb, l.dirty.maxRssMb))}`);
}
console.log(`\nfull = UpdateEntityPropertyExpressionsTask, every row changed: archived into idm_resource_history and rewritten`);
console.log(`raw = the task's statements by hand, nothing evaluated: every row read (keyset pages of ${fmt(SELECT_SIZE)}), archived into the history (INSERT … SELECT … RETURNING by ids) and rewritten with its history_id as the task does (SQLite: a prepared single-row UPDATE per row; PostgreSQL: UPDATE … FROM a VALUES list of ${VERSIONS_PER_VALUES_UPDATE} rows, named when full), one transaction per ${fmt(UPDATE_SIZE)}, same driver`);
console.log("before each timed run (full, raw, Dirty; not timed): the database settled, SQLite's log checkpointed and truncated (PRAGMA wal_checkpoint(TRUNCATE)), PostgreSQL CHECKPOINT, so that no run pays for the log an earlier one left");
console.log("max RSS is the process's high-water mark (process.resourceUsage().maxRSS): each step's value includes the steps before it");

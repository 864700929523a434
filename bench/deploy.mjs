// npm run bench:deploy — cold deploy into an empty database, no-op redeploy, and redeploy with 1% of
// the tasks changed, each paired with a validate of the same folder run just before it (the ratio of
// each pair, then the median and spread of the ratios); on SQLite, and on PostgreSQL when
// IDM_TEST_POSTGRES_URL is set.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateFolder } from "../dist/config/validate-folder.js";
import { DEFAULT_SETTINGS } from "../dist/config/settings.js";
import { validateForDeploy } from "../dist/deploy/run-deploy.js";
import { deploy } from "../dist/deploy/apply.js";
import { DEFAULT_DELETION_GUARD } from "../dist/deploy/deletion-guard.js";
import { generateConfig } from "./generate-config.mjs";
import { benchBackends } from "./backends.mjs";

const SIZES = [1_000, 10_000, 50_000];
const OPTIONS = { sourceFolder: "bench", guard: DEFAULT_DELETION_GUARD, lease: { waitMs: 30_000, ttlMs: 60_000 } };
const root = mkdtempSync(join(tmpdir(), "idm-bench-deploy-"));

const backends = benchBackends(root);

/** What `idm deploy` does after opening the database: validate (with the folder's fingerprint), then deploy. */
async function deployFolder(store, dir) {
  const { errors, items } = validateForDeploy(dir, DEFAULT_SETTINGS);
  if (errors.length > 0) throw new Error("invalid configuration");
  return deploy(store, items, { ...OPTIONS, allowDeletes: true });
}

/** What `idm validate` does. */
const validate = (dir) => validateFolder(dir, DEFAULT_SETTINGS.validation, DEFAULT_SETTINGS);

async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Changes the DisplayName_L1 of every 100th task: 1% of them; `round` makes each run differ. */
function touchOnePercent(dir, round) {
  let n = 0;
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".xml")).sort()) {
    const path = join(dir, entry);
    const text = readFileSync(path, "utf8").replace(/DisplayName_L1="([^"]*?)(?: r\d+)?"(?= DisplayName_L2)/g, (all, label) => (n++ % 100 === 0 ? `DisplayName_L1="${label} r${round}"` : all));
    writeFileSync(path, text);
  }
}

/** A comment at the end of the first file: the same items from other bytes, so a deploy must compare them all. */
function editComment(dir, round) {
  const first = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".xml")).sort()[0];
  const path = join(dir, first);
  writeFileSync(path, `${readFileSync(path, "utf8").replace(/\n<!-- edit \d+ -->$/, "")}\n<!-- edit ${round} -->`);
}

/**
 * Each measured run comes right after a validate of the same folder: the ratio of each pair is
 * taken, so that both sides see the same machine noise. Returns the medians and the pairwise ratios.
 */
async function paired(runs, before, measured) {
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    await before?.(i);
    globalThis.gc?.();
    const validateMs = await timed(() => validate(currentDir));
    globalThis.gc?.();
    const time = await measured(i);
    pairs.push({ validate: validateMs, time, ratio: time / validateMs });
  }
  const mid = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return { validate: mid(pairs.map((p) => p.validate)), time: mid(pairs.map((p) => p.time)), ratio: mid(pairs.map((p) => p.ratio)), min: Math.min(...pairs.map((p) => p.ratio)), max: Math.max(...pairs.map((p) => p.ratio)) };
}

let currentDir;
console.log("baseline: validate of the same folder, run just before each measured deploy (ratio = median of the pairs' ratios, spread min–max)");
console.log("backend   tasks   validate ms  cold ms (x, spread)         no-op ms (x, spread)        comment ms (x, spread)      1% ms (x, spread)           updates");
for (const backend of backends) {
  for (const tasks of SIZES) {
    const dir = join(root, `config-${tasks}`);
    currentDir = dir;
    mkdirSync(dir, { recursive: true });
    generateConfig(dir, tasks);
    const runs = tasks >= 50_000 ? 3 : 5;
    let fresh;
    const cold = await paired(runs, async () => { fresh = await backend.fresh(); }, async () => {
      try {
        return await timed(() => deployFolder(fresh, dir));
      } finally {
        await fresh.close();
      }
    });
    const store = await backend.fresh();
    let updates = 0;
    try {
      await deployFolder(store, dir);
      const noop = await paired(runs, undefined, () => timed(() => deployFolder(store, dir)));
      const edited = await paired(runs, (round) => editComment(dir, round), () => timed(() => deployFolder(store, dir)));
      const onePercent = await paired(runs, (round) => touchOnePercent(dir, round), () => timed(async () => (updates = (await deployFolder(store, dir)).plan.summary.update)));
      const x = (m) => `${m.time.toFixed(0)} (${m.ratio.toFixed(2)}, ${m.min.toFixed(2)}–${m.max.toFixed(2)})`.padEnd(27);
      console.log(`${backend.name.padEnd(9)} ${String(tasks).padEnd(7)} ${noop.validate.toFixed(0).padEnd(12)} ${x(cold)} ${x(noop)} ${x(edited)} ${x(onePercent)} ${updates}`);
    } finally {
      await store.close();
    }
  }
}
rmSync(root, { recursive: true, force: true });
console.log("\nx = ratio to validate of the same folder, paired run by run (targets: no-op <= 1.3, cold <= 3)");
console.log("no-op: the same files again (the newest deployment's fingerprint); comment: a comment edited in one file, the same items compared one by one");

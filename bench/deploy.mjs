// npm run bench:deploy — cold deploy into an empty database, no-op redeploy, and redeploy with 1% of
// the tasks changed, each as a median and as a ratio to `validate` of the same folder measured in
// the same run; on SQLite, and on PostgreSQL when IDM_TEST_POSTGRES_URL is set.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateFolder } from "../dist/config/validate-folder.js";
import { deploy } from "../dist/deploy/apply.js";
import { DEFAULT_DELETION_GUARD } from "../dist/deploy/deletion-guard.js";
import { buildItems } from "../dist/config/items.js";
import { generateConfig } from "./generate-config.mjs";
import { benchBackends } from "./backends.mjs";

const SIZES = [1_000, 10_000, 50_000];
const OPTIONS = { sourceFolder: "bench", guard: DEFAULT_DELETION_GUARD, lease: { waitMs: 30_000, ttlMs: 60_000 } };
const root = mkdtempSync(join(tmpdir(), "idm-bench-deploy-"));

const backends = benchBackends(root);

/** validate + items + deploy: what `idm deploy` does after opening the database. */
async function deployFolder(store, dir) {
  const result = validateFolder(dir);
  if (!result.valid) throw new Error("invalid configuration");
  return deploy(store, buildItems(result.configuration), { ...OPTIONS, allowDeletes: true });
}

async function median(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const t = await fn(i);
    times.push(t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

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

console.log("backend   tasks   validate ms  cold ms (x)      no-op ms (x)    1% ms (x)       updates");
for (const backend of backends) {
  for (const tasks of SIZES) {
    const dir = join(root, `config-${tasks}`);
    mkdirSync(dir, { recursive: true });
    generateConfig(dir, tasks);
    const runs = tasks >= 50_000 ? 3 : 5;
    const validate = await median(runs, () => timed(() => validateFolder(dir)));
    const cold = await median(3, async () => {
      const store = await backend.fresh();
      try {
        return await timed(() => deployFolder(store, dir));
      } finally {
        await store.close();
      }
    });
    const store = await backend.fresh();
    let updates = 0;
    try {
      await deployFolder(store, dir);
      const noop = await median(runs, () => timed(() => deployFolder(store, dir)));
      const onePercent = await median(runs, async (round) => {
        touchOnePercent(dir, round);
        return timed(async () => (updates = (await deployFolder(store, dir)).plan.summary.update));
      });
      const x = (t) => `${t.toFixed(0)} (${(t / validate).toFixed(2)})`.padEnd(16);
      console.log(`${backend.name.padEnd(9)} ${String(tasks).padEnd(7)} ${validate.toFixed(0).padEnd(12)} ${x(cold)} ${x(noop)} ${x(onePercent)} ${updates}`);
    } finally {
      await store.close();
    }
  }
}
rmSync(root, { recursive: true, force: true });
console.log("\nx = ratio to validate of the same folder in the same run (targets: no-op <= 1.3, cold <= 3)");

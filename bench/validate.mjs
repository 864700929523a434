// npm run bench:validate — median time of `idm validate` against a raw fast-xml-parser parse of
// the same bytes (read from the same files, attributes included), at 1,000, 10,000 and 50,000
// tasks. The configuration is generated deterministically under the OS temp folder.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { listConfigFiles } from "../dist/config/read-folder.js";
import { validateFolder } from "../dist/config/validate-folder.js";
import { generateConfig } from "./generate-config.mjs";

const SIZES = [1_000, 10_000, 50_000];
const RUNS = 7;

function rawParse(dir) {
  const parser = new XMLParser({ ignoreAttributes: false });
  let elements = 0;
  for (const { path } of listConfigFiles(dir)) elements += Object.keys(parser.parse(readFileSync(path, "utf8"))).length;
  return elements;
}

/** Runs the two alternately, so that both see the same machine noise; returns their times in run order. */
function alternated(runs, a, b) {
  const times = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of [a, b].entries()) {
      globalThis.gc?.();
      const start = performance.now();
      fn();
      times[k].push(performance.now() - start);
    }
  }
  return times;
}

const sorted = (values) => [...values].sort((x, y) => x - y);
const median = (values) => sorted(values)[Math.floor(values.length / 2)];
const spread = (values, digits = 0) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

const root = join(tmpdir(), "idm-bench-validate");
rmSync(root, { recursive: true, force: true });
const rows = [];
for (const tasks of SIZES) {
  const dir = join(root, String(tasks));
  mkdirSync(dir, { recursive: true });
  generateConfig(dir, tasks);
  const files = listConfigFiles(dir);
  const bytes = files.reduce((n, f) => n + readFileSync(f.path).length, 0);
  const check = validateFolder(dir);
  if (!check.valid) throw new Error(`generated configuration is invalid: ${JSON.stringify(check.problems.slice(0, 3))}`);
  const [raws, validates] = alternated(RUNS, () => rawParse(dir), () => validateFolder(dir));
  const ratios = raws.map((r, i) => validates[i] / r);
  rows.push({ tasks, files: files.length, jobs: check.configuration.jobs.length, mb: bytes / 1e6, raw: median(raws), validate: median(validates), raws, validates, ratios });
}
rmSync(root, { recursive: true, force: true });

const base = rows[0];
console.log("baseline: fast-xml-parser's XMLParser({ ignoreAttributes: false }).parse of the same files, read from disk the same way");
console.log("tasks    files  jobs   MB      raw parse ms (min–max)  validate ms (min–max)  ratio (pairwise min–max)  validate µs/task (x of 1k)");
for (const r of rows) {
  const perTask = (r.validate / r.tasks) * 1000;
  const basePerTask = (base.validate / base.tasks) * 1000;
  console.log(
    `${String(r.tasks).padEnd(8)} ${String(r.files).padEnd(6)} ${String(r.jobs).padEnd(6)} ${r.mb.toFixed(1).padEnd(7)} ` +
      `${`${r.raw.toFixed(0)} (${spread(r.raws)})`.padEnd(23)} ${`${r.validate.toFixed(0)} (${spread(r.validates)})`.padEnd(22)} ` +
      `${`${(r.validate / r.raw).toFixed(2)} (${spread(r.ratios, 2)})`.padEnd(25)} ` +
      `${perTask.toFixed(1)} (${(perTask / basePerTask).toFixed(2)})`,
  );
}
for (const r of rows.filter((r) => r.tasks >= 10_000)) {
  console.log(`validate / raw parse at ${r.tasks.toLocaleString("en")} tasks: ${(r.validate / r.raw).toFixed(2)} (target <= 2.5), medians of ${RUNS} alternated runs`);
}

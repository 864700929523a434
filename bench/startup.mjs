// npm run bench:startup — how fast `idm` answers: the median wall time of `idm --help` and of
// `idm validate conf-samples/demo`, each as a ratio to a bare `node -e 0` measured in the same run.
// The three commands run interleaved (one of each per round), so that they share the machine's noise;
// IDM_BENCH_STARTUP_RUNS sets the number of rounds (default 15). Each is a fresh process, spawned the
// way a shell would start it, and its exit code is checked so that a failing command cannot look fast.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.IDM_BENCH_STARTUP_RUNS ?? 15);
const TARGETS = { help: 2.5, validate: 5 };

const COMMANDS = [
  { name: "node -e 0", key: "node", args: ["-e", "0"] },
  { name: "idm --help", key: "help", args: ["dist/cli/main.js", "--help"] },
  { name: "idm validate conf-samples/demo", key: "validate", args: ["dist/cli/main.js", "validate", "conf-samples/demo"] },
];

function timedRun({ name, args }) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// One round first, not counted: the first start reads the files from disk, the others from the cache.
for (const command of COMMANDS) timedRun(command);
const times = Object.fromEntries(COMMANDS.map((c) => [c.key, []]));
for (let i = 0; i < RUNS; i++) for (const command of COMMANDS) times[command.key].push(timedRun(command));

const base = median(times.node);
console.log(`${RUNS} interleaved runs each (medians)`);
console.log("command                            median ms   ratio to node -e 0   target");
for (const { name, key } of COMMANDS) {
  const ms = median(times[key]);
  const target = TARGETS[key] === undefined ? "" : `<= ${TARGETS[key]}`;
  console.log(`${name.padEnd(34)} ${ms.toFixed(0).padEnd(11)} ${(ms / base).toFixed(2).padEnd(20)} ${target}`);
}
for (const { name, key } of COMMANDS) console.log(`runs ${name}: ${times[key].map((ms) => ms.toFixed(0)).join(", ")} ms`);

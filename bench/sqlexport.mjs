// npm run bench:sqlexport — InvokeSqlCommandTask exporting 1,000,000 rows × 10 columns (integers,
// reals, text that needs quotes, NULLs, timestamps) to CSV, against a raw driver loop writing the
// same query's rows in the same run: SQLite (better-sqlite3 iterate() + join + fs write stream), and
// PostgreSQL when IDM_TEST_POSTGRES_URL is set (pg-cursor + join + fs write stream). Medians of RUNS
// alternated runs after one warm-up each; rows/s and the ratio handler/raw; the peak RSS of the
// task's process (sampled) and of the SQLite process (its own maxRSS). Then one 5,000,000-row export
// per database (the recursive CTE of the issue on SQLite, generate_series on PostgreSQL) for memory.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { DEFAULT_SETTINGS } from "../dist/config/settings.js";
import { openStore } from "../dist/store/store.js";
import invokeSqlCommand from "../dist/tasks/invoke-sql-command.js";

const require = createRequire(import.meta.url);
const Database = require("better-sqlite3");
const pg = require("pg");
const Cursor = require("pg-cursor");

const ROWS = 1_000_000;
const BIG_ROWS = 5_000_000;
const RUNS = 5;
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 300;
const root = mkdtempSync(join(tmpdir(), "idm-bench-sqlexport-"));

const SQLITE_TABLE = `CREATE TABLE bench_rows AS
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
  SELECT i AS id, 'row ' || i AS name, i * 0.25 AS amount, i % 1000 AS qty,
         CASE WHEN i % 10 = 0 THEN 'needs, "quotes"' ELSE 'plain text' END AS note,
         printf('%08x', i * 2654435761 % 4294967296) AS code, i % 2 AS flag,
         CASE WHEN i % 3 = 0 THEN NULL ELSE 'x' END AS maybe, '2026-01-02 03:04:05' AS created, i * 1000003 AS big
  FROM n`;
const POSTGRES_TABLE = `CREATE TABLE bench_rows AS
  SELECT i AS id, 'row ' || i AS name, i * 0.25::float8 AS amount, i % 1000 AS qty,
         CASE WHEN i % 10 = 0 THEN 'needs, "quotes"' ELSE 'plain text' END AS note,
         lpad(to_hex((i::bigint * 2654435761) % 4294967296), 8, '0') AS code, i % 2 = 1 AS flag,
         CASE WHEN i % 3 = 0 THEN NULL ELSE 'x' END AS maybe, TIMESTAMP '2026-01-02 03:04:05' AS created, i::bigint * 1000003 AS big
  FROM generate_series(1, ${ROWS}) AS i`;
const QUERY = "SELECT * FROM bench_rows ORDER BY id";
const BIG_QUERY = {
  sqlite: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ${BIG_ROWS}) SELECT i, 'row ' || i FROM n`,
  postgres: `SELECT i, 'row ' || i FROM generate_series(1, ${BIG_ROWS}) AS i`,
};

const NEEDS_QUOTES = /[",\r\n]/;
const field = (v) => (v === null ? "" : typeof v === "string" ? (NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v) : String(v));
const line = (row) => row.map(field).join(",") + "\r\n";

/** The raw limit's writer: text in 256 K chunks through a write stream, waiting for drain. */
async function rawWrite(path, header, rowsOf) {
  const out = createWriteStream(path);
  let text = header.join(",") + "\r\n";
  for await (const rows of rowsOf()) {
    for (const row of rows) text += line(row);
    if (text.length >= 256 * 1024) {
      if (!out.write(text)) await once(out, "drain");
      text = "";
    }
  }
  out.end(text);
  await once(out, "finish");
}

const raw = {
  async sqlite(store, path) {
    const db = new Database(store.dataSource.driver.databaseConnection.name, { readonly: true });
    try {
      const statement = db.prepare(QUERY).raw(true);
      const header = statement.columns().map((c) => c.name);
      await rawWrite(path, header, function* () {
        let batch = [];
        for (const row of statement.iterate()) {
          batch.push(row);
          if (batch.length === 2000) {
            yield batch;
            batch = [];
          }
        }
        yield batch;
      });
    } finally {
      db.close();
    }
  },
  async postgres(store, path) {
    const client = await store.dataSource.driver.master.connect();
    try {
      // PostgreSQL's text as it comes (no type parsing): the cheapest the driver can do.
      const cursor = client.query(new Cursor(QUERY, null, { rowMode: "array", types: { getTypeParser: () => (value) => value } }));
      let fields;
      const read = () => new Promise((resolve, reject) => cursor.read(2000, (e, rows, result) => (e ? reject(e) : ((fields = result.fields), resolve(rows)))));
      let first = await read();
      await rawWrite(path, fields.map((f) => f.name), async function* () {
        for (let rows = first; rows.length > 0; rows = await read()) yield rows;
      });
      await cursor.close();
    } finally {
      client.release();
    }
  },
};

function context(store, folder, logs) {
  return {
    store,
    settings: DEFAULT_SETTINGS,
    job: { identifier: "Bench", instanceId: 1 },
    paths: { configuration: root, work: folder, temp: folder, export: folder },
    force: false,
    signal: new AbortController().signal,
    log: (level, message) => logs.push([level, message]),
    progress: () => undefined,
  };
}

/** Runs fn while sampling this process's RSS; the time, the peak RSS, and the SQLite process's peak from the log. */
async function measured(fn) {
  globalThis.gc?.();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const logs = [];
  const start = performance.now();
  try {
    await fn(logs);
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - start;
  peak = Math.max(peak, process.memoryUsage.rss());
  const child = logs.map(([, m]) => /SQLite process peaked at (\d+) MB/.exec(m)?.[1]).find(Boolean);
  return { ms, peakMb: peak / 1048576, childMb: child === undefined ? undefined : Number(child) };
}

function handlerRun(store, folder, sql, identifier = "Bench") {
  return (logs) =>
    invokeSqlCommand.run(context(store, folder, logs), {
      identifier, type: "InvokeSqlCommandTask", attributes: { SQLCommand: sql, Timeout: 3600 },
      dependsOn: [], entityTypes: [], resourceTypes: [], source: undefined,
    }).then((result) => {
      if (result.state !== "Succeeded") throw new Error(`the task ended ${result.state}: ${result.message}`);
    });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function sqliteStore() {
  const folder = mkdtempSync(join(root, "sqlite-"));
  return openStore(`sqlite:${join(folder, "bench.db")}`, { migrate: false });
}

async function postgresStore(url) {
  const schema = `idm_bench_${randomBytes(4).toString("hex")}`;
  const store = await openStore(url, { schema, migrate: false });
  await store.dataSource.query(`CREATE SCHEMA "${schema}"`);
  return { ...store, close: async () => { await store.dataSource.query(`DROP SCHEMA "${schema}" CASCADE`); await store.close(); } };
}

const backends = [
  { name: "sqlite", open: sqliteStore, table: SQLITE_TABLE },
  ...(process.env.IDM_TEST_POSTGRES_URL ? [{ name: "postgres", open: () => postgresStore(process.env.IDM_TEST_POSTGRES_URL), table: POSTGRES_TABLE }] : []),
];

const lines = [];
const big = [];
const stores = [];
try {
  for (const backend of backends) stores.push({ backend, store: await backend.open(), folder: join(root, `out-${backend.name}`) });
  // Memory first, while nothing else has grown this process.
  for (const { backend, store, folder } of stores) {
    mkdirSync(folder, { recursive: true });
    globalThis.gc?.();
    const startMb = process.memoryUsage.rss() / 1048576;
    const m = await measured(handlerRun(store, folder, BIG_QUERY[backend.name], "Big"));
    big.push({ backend: backend.name, startMb, ...m, mb: statSync(join(folder, "Big.csv")).size / 1048576 });
    rmSync(join(folder, "Big.csv"));
  }
  for (const { backend, store, folder } of stores) {
    await store.dataSource.query(backend.table);
    const rawPath = join(folder, "raw.csv");
    await measured(handlerRun(store, folder, QUERY)); // warm-up
    await raw[backend.name](store, rawPath);
    const handler = [];
    const rawTimes = [];
    for (let i = 0; i < RUNS; i++) {
      handler.push(await measured(handlerRun(store, folder, QUERY)));
      rawTimes.push((await measured(() => raw[backend.name](store, rawPath))).ms);
    }
    const ms = median(handler.map((h) => h.ms));
    const rawMs = median(rawTimes);
    lines.push({
      backend: backend.name, ms, rawMs, ratio: ms / rawMs, rowsPerSecond: ROWS / (ms / 1000),
      pairs: handler.map((h, i) => h.ms / rawTimes[i]),
      peakMb: Math.max(...handler.map((h) => h.peakMb)),
      childMb: handler.every((h) => h.childMb === undefined) ? undefined : Math.max(...handler.map((h) => h.childMb ?? 0)),
      mb: statSync(join(folder, "Bench.csv")).size / 1048576, rawMb: statSync(rawPath).size / 1048576,
    });
    rmSync(folder, { recursive: true, force: true });
  }
} finally {
  for (const { store } of stores) await store.close();
  rmSync(root, { recursive: true, force: true });
}

const fmt = (n, d = 0) => n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
console.log(`${fmt(ROWS)} rows × 10 columns (${QUERY}), median of ${RUNS} alternated runs after 1 warm-up`);
console.log("backend   handler ms  rows/s     raw ms   handler/raw (pairs min–max)  target   CSV MB (raw)   peak RSS MB: process / SQLite process  target");
for (const l of lines) {
  console.log(
    `${l.backend.padEnd(9)} ${fmt(l.ms).padEnd(11)} ${fmt(l.rowsPerSecond).padEnd(10)} ${fmt(l.rawMs).padEnd(8)} ${`${l.ratio.toFixed(2)} (${Math.min(...l.pairs).toFixed(2)}–${Math.max(...l.pairs).toFixed(2)})`.padEnd(28)} <= ${TARGET_RATIO}   ` +
      `${`${fmt(l.mb, 1)} (${fmt(l.rawMb, 1)})`.padEnd(14)} ${`${fmt(l.peakMb)} / ${l.childMb === undefined ? "-" : fmt(l.childMb)}`.padEnd(38)} <= ${TARGET_RSS_MB}`,
  );
}
console.log(`\n${fmt(BIG_ROWS)} rows × 2 columns, one run each, before anything else ran in this process (memory stays flat):`);
console.log("backend   ms       rows/s     CSV MB  RSS MB before  peak RSS MB: process / SQLite process  target");
for (const b of big) {
  console.log(
    `${b.backend.padEnd(9)} ${fmt(b.ms).padEnd(8)} ${fmt(BIG_ROWS / (b.ms / 1000)).padEnd(10)} ${fmt(b.mb, 1).padEnd(7)} ${fmt(b.startMb).padEnd(14)} ` +
      `${`${fmt(b.peakMb)} / ${b.childMb === undefined ? "-" : fmt(b.childMb)}`.padEnd(38)} <= ${TARGET_RSS_MB}`,
  );
}
console.log("\nraw = the driver's own loop on the same query, in this process: better-sqlite3 iterate() / pg-cursor 2,000 rows a read with no type parsing; rows joined with the same quoting; 256 K chunks through fs.createWriteStream");
console.log("the process's peak RSS in the first table is that of a process that also ran the raw loops (its heap stays grown); the second table's is not");

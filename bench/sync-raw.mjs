// The raw limit of bench:sync, run by sync.mjs in a child process of its own (its pre-built rows
// would otherwise count in the measured process's peak RSS): the same rows the Complete load stores
// (the same 9 columns of idm_resources, canonical JSON properties and their SHA-256 hash, all computed
// BEFORE the timing), inserted into a fresh store in one transaction by multi-row INSERTs of the
// product's batch size, straight through the driver: on PostgreSQL a named prepared statement (pg's
// { name, text, values }) for every full batch, on SQLite one better-sqlite3 prepared statement. The
// timing covers BEGIN to COMMIT; the row count is checked after it. Prints one JSON line.
// Usage: node --expose-gc bench/sync-raw.mjs <sqlite|postgres> <rows> <root folder>
import { encodeProperties, hashProperties } from "../dist/domain/resources/properties.js";
import { batchSize } from "../dist/store/statements.js";
import { benchBackends } from "./backends.mjs";
import { CONNECTOR, ENTITY_TYPE, person, propertiesOf } from "./sync-people.mjs";

const [backendName, rowsArgument, root] = process.argv.slice(2);
const ROWS = Number(rowsArgument);
const backend = benchBackends(root).find((b) => b.name === backendName);
if (backend === undefined || !(ROWS > 0)) throw new Error(`usage: sync-raw.mjs <sqlite|postgres> <rows> <root>; ${backendName} is not configured`);
const postgres = backendName === "postgres";

// What the product's insert binds, column for column (resource-queries.ts' insertResources).
const COLUMNS = ["entity_type", "connector", "source_key", "hash", "valid_from", "dirty", "created_by_job_instance", "changed_by_job_instance", "properties"];
const perStatement = batchSize(postgres ? "postgres" : "sqlite", COLUMNS.length);
const now = new Date().toISOString();
const validFrom = postgres ? now : now.replace("T", " ").replace("Z", "");
const dirty = postgres ? false : 0;
const JOB_INSTANCE = 1;
const statementFor = (rows) => {
  let n = 0;
  const tuples = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${COLUMNS.map(() => (postgres ? `$${++n}` : "?")).join(", ")})`);
  return `INSERT INTO idm_resources (${COLUMNS.join(", ")}) VALUES ${tuples.join(", ")}`;
};

// Every batch's parameters, built before the timing.
const batches = [];
let parameters = [];
let firstHash;
for (let i = 0; i < ROWS; i++) {
  const values = person(i, 0);
  const properties = encodeProperties(propertiesOf(values));
  const hash = hashProperties(properties);
  firstHash ??= hash;
  parameters.push(ENTITY_TYPE, CONNECTOR, values[0], hash, validFrom, dirty, JOB_INSTANCE, JOB_INSTANCE, properties);
  if (parameters.length === perStatement * COLUMNS.length) {
    batches.push(parameters);
    parameters = [];
  }
}
if (parameters.length > 0) batches.push(parameters);
const full = statementFor(perStatement);
const last = statementFor(parameters.length / COLUMNS.length);

const store = await backend.fresh();
try {
  const runner = store.dataSource.createQueryRunner();
  const connection = await runner.connect(); // pg's Client, or better-sqlite3's Database
  let ms;
  try {
    globalThis.gc?.();
    if (postgres) {
      const start = performance.now();
      await connection.query("BEGIN");
      for (const values of batches) {
        if (values.length === perStatement * COLUMNS.length) await connection.query({ name: "bench_raw_insert", text: full, values });
        else await connection.query(last, values);
      }
      await connection.query("COMMIT");
      ms = performance.now() - start;
    } else {
      const fullStatement = connection.prepare(full);
      const start = performance.now();
      connection.exec("BEGIN");
      for (const values of batches) {
        if (values.length === perStatement * COLUMNS.length) fullStatement.run(values);
        else connection.prepare(last).run(values);
      }
      connection.exec("COMMIT");
      ms = performance.now() - start;
    }
  } finally {
    await runner.release();
  }
  const [{ n }] = await store.dataSource.query(`SELECT COUNT(*) AS n FROM idm_resources WHERE entity_type = '${ENTITY_TYPE}'`);
  if (Number(n) !== ROWS) throw new Error(`the raw insert stored ${n} rows, not ${ROWS}`);
  console.log(JSON.stringify({ ms, perStatement, firstHash }));
} finally {
  await store.close();
}

// The raw limit of bench:rolemodel, run by rolemodel.mjs in a child process of its own (the rows
// it holds would otherwise count in the measured process's peak RSS). It reads the assignment rows
// the Complete run just stored (contexts, roles, resource types, values: every column the product
// writes, the resource types' reserved ids included), empties those tables, and inserts the same rows
// again straight through the driver: the product's rows per statement (the dialect's parameter limit
// over the columns), its transactions (one per batch of owners, DEFAULT_ROLE_MODEL_BATCH_SIZE, in the
// order the product writes a batch: resource types, values, contexts, roles), and a prepared
// statement per statement text (better-sqlite3's, pg's named ones). Every parameter is built before
// the timing, which covers the first BEGIN to the last COMMIT; the row counts are checked after it.
// Prints one JSON line. Usage: node --expose-gc bench/rolemodel-raw.mjs <url> [<postgres schema>]
import { DEFAULT_ROLE_MODEL_BATCH_SIZE } from "../dist/domain/rolemodel/compute-role-model.js";
import { batchSize } from "../dist/store/statements.js";
import { openStore } from "../dist/store/store.js";
import { maxRssMb } from "./measure.mjs";

const [url, schema] = process.argv.slice(2);
// In the order the product inserts a batch's rows (assignment-writes.ts insertions).
const TABLES = ["idm_assigned_resource_types", "idm_assigned_values", "idm_assigned_contexts", "idm_assigned_roles"];
const GENERATED_ID = new Set(["idm_assigned_values", "idm_assigned_contexts", "idm_assigned_roles"]);

const store = await openStore(url, { migrate: false, ...(schema ? { schema } : {}) });
const postgres = store.dialect === "postgres";
try {
  const tables = await readTables(store);
  const batches = transactions(tables);
  const statements = new Map();
  const runner = store.dataSource.createQueryRunner();
  const connection = await runner.connect(); // pg's Client, or better-sqlite3's Database
  let ms;
  try {
    if (postgres) await runner.query(`TRUNCATE ${TABLES.join(", ")}`);
    else for (const table of [...TABLES].reverse()) await runner.query(`DELETE FROM ${table}`);
    globalThis.gc?.();
    const start = performance.now();
    for (const batch of batches) {
      if (postgres) await connection.query("BEGIN");
      else connection.exec("BEGIN");
      for (const { table, text, values } of batch) {
        if (postgres) await connection.query({ name: `bench_raw_${table}_${values.length}`, text, values });
        else {
          let statement = statements.get(text);
          if (statement === undefined) statements.set(text, (statement = connection.prepare(text)));
          statement.run(values);
        }
      }
      if (postgres) await connection.query("COMMIT");
      else connection.exec("COMMIT");
    }
    ms = performance.now() - start;
  } finally {
    await runner.release();
  }
  const counts = {};
  for (const t of tables) {
    const [{ n }] = await store.dataSource.query(`SELECT COUNT(*) AS n FROM ${t.table}`);
    if (Number(n) !== t.rows.length) throw new Error(`the raw insert stored ${n} rows in ${t.table}, not ${t.rows.length}`);
    counts[t.table] = t.rows.length;
  }
  console.log(JSON.stringify({ ms, counts, transactions: batches.length, maxRssMb: maxRssMb() }));
} finally {
  await store.close();
}

/** Each table's rows as the product wrote them, in id order, with the owner each belongs to. */
async function readTables(s) {
  const ownerOfType = new Map();
  const out = [];
  for (const table of TABLES) {
    const rows = await s.dataSource.query(`SELECT * FROM ${table} ORDER BY id`);
    const columns = Object.keys(rows[0] ?? {}).filter((c) => !(GENERATED_ID.has(table) && c === "id"));
    if (table === "idm_assigned_resource_types") for (const r of rows) ownerOfType.set(Number(r.id), Number(r.owner_id));
    const ownerOf = table === "idm_assigned_values" ? (r) => ownerOfType.get(Number(r.assigned_resource_type_id)) : (r) => Number(r.owner_id);
    out.push({ table, columns, rows: rows.map((r) => ({ owner: ownerOf(r), values: columns.map((c) => r[c]) })) });
  }
  return out;
}

/** The statements of each transaction: the rows of DEFAULT_ROLE_MODEL_BATCH_SIZE owners (in id order, the order the product reads them). */
function transactions(tables) {
  const owners = [...new Set(tables.flatMap((t) => t.rows.map((r) => r.owner)))].sort((a, b) => a - b);
  const batchOf = new Map(owners.map((o, i) => [o, Math.floor(i / DEFAULT_ROLE_MODEL_BATCH_SIZE)]));
  const batches = Array.from({ length: Math.ceil(owners.length / DEFAULT_ROLE_MODEL_BATCH_SIZE) }, () => []);
  for (const { table, columns, rows } of tables) {
    const perStatement = batchSize(store.dialect, columns.length);
    const byBatch = batches.map(() => []);
    for (const r of rows) byBatch[batchOf.get(r.owner)].push(r.values);
    byBatch.forEach((list, b) => {
      for (let i = 0; i < list.length; i += perStatement) {
        const slice = list.slice(i, i + perStatement);
        batches[b].push({ table, text: insertText(table, columns, slice.length), values: slice.flat() });
      }
    });
  }
  return batches;
}

function insertText(table, columns, rows) {
  let n = 0;
  const tuples = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${columns.map(() => (postgres ? `$${++n}` : "?")).join(", ")})`);
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`;
}

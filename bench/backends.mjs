// The databases a benchmark runs on: a new SQLite file under `root`, and a new PostgreSQL schema
// (dropped on close) when IDM_TEST_POSTGRES_URL is set. A PostgreSQL store names its `schema`, for a
// child process that opens it again (with the store's secretUrl()).
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { migrate, openStore } from "../dist/store/store.js";

export function benchBackends(root) {
  return [
    { name: "sqlite", fresh: async () => openStore(`sqlite:${join(mkdtempSync(join(root, "db-")), "idm.db")}`) },
    ...(process.env.IDM_TEST_POSTGRES_URL ? [{ name: "postgres", fresh: () => freshPostgres(process.env.IDM_TEST_POSTGRES_URL) }] : []),
  ];
}

async function freshPostgres(url) {
  const schema = `idm_bench_${randomBytes(4).toString("hex")}`;
  const store = await openStore(url, { schema, migrate: false });
  await store.dataSource.query(`CREATE SCHEMA "${schema}"`);
  await migrate(store);
  return { ...store, schema, close: async () => { await store.dataSource.query(`DROP SCHEMA "${schema}" CASCADE`); await store.close(); } };
}

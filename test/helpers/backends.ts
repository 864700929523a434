/**
 * The databases the store-backed tests run on: SQLite always, PostgreSQL when IDM_TEST_POSTGRES_URL is set.
 * Every test gets its own SQLite file, or its own PostgreSQL schema named after it, dropped after.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type OpenStoreOptions, type Store } from "../../src/store/store.js";

export interface TestDatabase {
  url: string;
  /** PostgreSQL schema of this test (undefined on SQLite) */
  schema?: string;
  /** Opens a store on this test's database; closed by drop(). */
  open(options?: Omit<OpenStoreOptions, "schema">): Promise<Store>;
  /** Closes every store opened here and drops the schema. */
  drop(): Promise<void>;
}

export interface Backend {
  name: "sqlite" | "postgres";
  create(testName: string): Promise<TestDatabase>;
}

function tracking(url: string, schema: string | undefined, dropSchema: () => Promise<void>): TestDatabase {
  const opened: Store[] = [];
  return {
    url,
    ...(schema === undefined ? {} : { schema }),
    async open(options = {}) {
      const store = await openStore(url, { ...options, ...(schema === undefined ? {} : { schema }) });
      opened.push(store);
      return store;
    },
    async drop() {
      for (const store of opened) await store.close();
      await dropSchema();
    },
  };
}

const sqlite: Backend = {
  name: "sqlite",
  async create() {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), "idm-store-")), "idm.db")}`;
    return tracking(url, undefined, async () => {});
  },
};

/** "leases: a second acquire waits" → "idm_t_leases_a_second_acquire_wa_3f9a1c". */
export function schemaNameFor(testName: string): string {
  const slug = testName.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 40);
  return `idm_t_${slug}_${randomBytes(3).toString("hex")}`;
}

function postgres(url: string): Backend {
  const admin = async (sql: string): Promise<void> => {
    const store = await openStore(url, { migrate: false });
    try {
      await store.dataSource.query(sql);
    } finally {
      await store.close();
    }
  };
  return {
    name: "postgres",
    async create(testName) {
      const schema = schemaNameFor(testName);
      await admin(`CREATE SCHEMA "${schema}"`);
      return tracking(url, schema, () => admin(`DROP SCHEMA "${schema}" CASCADE`));
    },
  };
}

const POSTGRES_URL = process.env.IDM_TEST_POSTGRES_URL;

export const BACKENDS: [string, Backend][] = [
  ["sqlite", sqlite],
  ...(POSTGRES_URL ? [["postgres", postgres(POSTGRES_URL)] as [string, Backend]] : []),
];

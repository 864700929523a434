/**
 * The databases the store tests run on: SQLite always, PostgreSQL when IDM_TEST_POSTGRES_URL is set.
 * Each opened store gets its own SQLite file or PostgreSQL schema, so runs never collide.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { migrate, openStore, type Store } from "../../src/store/store.js";

export interface Backend {
  name: "sqlite" | "postgres";
  /** A fresh, migrated, empty store. */
  open(): Promise<TestStore>;
}

export interface TestStore extends Store {
  /** Opens another connection to the same database (a second process would). */
  reopen(): Promise<Store>;
  url: string;
}

const sqlite: Backend = {
  name: "sqlite",
  async open() {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), "idm-db-")), "idm.db")}`;
    const store = await openStore(url);
    return { ...store, url, reopen: () => openStore(url) };
  },
};

function postgres(url: string): Backend {
  return {
    name: "postgres",
    async open() {
      const schema = `idm_test_${randomBytes(6).toString("hex")}`;
      const store = await openStore(url, { schema, migrate: false });
      await store.dataSource.query(`CREATE SCHEMA "${schema}"`);
      await migrate(store);
      return {
        ...store,
        url,
        reopen: () => openStore(url, { schema }),
        close: async () => {
          await store.dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
          await store.close();
        },
      };
    },
  };
}

export const BACKENDS: Backend[] = [sqlite, ...(process.env.IDM_TEST_POSTGRES_URL ? [postgres(process.env.IDM_TEST_POSTGRES_URL)] : [])];

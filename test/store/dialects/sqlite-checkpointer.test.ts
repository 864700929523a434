import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataSource } from "typeorm";
import { parseDatabaseUrl } from "../../../src/store/database-url.js";
import { BACKSTOP_PAGES, startCheckpointer } from "../../../src/store/dialects/sqlite-checkpointer.js";
import { openStore, type Store } from "../../../src/store/store.js";

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/** `file`'s size once it reaches `bytes`, or the last size seen after `ms`. */
async function sizeReaching(file: string, bytes: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  while (sizeOf(file) < bytes && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return sizeOf(file);
}

/** 10 MB written in one transaction: pages that only the log holds until a checkpoint copies them. */
async function writeTenMegabytes(s: Store): Promise<void> {
  await s.dataSource.query("CREATE TABLE bulk (id INTEGER PRIMARY KEY, payload BLOB)");
  await s.dataSource.transaction(async (m) => {
    for (let i = 0; i < 160; i++) await m.query("INSERT INTO bulk (payload) VALUES (randomblob(65536))");
  });
}

describe("SQLite checkpoints off the job's thread", () => {
  it("leaves the store's connection only a backstop", async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), "idm-ckpt-")), "idm.db")}`);
    expect(await store.dataSource.query("PRAGMA wal_autocheckpoint")).toEqual([{ wal_autocheckpoint: BACKSTOP_PAGES }]);
  });

  it("leaves a connection opened outside the store (a fulfilment target) to SQLite's own checkpoints", async () => {
    const target = parseDatabaseUrl(`sqlite:${join(mkdtempSync(join(tmpdir(), "idm-ckpt-")), "target.db")}`);
    const dataSource = new DataSource({ ...target.options, logging: false });
    await dataSource.initialize();
    try {
      expect(await dataSource.query("PRAGMA wal_autocheckpoint")).toEqual([{ wal_autocheckpoint: 1000 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it("copies a committed log into the database file while the store stays open, without the committing connection doing it", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "idm-ckpt-")), "idm.db");
    store = await openStore(`sqlite:${file}`);
    const before = sizeOf(file);
    await writeTenMegabytes(store);
    // The backstop (256 MiB) is far: right after the commit the pages are in the log only.
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(10_000_000);
    expect(sizeOf(file)).toBe(before);
    expect(await sizeReaching(file, before + 10_000_000, 10_000)).toBeGreaterThan(before + 10_000_000);
  });

  it("closes its thread's connection before the store's, whose last checkpoint then removes the log", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "idm-ckpt-")), "idm.db");
    store = await openStore(`sqlite:${file}`);
    await writeTenMegabytes(store);
    await sizeReaching(file, 10_000_000, 10_000);
    await store.close();
    store = undefined;
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = await openStore(`sqlite:${file}`);
    try {
      expect(await reopened.dataSource.query("SELECT COUNT(*) AS n FROM bulk")).toEqual([{ n: 160 }]);
    } finally {
      await reopened.close();
    }
  });

  it("gives up, without hanging its close, when its thread cannot open the database", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "idm-ckpt-")), "gone.db");
    writeFileSync(`${file}-wal`, Buffer.alloc(5_000_000)); // a log large enough to start the thread; no database beside it
    const checkpointer = startCheckpointer(file);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const closed = await Promise.race([checkpointer.close().then(() => "closed"), new Promise((resolve) => setTimeout(() => resolve("hanging"), 5_000))]);
    expect(closed).toBe("closed");
    expect(existsSync(file)).toBe(false);
  });

  it("does nothing for a database in memory", async () => {
    store = await openStore("sqlite::memory:");
    await writeTenMegabytes(store);
    expect(await store.dataSource.query("SELECT COUNT(*) AS n FROM bulk")).toEqual([{ n: 160 }]);
  });
});

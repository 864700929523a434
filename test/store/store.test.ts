import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { switchToWal } from "../../src/store/dialects/sqlite.js";
import { ENTITY, type ItemRow } from "../../src/store/entities.js";
import { migrate, migrationStatus, openStore, type Store } from "../../src/store/store.js";
import { ResourceStore } from "../../src/domain/resources/resource-store.js";
import { idmAsync } from "../helpers/idm-process.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

interface SqliteConnection {
  exec(sql: string): void;
  pragma(source: string, options?: { simple: boolean }): unknown;
  close(): void;
}
const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string, options?: { timeout: number }) => SqliteConnection;

const TABLES = [
  "idm_assigned_contexts", "idm_assigned_resource_types", "idm_assigned_roles", "idm_assigned_values", "idm_assignment_history",
  "idm_correlation_keys", "idm_deleted_resources", "idm_deployments", "idm_generated_navigation_rules", "idm_generated_roles", "idm_id_sequences", "idm_identified_risks", "idm_item_revisions", "idm_items", "idm_job_instances", "idm_leases",
  "idm_migrations", "idm_provisioning_orders", "idm_resource_changes", "idm_resource_history", "idm_resource_link_changes",
  "idm_resource_link_history", "idm_resource_links", "idm_resources", "idm_risk_scores", "idm_schedules",
  "idm_synchronization_history", "idm_task_instances", "idm_task_logs",
];
const MIGRATIONS = ["0001-initial-schema", "0002-job-runs", "0003-resource-store", "0004-task-process-groups", "0005-item-contributions", "0006-item-generated-by",
  "0007-assignments", "0008-generated-role-model", "0009-order-fulfilment",
  "0010-deployment-source-fingerprint", "0011-ledger-references", "0012-resource-history-chain", "0013-dirty-resources-index"];
const status = (ran: boolean) => MIGRATIONS.map((name) => ({ name, ran }));

async function tables(store: Store): Promise<string[]> {
  const rows: { name: string }[] = store.dialect === "sqlite"
    ? await store.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'idm_%'`)
    : await store.dataSource.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`);
  return rows.map((r) => r.name).filter((n) => n.startsWith("idm_")).sort();
}

/** A new object each time: TypeORM writes the generated id into what it inserts. */
function item(identifier = "J"): Omit<ItemRow, "id"> {
  return {
    kind: "Job", identifier, attributes: "{}", children: "[]", hash: "0".repeat(64),
    sourceFile: "jobs.xml", sourceLine: 3, sourceColumn: 3, contributions: null, generatedBy: null, createdBy: null, changedBy: null,
  };
}

describe.each(BACKENDS)("store on %s", (_, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("reports the migration pending on a new database, runs it once, then reports it ran", async () => {
    const store = await db.open({ migrate: false });
    expect(await migrationStatus(store)).toEqual(status(false));
    expect(await migrate(store)).toEqual(MIGRATIONS);
    expect(await tables(store)).toEqual(TABLES);
    expect(await migrate(store)).toEqual([]);
    expect(await migrationStatus(store)).toEqual(status(true));
    const again = await db.open();
    expect(await migrationStatus(again)).toEqual(status(true));
  });

  it("has entities that match the migrated schema exactly (TypeORM's schema diff is empty)", async () => {
    const store = await db.open();
    const diff = await store.dataSource.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);
  });

  it("maps rows both ways, keeps identifiers case-sensitive, and refuses a duplicate (kind, identifier)", async () => {
    const store = await db.open();
    const items = store.dataSource.getRepository<ItemRow>(ENTITY.item);
    await items.insert([item("J"), item("j")]);
    expect(await items.findOneBy({ identifier: "j" })).toEqual({ id: 2, ...item("j") });
    await expect(items.insert(item("J"))).rejects.toThrow();
    expect(await items.count()).toBe(2);
  });

  it("can undo the migration and run it again", async () => {
    const store = await db.open();
    for (const _ of MIGRATIONS) await store.dataSource.undoLastMigration();
    expect(await tables(store)).toEqual(["idm_migrations"]);
    expect(await migrationStatus(store)).toEqual(status(false));
    expect(await migrate(store)).toEqual(MIGRATIONS);
  });

  it("chains the history a database held before 0012, in the order it was archived; a deleted resource's too", async () => {
    const store = await db.open();
    const after0012 = MIGRATIONS.slice(MIGRATIONS.indexOf("0012-resource-history-chain"));
    for (const _ of after0012) await store.dataSource.undoLastMigration();
    const placeholders = (n: number) => Array.from({ length: n }, (_, i) => (store.dialect === "postgres" ? `$${i + 1}` : "?")).join(", ");
    const at = (day: number) => `2026-01-0${day} 00:00:00.000`;
    for (const [key, day] of [["a", 3], ["b", 1]] as const) {
      await store.dataSource.query(`INSERT INTO idm_resources (entity_type, connector, source_key, hash, valid_from, dirty, properties) VALUES (${placeholders(7)})`,
        ["P", "HR", key, "0".repeat(64), at(day), false, "{}"]);
    }
    // Resource 1 (a) archived twice, resource 2 (b) never, resource 9 archived twice and then deleted.
    for (const [resourceId, from, to] of [[1, 1, 2], [9, 1, 2], [1, 2, 3], [9, 2, 4]] as const) {
      await store.dataSource.query(`INSERT INTO idm_resource_history (resource_id, entity_type, connector, source_key, hash, valid_from, valid_to, properties) VALUES (${placeholders(8)})`,
        [resourceId, "P", "HR", `k${resourceId}`, "0".repeat(64), at(from), at(to), `{"From":${from}}`]);
    }
    expect(await migrate(store)).toEqual(after0012);

    const resources = new ResourceStore(store.dataSource.manager);
    const chain = async (id: number) => (await resources.history(id)).map((h) => [h.id, h.previousId, h.properties]);
    expect(await chain(1)).toEqual([[1, null, '{"From":1}'], [3, 1, '{"From":2}']]);
    expect(await chain(2)).toEqual([]);
    expect(await chain(9)).toEqual([[2, null, '{"From":1}'], [4, 2, '{"From":2}']]);
    expect((await resources.resourcesByIds([1, 2])).map((r) => r.historyId)).toEqual([3, null]);
  });

  it("lets two stores opening a new database at once both succeed", async () => {
    const [a, b] = await Promise.all([db.open(), db.open()]);
    expect(await migrationStatus(a!)).toEqual(status(true));
    expect(await tables(b!)).toEqual(TABLES);
  });
});

describe("store on sqlite", () => {
  it("creates the parent folder on first use, in WAL mode with a busy timeout and commits synced at checkpoints", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-store-"));
    const store = await openStore("sqlite:.idm/idm.db", { cwd });
    try {
      expect(existsSync(join(cwd, ".idm/idm.db"))).toBe(true);
      expect(await store.dataSource.query("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
      expect(await store.dataSource.query("PRAGMA busy_timeout")).toEqual([{ timeout: 10_000 }]);
      // 1 = NORMAL: a commit does not wait for a disk flush; WAL keeps it safe from a killed process.
      expect(await store.dataSource.query("PRAGMA synchronous")).toEqual([{ synchronous: 1 }]);
      // 32 MiB of page cache (negative: in KiB), so that a Dirty run's scattered pages stay cached between read and write.
      expect(await store.dataSource.query("PRAGMA cache_size")).toEqual([{ cache_size: -32768 }]);
    } finally {
      await store.close();
    }
  });

  it("waits for another process's write transaction instead of failing", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "idm-store-")), "idm.db");
    const store = await openStore(`sqlite:${file}`);
    try {
      // The child holds SQLite's write lock for 1.5 s (better-sqlite3 is synchronous, so this must be another process).
      const child = spawn(process.execPath, ["-e", `
        const db = require("better-sqlite3")(process.argv[1]);
        db.exec("BEGIN IMMEDIATE");
        db.prepare("INSERT INTO idm_leases VALUES ('other', 'o', 'h', 1, '2000-01-01', '2000-01-01', '2000-01-01')").run();
        console.log("locked");
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
        db.exec("COMMIT");
      `, file], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const started = Date.now();
      await store.dataSource.getRepository<ItemRow>(ENTITY.item).insert(item());
      expect(Date.now() - started).toBeGreaterThan(500);
      expect(await store.dataSource.query("SELECT name FROM idm_leases")).toEqual([{ name: "other" }]);
      await new Promise((resolve) => child.once("exit", resolve));
    } finally {
      await store.close();
    }
  });

  it("switches a new database to WAL once another process lets go of it (SQLite answers that pragma busy at once)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "idm-store-")), "idm.db");
    // The child holds the new file's write lock, in rollback-journal mode, for 0.5 s.
    const child = spawn(process.execPath, ["-e", `
      const db = require("better-sqlite3")(process.argv[1]);
      db.exec("BEGIN IMMEDIATE");
      db.exec("CREATE TABLE t (a)");
      console.log("locked");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      db.exec("COMMIT");
    `, file], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const db = new Database(file, { timeout: 10_000 });
    try {
      expect(() => db.pragma("journal_mode = WAL")).toThrow(/database is locked/);
      switchToWal(db, 10_000);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });

  it("gives up switching to WAL after its timeout, with SQLite's error", () => {
    const file = join(mkdtempSync(join(tmpdir(), "idm-store-")), "idm.db");
    const holder = new Database(file);
    holder.exec("BEGIN IMMEDIATE");
    holder.exec("CREATE TABLE t (a)");
    const db = new Database(file, { timeout: 10_000 });
    try {
      expect(() => switchToWal(db, 100)).toThrow(/database is locked/);
    } finally {
      db.close();
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it("lets four processes migrate a new database at once: one migrates, the others find it done", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "idm-store-")), "idm.db");
    const results = await Promise.all([1, 2, 3, 4].map(() => idmAsync(tmpdir(), ["--database", `sqlite:${file}`, "db", "migrate"])));
    expect(results.map((r) => r.status), results.map((r) => r.stderr).join("")).toEqual([0, 0, 0, 0]);
    const store = await openStore(`sqlite:${file}`, { migrate: false });
    try {
      expect(await migrationStatus(store)).toEqual(status(true));
    } finally {
      await store.close();
    }
  });
});

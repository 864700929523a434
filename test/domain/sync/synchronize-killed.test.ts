/**
 * A synchronization killed with SIGKILL in the middle of its apply transaction: the database is left
 * as it was before the run, the batch stays queued (as `<batch>.taken`, taken again first), and the
 * next run applies it completely. idm runs as a child process on SQLite and PostgreSQL; the test
 * kills it once the apply transaction has visibly been writing for a while (SQLite: the write lock
 * held for 300 ms; PostgreSQL: a session's write transaction open for 300 ms).
 */
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../../src/store/store.js";
import { idm, startIdm } from "../../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../../helpers/process-databases.js";
import { collectFolder, databaseQueue } from "../../../src/domain/sync/batch-queue.js";

const PEOPLE = 40_000;
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
afterAll(dropProcessDatabases);

const CONFIG = `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <Agent Identifier="Local" DisplayName_L1="Local agent" URI="http://localhost:5000" />
  <Connector Identifier="People" DisplayName_L1="People" Agent="Local" MaximumInsertedLines="0" MaxPercentageInsertedLines="0"
    MaximumUpdatedLines="0" MaxPercentageUpdatedLines="0" MaximumDeletedLines="0" MaxPercentageDeletedLines="0" />
  <Connection Identifier="People" DisplayName_L1="People file" Connector="People" Package="Usercube.CSV@0000001" />
  <ConnectionTable Identifier="People" Connection="People" DisplayName="People file">
    <Column Identifier="id" DisplayName="id" KeyType="Primary" />
    <Column Identifier="name" DisplayName="name" />
    <Column Identifier="title" DisplayName="title" />
  </ConnectionTable>
  <EntityType Identifier="Person" DisplayName_L1="Person">
    <Property Identifier="Id_" DisplayName_L1="Id" IsKey="true" TargetColumnIndex="4" Type="String" />
    <Property Identifier="Name" DisplayName_L1="Name" TargetColumnIndex="5" Type="String" />
    <Property Identifier="Title" DisplayName_L1="Title" TargetColumnIndex="6" Type="String" />
  </EntityType>
  <EntityTypeMapping Identifier="Person" Connector="People" ConnectionTable="People">
    <Property Identifier="Id_" ConnectionColumn="id" IsPrimaryKey="true" />
    <Property Identifier="Name" ConnectionColumn="name" />
    <Property Identifier="Title" ConnectionColumn="title" />
  </EntityTypeMapping>
  <Job Identifier="People_Prepare" DisplayName_L1="Prepare" Agent="Local">
    <PrepareSynchronizationTask Identifier="People_PrepareTask" DisplayName_L1="Prepare" Agent="Local" Connector="People" SynchronizationMode="Complete" />
  </Job>
  <Job Identifier="People_Synchronize" DisplayName_L1="Synchronize">
    <SynchronizeTask Identifier="People_SynchronizeTask" DisplayName_L1="Synchronize" Connector="People" />
  </Job>
</ConfigurationFile>
`;

function workspace(): { cwd: string; writePeople(round: number): void; collectOf(url: string): Promise<string> } {
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), "idm-sync-killed-")));
  roots.push(cwd);
  mkdirSync(join(cwd, "conf"));
  mkdirSync(join(cwd, "export"));
  writeFileSync(join(cwd, "conf", "People.xml"), CONFIG);
  writeFileSync(join(cwd, "appsettings.json"), JSON.stringify({ Paths: { Work: "work", Temp: "temp", Export: "export" } }));
  const writePeople = (round: number) => {
    const rows = Array.from({ length: PEOPLE }, (_, i) => `P${String(i).padStart(6, "0")},Person ${i},Title ${i % 7} round ${round}`);
    writeFileSync(join(cwd, "export", "People.csv"), `id,name,title\r\n${rows.join("\r\n")}\r\n`);
  };
  /** The People queue of the database at url, as the CLI run in cwd names it. */
  const collectOf = async (url: string) => {
    const store = await openStore(url, { cwd });
    try {
      return collectFolder(join(cwd, "work"), "People", databaseQueue(store));
    } finally {
      await store.close();
    }
  };
  return { cwd, writePeople, collectOf };
}

/** Every current resource as key → (properties, valid from), and the archived versions counted. */
async function snapshot(url: string): Promise<{ resources: Map<string, string>; history: number }> {
  const store = await openStore(url);
  try {
    const rows = await store.dataSource.query("SELECT source_key, properties, valid_from FROM idm_resources ORDER BY source_key");
    const [{ n }] = await store.dataSource.query("SELECT COUNT(*) AS n FROM idm_resource_history");
    return { resources: new Map(rows.map((r: Record<string, unknown>) => [String(r.source_key), `${r.properties} ${String(r.valid_from)}`])), history: Number(n) };
  } finally {
    await store.close();
  }
}

/** Resolves once the apply transaction is writing, as seen from outside the process. */
async function applyStarted(url: string, signal: AbortSignal): Promise<void> {
  const poll = () => new Promise((resolve) => setTimeout(resolve, 20));
  if (url.startsWith("sqlite:")) {
    // A write transaction held for 300 ms on end: the runner's own commits hold the write lock for a
    // few milliseconds, the apply for as long as it writes. (The size of the write-ahead log said it
    // too while the apply's pages spilled out of the page cache; with 32 MiB of cache they may not.)
    const store = await openStore(url, { migrate: false });
    const database = (store.dataSource.driver as unknown as { databaseConnection: { exec(sql: string): void; pragma(sql: string): unknown } }).databaseConnection;
    database.pragma("busy_timeout = 0");
    try {
      let busySince: number | undefined;
      while (!signal.aborted) {
        try {
          database.exec("BEGIN IMMEDIATE");
          database.exec("ROLLBACK");
          busySince = undefined;
        } catch (error) {
          if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
          busySince ??= Date.now();
          if (Date.now() - busySince >= 300) return;
        }
        await poll();
      }
    } finally {
      await store.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    while (!signal.aborted) {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()" +
          " AND backend_xid IS NOT NULL AND xact_start < now() - interval '300 milliseconds'",
      );
      if (rows[0].n > 0) return;
      await poll();
    }
  } finally {
    await client.end();
  }
}

describe.each(PROCESS_DATABASES.map((d) => [d.name, d] as const))("a synchronization killed mid-apply on %s", (_, database) => {
  it("leaves the database as before and the batch queued; the next run applies the batch", { timeout: 180_000 }, async () => {
    const { cwd, writePeople, collectOf } = workspace();
    const url = await database.create(cwd);
    const run = (...args: string[]) => idm(cwd, "--database", url, ...args);
    const collect = await collectOf(url);
    expect(run("deploy", "conf").status).toBe(0);
    writePeople(1);
    expect(run("run", "People_Prepare").status).toBe(0);
    expect(run("run", "People_Synchronize").status).toBe(0);
    const before = await snapshot(url);
    expect(before.resources.size).toBe(PEOPLE);

    // Every person changes: the apply archives and rewrites all of them in one transaction.
    writePeople(2);
    expect(run("run", "People_Prepare").status).toBe(0);
    const watching = new AbortController();
    const started = applyStarted(url, watching.signal);
    const { child, result } = startIdm(cwd, ["--database", url, "run", "People_Synchronize"]);
    const ended = result.then(() => "ended" as const);
    const first = await Promise.race([started.then(() => "applying" as const), ended]);
    watching.abort();
    expect(first).toBe("applying");
    child.kill("SIGKILL");
    expect((await result).signal).toBe("SIGKILL");

    expect(await snapshot(url)).toEqual(before);
    expect(readdirSync(collect).filter((name) => /^\d{6}-/.test(name))).toEqual(["000002-Complete.taken"]);

    const again = run("run", "People_Synchronize");
    expect(again.status, again.stderr).toBe(0);
    const after = await snapshot(url);
    expect(after.history).toBe(PEOPLE);
    expect([...after.resources.values()].every((text) => text.includes("round 2"))).toBe(true);
    expect(readdirSync(collect).filter((name) => /^\d{6}-/.test(name))).toEqual([]);
  });
});

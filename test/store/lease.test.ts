import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLease, LeaseBusyError, readLease } from "../../src/store/lease.js";
import { insertLease } from "../../src/store/lease-queries.js";
import type { Store } from "../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

// The child process runs the built code (npm test builds first, as for the CLI tests).
const BUILT_STORE = fileURLToPath(new URL("../../dist/store/store.js", import.meta.url));
const BUILT_LEASE = fileURLToPath(new URL("../../dist/store/lease.js", import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process that acquires the lease, says "held", and then waits for its SIGKILL without heartbeating again. */
function holderProcess(db: TestDatabase, ttlMs: number): Promise<{ pid: number; kill(): Promise<void> }> {
  const script = `
    const { openStore } = await import(${JSON.stringify(BUILT_STORE)});
    const { acquireLease } = await import(${JSON.stringify(BUILT_LEASE)});
    const [url, schema, ttl] = process.argv.slice(1);
    const store = await openStore(url, schema ? { schema } : {});
    await acquireLease(store, "deploy", { waitMs: 0, ttlMs: Number(ttl) });
    console.log("held");
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, db.url, db.schema ?? "", String(ttlMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the holder process exited with ${code} before holding the lease`)));
    child.stdout.once("data", () => {
      child.removeAllListeners("exit");
      resolve({
        pid: child.pid!,
        kill: () => new Promise((done) => (child.once("exit", () => done()), child.kill("SIGKILL"))),
      });
    });
  });
}

/**
 * Processes that all try the lease once at the same instant; each prints "won" or "busy", and the
 * winner keeps the lease until every one has answered (its stdin is closed).
 */
async function race(db: TestDatabase, processes: number): Promise<string[]> {
  const script = `
    const { openStore } = await import(${JSON.stringify(BUILT_STORE)});
    const { acquireLease, LeaseBusyError } = await import(${JSON.stringify(BUILT_LEASE)});
    const [url, schema, startAt] = process.argv.slice(1);
    const store = await openStore(url, schema ? { schema } : {});
    await new Promise((resolve) => setTimeout(resolve, Number(startAt) - Date.now()));
    let lease;
    try {
      lease = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 15000 });
      console.log("won");
    } catch (error) {
      console.log(error instanceof LeaseBusyError ? "busy" : String(error));
    }
    process.stdin.resume();
    await new Promise((resolve) => process.stdin.once("end", resolve));
    await lease?.release();
    await store.close();`;
  const startAt = String(Date.now() + 2_500);
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ["--input-type=module", "-e", script, db.url, db.schema ?? "", startAt], { stdio: ["pipe", "pipe", "inherit"] }));
  const answers = await Promise.all(children.map((child) => new Promise<string>((resolve) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => resolve(`exited with ${code}`));
  })));
  await Promise.all(children.map((child) => new Promise((resolve) => (child.once("exit", resolve), child.stdin.end()))));
  return answers;
}

describe.each(BACKENDS)("leases on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("is held until released, and release is idempotent", async () => {
    const before = Date.now();
    const lease = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 15_000 });
    const holder = await readLease(store, "deploy");
    expect(holder).toMatchObject({ owner: lease.owner, host: hostname(), pid: process.pid });
    expect(holder!.acquiredAt.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(holder!.expiresAt.getTime() - holder!.acquiredAt.getTime()).toBe(15_000);
    await lease.release();
    await lease.release();
    expect(lease.signal.aborted).toBe(true);
    expect(await readLease(store, "deploy")).toBeUndefined();
    const again = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 15_000 });
    await again.release();
  });

  it("makes a second acquirer wait, then fail naming the holder's host and pid", async () => {
    const lease = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 15_000 });
    const other = await db.open();
    const started = Date.now();
    const error = await acquireLease(other, "deploy", { waitMs: 600, ttlMs: 15_000, pollMs: 100 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(error).toBeInstanceOf(LeaseBusyError);
    const busy = error as LeaseBusyError;
    expect(busy.holder).toMatchObject({ owner: lease.owner, host: hostname(), pid: process.pid });
    expect(busy.message).toBe(`lease "deploy" is held by ${hostname()} pid ${process.pid} since ${busy.holder.acquiredAt.toISOString()}`);
    // Other names are other leases.
    await (await acquireLease(other, "run:J", { waitMs: 0, ttlMs: 15_000 })).release();
    await lease.release();
  });

  it("gets the lease as soon as the holder releases it", async () => {
    const lease = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 15_000 });
    const waiting = acquireLease(await db.open(), "deploy", { waitMs: 5_000, ttlMs: 15_000, pollMs: 50 });
    await sleep(200);
    await lease.release();
    const next = await waiting;
    expect((await readLease(store, "deploy"))?.owner).toBe(next.owner);
    await next.release();
  });

  it("keeps a lease alive past its TTL while the heartbeat runs", async () => {
    const lease = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 400, heartbeatMs: 100 });
    await sleep(1_000);
    await expect(acquireLease(await db.open(), "deploy", { waitMs: 0, ttlMs: 400 })).rejects.toBeInstanceOf(LeaseBusyError);
    const holder = await readLease(store, "deploy");
    expect(holder!.heartbeatAt.getTime()).toBeGreaterThan(holder!.acquiredAt.getTime() + 600);
    expect(lease.signal.aborted).toBe(false);
    await lease.release();
  });

  it("takes over at once the lease of a process of this host that was killed", async () => {
    const holder = await holderProcess(db, 60_000);
    await expect(acquireLease(store, "deploy", { waitMs: 0, ttlMs: 15_000 })).rejects.toThrow(`pid ${holder.pid} since`);
    await holder.kill();
    const lease = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 15_000 });
    expect(await readLease(store, "deploy")).toMatchObject({ owner: lease.owner, pid: process.pid });
    await lease.release();
  });

  it("takes over the lease of another host's holder once it expires, not before", async () => {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 1_500);
    await insertLease(store.dataSource, { name: "deploy", owner: "elsewhere", host: "another-host", pid: process.pid + 1, acquiredAt: now, heartbeatAt: now, expiresAt }).execute();
    await expect(acquireLease(store, "deploy", { waitMs: 0, ttlMs: 15_000 })).rejects.toThrow("held by another-host");
    const lease = await acquireLease(store, "deploy", { waitMs: 10_000, ttlMs: 15_000, pollMs: 100 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(await readLease(store, "deploy")).toMatchObject({ owner: lease.owner, pid: process.pid });
    await lease.release();
  });

  it("tells a holder that stopped heartbeating that its lease was taken, and its release spares the new holder", async () => {
    const stale = await acquireLease(store, "deploy", { waitMs: 0, ttlMs: 200, heartbeatMs: 600 });
    await sleep(300);
    const other = await db.open();
    const taker = await acquireLease(other, "deploy", { waitMs: 0, ttlMs: 15_000 });
    await sleep(600);
    expect(stale.signal.aborted).toBe(true);
    expect((stale.signal.reason as Error).message).toBe('lease "deploy" was taken over after it expired');
    await stale.release();
    expect((await readLease(store, "deploy"))?.owner).toBe(taker.owner);
    await taker.release();
  });

  it("lets exactly one of several processes trying at the same instant win", async () => {
    const results = await race(db, 4);
    expect(results.sort()).toEqual(["busy", "busy", "busy", "won"]);
  });

  it("lets exactly one of several stores of one process trying at once win", async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => db.open()));
    const results = await Promise.allSettled(stores.map((s) => acquireLease(s, "deploy", { waitMs: 0, ttlMs: 15_000 })));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(LeaseBusyError);
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });
});

/** `idm logs --follow` ends when the instance ends, and also when its runner is gone without ending it. */
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { followLogs, type LogLine } from "../../src/jobs/history.js";
import { insertJobInstance, insertTaskLogs, updateJobInstance } from "../../src/store/job-instance-queries.js";
import { jobLeaseName } from "../../src/store/job-lease.js";
import { insertLease } from "../../src/store/lease-queries.js";
import { run } from "../../src/store/statements.js";
import type { Store } from "../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

async function inProgressInstance(store: Store, pid: number): Promise<number> {
  const m = store.dataSource.manager;
  const inserted = await insertJobInstance(m, {
    job: "J", state: "InProgress", trigger: "cli", user: "u", host: hostname(), pid, startedAt: new Date(), endedAt: null,
    cancelRequested: false, forced: false, deploymentId: null, selection: null, snapshot: "{}",
  }).execute();
  const id = Number(inserted.identifiers[0]!.id);
  await run(m, insertTaskLogs(m, [{ jobInstanceId: id, taskInstanceId: null, loggedAt: new Date(), level: "Information", message: "started" }]));
  return id;
}

async function holdLease(store: Store, pid: number, expiresInMs: number): Promise<void> {
  const now = new Date();
  await insertLease(store.dataSource, {
    name: jobLeaseName("J"), owner: "runner", host: hostname(), pid, acquiredAt: now, heartbeatAt: now, expiresAt: new Date(now.getTime() + expiresInMs),
  }).execute();
}

describe.each(BACKENDS)("followLogs on %s", (_, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });
  const open = () => db.open();

  it("ends, saying why, when the runner's process is gone though its lease has not expired", async () => {
    const store = await open();
    const pid = deadPid();
    const id = await inProgressInstance(store, pid);
    await holdLease(store, pid, 60_000);
    const printed: LogLine[] = [];
    const end = await followLogs(store, id, { follow: true, pollMs: 20 }, (lines) => printed.push(...lines));
    expect(end).toMatchObject({ state: "InProgress" });
    expect(end?.runnerGone).toContain(`pid ${pid}`);
    expect(printed.map((l) => l.message)).toEqual(["started"]);
  });

  it("ends when no runner holds the job's lease", async () => {
    const store = await open();
    const id = await inProgressInstance(store, deadPid());
    const end = await followLogs(store, id, { follow: true, pollMs: 20 }, () => {});
    expect(end?.runnerGone).toContain(`lease ${jobLeaseName("J")} is not held`);
  });

  it("keeps following while a live runner holds the lease, and ends with the instance", async () => {
    const store = await open();
    const id = await inProgressInstance(store, process.pid);
    await holdLease(store, process.pid, 60_000);
    setTimeout(() => void updateJobInstance(store.dataSource.manager, id, { state: "Succeeded", endedAt: new Date() }).execute(), 300);
    const end = await followLogs(store, id, { follow: true, pollMs: 20 }, () => {});
    expect(end).toEqual({ state: "Succeeded" });
  });

  it("says an unknown instance is unknown", async () => {
    const store = await open();
    expect(await followLogs(store, 999, { follow: true, pollMs: 20 }, () => {})).toBeUndefined();
  });
});

import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type Settings } from "../../src/config/settings.js";
import { insertSchedule, selectSchedules } from "../../src/store/job-instance-queries.js";
import { runScheduler, SCHEDULER_LEASE, schedulerTick } from "../../src/jobs/scheduler.js";
import { ENTITY, type ItemRow, type JobInstanceRow } from "../../src/store/entities.js";
import { acquireLease, LeaseBusyError, readLease } from "../../src/store/lease.js";
import { openStore, type Store } from "../../src/store/store.js";
import { registerTask } from "../../src/tasks/registry.js";
import type { TaskResult } from "../../src/tasks/task-handler.js";
import { IDM } from "../helpers/idm-process.js";
import { deployFolder } from "../helpers/deploy-xml.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

/** A job with one task of its own (`<job>_T`); attributes are XML attribute text. */
interface JobSpec { id: string; attributes?: string; taskType?: string; taskAttributes?: string }

function jobsFolder(jobs: JobSpec[], files: Record<string, string> = {}): string {
  const body = jobs.map(({ id, attributes = "", taskType = "MaintainIndexesTask", taskAttributes = "" }) =>
    `  <Job Identifier="${id}" DisplayName_L1="${id}" ${attributes}>\n` +
    `    <${taskType} Identifier="${id}_T" DisplayName_L1="${id} task" Level="0" ${taskAttributes}/>\n  </Job>`).join("\n");
  return writeFolder({ "model.xml": BASE_MODEL, "jobs.xml": configFile(body), ...files });
}

/** Moves every deployment to `at`: the scheduler's baseline is when the job was deployed. */
async function setDeployedAt(store: Store, at: Date): Promise<void> {
  await store.dataSource.createQueryBuilder().update(ENTITY.deployment).set({ startedAt: at, endedAt: at }).execute();
}

/** Days ahead of now at midnight UTC, so that every tick of a test is after its real deploy. */
function utcDay(daysAhead: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysAhead)).toISOString().slice(0, 10);
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const day = utcDay(1);
const at = (time: string, date = day) => new Date(`${date}T${time}Z`);

describe.each(BACKENDS)("scheduler on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let settings: Settings;
  let unregister: () => void;
  let gate: Promise<void> | undefined;
  let ran: string[];
  let messages: string[];
  const log = (message: string) => messages.push(message);
  const schedules = async () => selectSchedules(store.dataSource.manager).orderBy("s.job").getMany();
  const instances = async () => store.dataSource.getRepository<JobInstanceRow>(ENTITY.jobInstance).find({ order: { id: "ASC" } });

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    settings = { ...DEFAULT_SETTINGS, jobs: { ...DEFAULT_SETTINGS.jobs, leaseTtlSeconds: 2 } };
    gate = undefined;
    ran = [];
    messages = [];
    // Succeeds at once, or when the test opens its gate; a cancelled run stops waiting.
    unregister = registerTask({
      type: "MaintainIndexesTask",
      side: "server",
      async run(context, task): Promise<TaskResult> {
        ran.push(task.identifier);
        const cancelled = new Promise<void>((done) => context.signal.addEventListener("abort", () => done(), { once: true }));
        await Promise.race([gate, cancelled]);
        if (context.signal.aborted) throw new Error("stopped");
        return { state: "Succeeded", didWork: true };
      },
    });
  });
  afterEach(async () => {
    unregister();
    await db.drop();
  });

  it("starts a job at its cron time once, records it, and leaves a job without cron alone", async () => {
    await deployFolder(store, jobsFolder([{ id: "J", attributes: 'CronTabExpression="0 2 * * *"' }, { id: "Manual" }]));
    const first = await schedulerTick(store, settings, at("02:00:30"), { log });
    expect(first.skipped).toEqual([]);
    expect(first.notDue).toEqual([]);
    expect(first.started.map((s) => [s.job, s.due])).toEqual([["J", at("02:00:00")]]);
    const summary = await first.started[0]!.run;
    expect(summary).toMatchObject({ job: "J", instanceId: first.started[0]!.instanceId, state: "Succeeded" });
    expect((await instances()).map((i) => [i.job, i.trigger, i.state])).toEqual([["J", "scheduler", "Succeeded"]]);
    expect(await schedules()).toMatchObject([{ job: "J", dueAt: at("02:00:00"), outcome: "started", jobInstanceId: summary.instanceId }]);
    expect(messages).toEqual([`J started: instance ${summary.instanceId} for ${at("02:00:00").toISOString()}`]);

    const second = await schedulerTick(store, settings, at("02:10:00"), { log });
    expect(second.started).toEqual([]);
    expect(second.notDue).toEqual([{ job: "J", next: at("02:00:00", utcDay(2)) }]);
    expect(second.next).toEqual(at("02:00:00", utcDay(2)));
    expect(ran).toEqual(["J_T"]);
  });

  it("starts a UserStartDenied job: only a manual start is denied", async () => {
    await deployFolder(store, jobsFolder([{ id: "J", attributes: 'CronTabExpression="30 4 * * *" UserStartDenied="true"' }]));
    const tick = await schedulerTick(store, settings, at("04:30:05"));
    expect(tick.started.map((s) => s.job)).toEqual(["J"]);
    expect((await tick.started[0]!.run).state).toBe("Succeeded");
  });

  it("skips a cron time while the previous run goes on, and records the overlap", async () => {
    await deployFolder(store, jobsFolder([{ id: "J", attributes: 'CronTabExpression="*/5 * * * *"' }]));
    let open!: () => void;
    gate = new Promise((done) => (open = done));
    const first = await schedulerTick(store, settings, at("02:00:30"), { log });
    const { instanceId, run } = first.started[0]!;
    await until(() => ran.length === 1);

    const second = await schedulerTick(store, settings, at("02:05:30"), { log });
    expect(second.started).toEqual([]);
    expect(second.skipped).toEqual([{ job: "J", reason: `instance ${instanceId} is still running` }]);
    expect(messages).toContain(`J skipped: instance ${instanceId} is still running`);
    expect(await schedules()).toMatchObject([{ job: "J", dueAt: at("02:05:00"), outcome: "overlap", jobInstanceId: instanceId }]);

    open();
    expect((await run).state).toBe("Succeeded");
    // The skipped cron time was handled: it is not run after the overlap ends.
    const third = await schedulerTick(store, settings, at("02:05:40"));
    expect(third.notDue.map((n) => n.job)).toEqual(["J"]);
    expect(await instances()).toHaveLength(1);
  });

  it("runs a job once after downtime, for the latest cron time missed", async () => {
    await deployFolder(store, jobsFolder([{ id: "J", attributes: 'CronTabExpression="0 * * * *"' }]));
    await setDeployedAt(store, at("09:00:00"));
    await insertSchedule(store.dataSource.manager, {
      job: "J", dueAt: at("10:00:00"), decidedAt: at("10:00:00"), outcome: "started", jobInstanceId: null,
    }).execute();
    const tick = await schedulerTick(store, settings, at("15:30:00"));
    expect(tick.started.map((s) => [s.job, s.due])).toEqual([["J", at("15:00:00")]]);
    await tick.started[0]!.run;
    expect(await instances()).toHaveLength(1);
    expect(await schedules()).toMatchObject([{ job: "J", dueAt: at("15:00:00"), outcome: "started" }]);
  });

  it("does not start a job for a cron time before its deploy; a tick exactly at the next time starts it", async () => {
    await deployFolder(store, jobsFolder([
      { id: "New", attributes: 'CronTabExpression="0 * * * *"' },
      { id: "Changed", attributes: 'CronTabExpression="0 * * * *"' },
    ]));
    await setDeployedAt(store, at("10:30:00"));
    // Changed handled 08:00 under an earlier cron; the deploy at 10:30 is later than its 10:00.
    await insertSchedule(store.dataSource.manager, {
      job: "Changed", dueAt: at("08:00:00"), decidedAt: at("08:00:00"), outcome: "started", jobInstanceId: null,
    }).execute();
    const early = await schedulerTick(store, settings, at("10:45:00"));
    expect(early.started).toEqual([]);
    expect(early.notDue).toEqual([{ job: "Changed", next: at("11:00:00") }, { job: "New", next: at("11:00:00") }]);
    expect((await schedules()).map((s) => s.job)).toEqual(["Changed"]);

    const onTime = await schedulerTick(store, settings, at("11:00:00"));
    expect(onTime.started.map((s) => [s.job, s.due])).toEqual([["Changed", at("11:00:00")], ["New", at("11:00:00")]]);
    await Promise.all(onTime.started.map((s) => s.run));
  });

  it("reports a job whose cron is invalid and still starts the others", async () => {
    await deployFolder(store, jobsFolder([
      { id: "Bad", attributes: 'CronTabExpression="0 * * * *"' },
      { id: "Good", attributes: 'CronTabExpression="0 * * * *"' },
    ]));
    // Validation refuses such a cron at deploy; a database edited by hand (or an older version) may hold one.
    const items = store.dataSource.getRepository<ItemRow>(ENTITY.item);
    await items.update({ kind: "Job", identifier: "Bad" }, { attributes: JSON.stringify({ CronTabExpression: "61 * * * *" }) });
    const tick = await schedulerTick(store, settings, at("03:00:10"), { log });
    expect(tick.started.map((s) => s.job)).toEqual(["Good"]);
    expect(tick.skipped).toHaveLength(1);
    expect(tick.skipped[0]!.job).toBe("Bad");
    expect(tick.skipped[0]!.reason).toMatch(/^invalid CronTabExpression "61 \* \* \* \*": /);
    expect(messages.some((m) => m.startsWith('Bad skipped: invalid CronTabExpression "61 * * * *"'))).toBe(true);
    await tick.started[0]!.run;
  });

  it("loops under the scheduler lease and, when stopped, cancels its runs and waits for them", async () => {
    await deployFolder(store, jobsFolder([{ id: "J", attributes: 'CronTabExpression="* * * * * *"' }]));
    gate = new Promise(() => undefined); // the run goes on until cancelled
    const controller = new AbortController();
    const loop = runScheduler(store, settings, { signal: controller.signal, log, waitMs: 0 });
    await until(() => ran.length === 1);
    expect(await readLease(store, SCHEDULER_LEASE)).toMatchObject({ pid: process.pid });
    await expect(runScheduler(store, settings, { signal: controller.signal, log, waitMs: 0 })).rejects.toBeInstanceOf(LeaseBusyError);

    controller.abort();
    await loop;
    expect((await instances()).map((i) => i.state)).toEqual(["Cancelled"]);
    expect(await readLease(store, SCHEDULER_LEASE)).toBeUndefined();
    expect(messages.some((m) => /^J instance \d+ ended Cancelled$/.test(m))).toBe(true);
    expect(messages.at(-1)).toBe("scheduler stopped");
  });
});

describe("idm scheduler --once", () => {
  /** Hours New York is behind UTC on a day (5 in winter, 4 in summer). */
  const newYorkOffset = (date: string) =>
    12 - Number(new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "numeric", hourCycle: "h23" }).format(new Date(`${date}T12:00:00Z`)));

  function idm(database: string, ...args: string[]) {
    const cwd = mkdtempSync(join(tmpdir(), "idm-scheduler-"));
    const result = spawnSync(process.execPath, [IDM, "--database", database, "scheduler", ...args], {
      cwd, encoding: "utf8", env: { ...process.env, TZ: "America/New_York" },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it("reads ServerTime crons in the process's time zone and UTC crons in UTC", async () => {
    const database = `sqlite:${join(mkdtempSync(join(tmpdir(), "idm-scheduler-db-")), "idm.db")}`;
    const store = await openStore(database);
    const script = { taskType: "InvokeExpressionTask", taskAttributes: 'Agent="Local" OpenIdClient="Job" InputPath="ok.mjs"' };
    await deployFolder(store, jobsFolder([
      { id: "Utc", attributes: 'CronTabExpression="0 2 * * *" CronTimeZone="UTC"', ...script },
      { id: "Local", attributes: 'CronTabExpression="0 2 * * *" CronTimeZone="1"', ...script },
    ], { "ok.mjs": "console.log('ok');\n" }));
    const d = utcDay(2);
    await setDeployedAt(store, at("12:00:00", utcDay(1)));
    await store.close();
    const localTwo = `0${2 + newYorkOffset(d)}:00:00`;

    const utcTick = idm(database, "--once", "--at", `${d}T02:00:30Z`);
    expect(utcTick).toMatchObject({ status: 0, stderr: "" });
    expect(utcTick.stdout).toBe(`started Utc instance 1: Succeeded\nnot due Local (next ${d}T${localTwo}.000Z)\n`);

    const localTick = idm(database, "--once", "--at", `${d}T${localTwo}Z`);
    expect(localTick).toMatchObject({ status: 0, stderr: "" });
    expect(localTick.stdout).toBe(`started Local instance 2: Succeeded\nnot due Utc (next ${utcDay(3)}T02:00:00.000Z)\n`);
  });

  it("exits 5 naming the holder while another scheduler runs, and 64 for a bad --at", async () => {
    const database = `sqlite:${join(mkdtempSync(join(tmpdir(), "idm-scheduler-db-")), "idm.db")}`;
    const store = await openStore(database);
    const lease = await acquireLease(store, SCHEDULER_LEASE, { waitMs: 0, ttlMs: 30_000 });
    try {
      const busy = idm(database, "--once");
      expect(busy.status).toBe(5);
      expect(busy.stderr).toMatch(new RegExp(`^idm: another scheduler is running: .+ pid ${process.pid}, since `));
    } finally {
      await lease.release();
      await store.close();
    }
    const bad = idm(database, "--once", "--at", "tomorrow");
    expect(bad.status).toBe(64);
    expect(bad.stderr).toBe("idm: --at tomorrow is not an ISO 8601 time, e.g. 2026-11-28T02:00:00Z\n");
  });
});

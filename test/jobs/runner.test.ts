import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type Settings } from "../../src/config/settings.js";
import { selectTaskInstances, selectTaskLogs, updateJobInstance } from "../../src/store/job-instance-queries.js";
import {
  JobNotFoundError, JobRunningError, JobStartDeniedError, InstanceStateError, resumeJob, runJob, type RunOptions, type RunSummary,
} from "../../src/jobs/runner.js";
import { SelectionError } from "../../src/jobs/selection.js";
import { ENTITY, type JobInstanceRow } from "../../src/store/entities.js";
import type { Store } from "../../src/store/store.js";
import { registerTask } from "../../src/tasks/registry.js";
import type { TaskContext, TaskOf, TaskResult } from "../../src/tasks/task-handler.js";
import { deployFolder } from "../helpers/deploy-xml.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

/** What a test task does, by task identifier; the default works for 30 ms and succeeds. */
type Behaviour = (context: TaskContext, task: TaskOf<"MaintainIndexesTask">) => Promise<TaskResult>;

const work = (ms = 30, result: TaskResult = { state: "Succeeded", didWork: true }): Behaviour =>
  async () => {
    await new Promise((r) => setTimeout(r, ms));
    return result;
  };

/** Ends when the run is cancelled, as a handler must. */
const untilCancelled: Behaviour = (context) => new Promise((_, reject) => {
  context.signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true });
});

interface Span { task: string; start: number; end: number }

/** A test handler for MaintainIndexesTask (a type with ContinueOnError) that records when each task ran. */
function testHandler() {
  const behaviours = new Map<string, Behaviour>();
  const spans: Span[] = [];
  const seen: { task: TaskOf<"MaintainIndexesTask">; force: boolean }[] = [];
  let running = 0;
  let maxRunning = 0;
  const unregister = registerTask({
    type: "MaintainIndexesTask",
    side: "server",
    async run(context, task) {
      const start = performance.now();
      seen.push({ task, force: context.force });
      maxRunning = Math.max(maxRunning, ++running);
      try {
        return await (behaviours.get(task.identifier) ?? work())(context, task);
      } finally {
        running--;
        spans.push({ task: task.identifier, start, end: performance.now() });
      }
    },
  });
  return { behaviours, spans, seen, unregister, maxRunning: () => maxRunning };
}

function task(identifier: string, level: number, extra = "", children = ""): string {
  const open = `<MaintainIndexesTask Identifier="${identifier}" DisplayName_L1="${identifier}" Level="${level}"${extra ? ` ${extra}` : ""}`;
  return children ? `${open}>${children}</MaintainIndexesTask>` : `${open}/>`;
}

function jobFolder(tasks: string[], jobAttributes = ""): string {
  const body = `  <Job Identifier="J" DisplayName_L1="Test job"${jobAttributes ? ` ${jobAttributes}` : ""}>\n    ${tasks.join("\n    ")}\n  </Job>`;
  return writeFolder({ "model.xml": BASE_MODEL, "jobs.xml": configFile(body) });
}

const states = (summary: RunSummary) => Object.fromEntries(summary.tasks.map((t) => [t.identifier, t.state]));
const overlap = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

describe.each(BACKENDS)("runner on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let handler: ReturnType<typeof testHandler>;
  let settings: Settings;
  const options = (extra: Partial<RunOptions> = {}): RunOptions => ({ store, settings, ...extra });

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    handler = testHandler();
    settings = { ...DEFAULT_SETTINGS, jobs: { ...DEFAULT_SETTINGS.jobs, leaseTtlSeconds: 2 } };
  });
  afterEach(async () => {
    handler.unregister();
    await db.drop();
  });

  it("starts a level's tasks together and the next level after they all ended", async () => {
    await deployFolder(store, jobFolder([task("A", 0), task("B", 0), task("C", 1)]));
    handler.behaviours.set("A", work(150));
    handler.behaviours.set("B", work(150));
    const summary = await runJob("J", options());
    expect(summary.state).toBe("Succeeded");
    const [a, b, c] = ["A", "B", "C"].map((t) => handler.spans.find((s) => s.task === t)!);
    expect(overlap(a!, b!)).toBe(true);
    expect(c!.start).toBeGreaterThanOrEqual(Math.max(a!.end, b!.end));
    const rows = await selectTaskInstances(store.dataSource.manager, summary.instanceId).getMany();
    expect(rows.map((r) => [r.task, r.level, r.groupIndex, r.state, r.attempt, r.didWork])).toEqual([
      ["A", 0, 0, "Succeeded", 1, true], ["B", 0, 0, "Succeeded", 1, true], ["C", 1, 1, "Succeeded", 1, true],
    ]);
    const instance = await store.dataSource.getRepository<JobInstanceRow>(ENTITY.jobInstance).findOneByOrFail({ id: summary.instanceId });
    expect(instance).toMatchObject({ job: "J", state: "Succeeded", trigger: "cli", pid: process.pid, cancelRequested: false });
    expect(instance.endedAt).not.toBeNull();
  });

  it("never runs more than Jobs.MaxTaskBatchSize tasks at once", async () => {
    await deployFolder(store, jobFolder(["A", "B", "C", "D", "E"].map((t) => task(t, 0))));
    for (const t of ["A", "B", "C", "D", "E"]) handler.behaviours.set(t, work(80));
    settings = { ...settings, jobs: { ...settings.jobs, maxTaskBatchSize: 2 } };
    const summary = await runJob("J", options());
    expect(summary.state).toBe("Succeeded");
    expect(handler.maxRunning()).toBe(2);
    expect(summary.tasks.map((t) => t.groupIndex)).toEqual([0, 0, 1, 1, 2]);
  });

  it("runs a task only when a parent ended Succeeded having done work; unrelated tasks go on", async () => {
    await deployFolder(store, jobFolder([
      task("Worked", 0), task("Idle", 0), task("Free", 0),
      task("AfterWorked", 1, "", '<TaskDependsOnTask ParentTask="Worked"/>'),
      task("AfterIdle", 1, "", '<TaskDependsOnTask ParentTask="Idle"/>'),
      task("AfterEither", 1, "", '<TaskDependsOnTask ParentTask="Idle"/><TaskDependsOnTask ParentTask="Worked"/>'),
      task("Later", 2),
    ]));
    handler.behaviours.set("Idle", work(10, { state: "Succeeded", didWork: false }));
    const summary = await runJob("J", options());
    expect(states(summary)).toEqual({
      Worked: "Succeeded", Idle: "Succeeded", Free: "Succeeded", AfterWorked: "Succeeded", AfterIdle: "Skipped",
      AfterEither: "Succeeded", Later: "Succeeded",
    });
    expect(summary.tasks.find((t) => t.identifier === "AfterIdle")!.error).toContain("Idle Succeeded without work");
    expect(summary.state).toBe("Succeeded");
  });

  it("turns an error into a warning under ContinueOnError and goes on", async () => {
    await deployFolder(store, jobFolder([task("A", 0, 'ContinueOnError="true"'), task("B", 1)]));
    handler.behaviours.set("A", work(10, { state: "Error", didWork: false, message: "disk full" }));
    const summary = await runJob("J", options());
    expect(states(summary)).toEqual({ A: "Warning", B: "Succeeded" });
    expect(summary.state).toBe("Warning");
    expect(summary.tasks[0]!.error).toBe("jobs.xml:4: disk full");
  });

  it("stops at an error: the group's other tasks finish, later groups never start", async () => {
    await deployFolder(store, jobFolder([task("A", 0), task("B", 0), task("C", 1)]));
    handler.behaviours.set("A", async () => {
      throw new Error("connection refused");
    });
    handler.behaviours.set("B", work(100));
    const summary = await runJob("J", options());
    expect(states(summary)).toEqual({ A: "Error", B: "Succeeded", C: "Pending" });
    expect(summary.state).toBe("Error");
    expect(summary.tasks[0]!.error).toBe("jobs.xml:4: connection refused");
  });

  it("fails a task type without a handler with task-not-implemented", async () => {
    await deployFolder(store, jobFolder(['<SetInternalUserProfilesTask Identifier="R" DisplayName_L1="R"/>']));
    const summary = await runJob("J", options());
    expect(summary.state).toBe("Error");
    expect(summary.tasks[0]!.error).toMatch(/^jobs\.xml:4: task-not-implemented: SetInternalUserProfilesTask has no handler/);
  });

  it("ends Blocked, then resume forces the blocked task and runs the rest", async () => {
    await deployFolder(store, jobFolder([task("Sync", 0), task("After", 1)]));
    handler.behaviours.set("Sync", async (context) =>
      context.force ? { state: "Succeeded", didWork: true } : { state: "Blocked", didWork: false, message: "threshold exceeded" });
    const blocked = await runJob("J", options());
    expect(blocked.state).toBe("Blocked");
    expect(states(blocked)).toEqual({ Sync: "Blocked", After: "Pending" });

    const resumed = await resumeJob(blocked.instanceId, options());
    expect(resumed.instanceId).toBe(blocked.instanceId);
    expect(resumed.state).toBe("Succeeded");
    expect(resumed.tasks.map((t) => [t.identifier, t.state, t.attempt])).toEqual([["Sync", "Succeeded", 2], ["After", "Succeeded", 1]]);
    expect(handler.seen.map((s) => [s.task.identifier, s.force])).toEqual([["Sync", false], ["Sync", true], ["After", false]]);
    await expect(resumeJob(blocked.instanceId, options())).rejects.toThrow(InstanceStateError);
  });

  it("passes --force to every task", async () => {
    await deployFolder(store, jobFolder([task("A", 0)]));
    await runJob("J", options({ force: true }));
    expect(handler.seen[0]!.force).toBe(true);
  });

  it("cancels on idm cancel's flag: the running task sees its signal, nothing new starts", async () => {
    await deployFolder(store, jobFolder([task("Long", 0), task("Next", 1)]));
    handler.behaviours.set("Long", untilCancelled);
    let instanceId = 0;
    const running = runJob("J", options({ onEvent: (e) => e.kind === "started" && (instanceId = e.instanceId) }));
    await until(() => handler.seen.length === 1);
    const requested = performance.now();
    await updateJobInstance(store.dataSource.manager, instanceId, { cancelRequested: true }).execute();
    const summary = await running;
    expect(performance.now() - requested).toBeLessThan(2000);
    expect(states(summary)).toEqual({ Long: "Cancelled", Next: "Pending" });
    expect(summary.state).toBe("Cancelled");
  });

  it("cancels on the caller's signal (Ctrl-C)", async () => {
    await deployFolder(store, jobFolder([task("Long", 0)]));
    handler.behaviours.set("Long", untilCancelled);
    const controller = new AbortController();
    const running = runJob("J", options({ signal: controller.signal }));
    await until(() => handler.seen.length === 1);
    controller.abort();
    expect((await running).state).toBe("Cancelled");
  });

  it("refuses a second run of a running job, naming the running instance", async () => {
    await deployFolder(store, jobFolder([task("Long", 0)]));
    handler.behaviours.set("Long", untilCancelled);
    const controller = new AbortController();
    let instanceId = 0;
    const first = runJob("J", options({ signal: controller.signal, onEvent: (e) => e.kind === "started" && (instanceId = e.instanceId) }));
    await until(() => handler.seen.length === 1);
    const second = await runJob("J", options()).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(JobRunningError);
    expect((second as JobRunningError).holder.instanceId).toBe(instanceId);
    expect((second as Error).message).toMatch(new RegExp(`^job J is already running: instance ${instanceId} on .+ pid ${process.pid}, started `));
    controller.abort();
    await first;
  });

  it("marks the instance of a dead runner Interrupted once its lease expired, then runs", async () => {
    await deployFolder(store, jobFolder([task("A", 0)]));
    const repo = store.dataSource.getRepository<JobInstanceRow>(ENTITY.jobInstance);
    const past = new Date(Date.now() - 60_000);
    const dead = await repo.save({
      job: "J", state: "InProgress", trigger: "cli", user: "u", host: "gone", pid: 1, startedAt: past, endedAt: null,
      cancelRequested: false, forced: false, deploymentId: null, selection: null, snapshot: "{}",
    } as Omit<JobInstanceRow, "id">);
    await store.dataSource.getRepository(ENTITY.lease).insert({ name: "job:J", owner: "dead", host: "gone", pid: 1, acquiredAt: past, heartbeatAt: past, expiresAt: past });
    const summary = await runJob("J", options());
    expect(summary.state).toBe("Succeeded");
    expect((await repo.findOneByOrFail({ id: dead.id })).state).toBe("Interrupted");
  });

  it("runs the job as it was when it started, whatever is deployed meanwhile", async () => {
    await deployFolder(store, jobFolder([task("A", 0), task("B", 1, 'PageCount="10"')]));
    let release!: () => void;
    handler.behaviours.set("A", () => new Promise((r) => (release = () => r({ state: "Succeeded", didWork: true }))));
    const running = runJob("J", options());
    await until(() => handler.seen.length === 1);
    await deployFolder(store, jobFolder([task("A", 0), task("C", 1)]));
    release();
    const summary = await running;
    expect(summary.tasks.map((t) => t.identifier)).toEqual(["A", "B"]);
    expect(handler.seen.map((s) => [s.task.identifier, s.task.attributes.PageCount])).toEqual([["A", 0], ["B", 10]]);
    handler.behaviours.delete("A");
    expect((await runJob("J", options())).tasks.map((t) => t.identifier)).toEqual(["A", "C"]);
  });

  it("selects tasks like Invoke-Job: -t, -b/-e by number or identifier, -s, -c", async () => {
    await deployFolder(store, jobFolder([
      task("HR_Export", 0), task("HR_Sync", 1), task("AD_Export", 2), task("AD_Sync", 3),
      '<ResetValidFromTask Identifier="Reset" DisplayName_L1="Reset" Level="4"/>',
    ]));
    const ran = async (selection: RunOptions["selection"]) => (await runJob("J", options({ selection }))).tasks.map((t) => t.identifier);
    expect(await ran({ task: "AD_Sync" })).toEqual(["AD_Sync"]);
    expect(await ran({ begin: "2", end: "3" })).toEqual(["HR_Sync", "AD_Export"]);
    expect(await ran({ begin: "AD_Export" })).toEqual(["AD_Export", "AD_Sync", "Reset"]);
    expect(await ran({ contains: "Export" })).toEqual(["HR_Export", "AD_Export"]);
    expect(await ran({ type: "MaintainIndexesTask", begin: "3" })).toEqual(["AD_Export"]);
    await expect(runJob("J", options({ selection: { task: "AD_Snyc" } }))).rejects.toThrow(new SelectionError("the job has no task AD_Snyc; did you mean AD_Sync?"));
    await expect(runJob("J", options({ selection: { begin: "9" } }))).rejects.toThrow("-b 9: the job has steps 1 to 5");
    await expect(runJob("J", options({ selection: { begin: "4", end: "2" } }))).rejects.toThrow("step 4 comes after step 2");
  });

  it("names the closest job when the job is unknown, and refuses a manual start of a UserStartDenied job", async () => {
    await deployFolder(store, jobFolder([task("A", 0)], 'UserStartDenied="true"'));
    await expect(runJob("j", options())).rejects.toThrow(new JobNotFoundError("j", "J"));
    await expect(runJob("J", options())).rejects.toThrow(JobStartDeniedError);
    expect((await runJob("J", options({ trigger: "scheduler" }))).state).toBe("Succeeded");
  });

  it("keeps the log lines at or above the job's LogLevel", async () => {
    await deployFolder(store, jobFolder([task("A", 0), task("B", 0, 'LogLevel="Trace"')], 'LogLevel="Warning"'));
    const speak: Behaviour = async (context) => {
      context.log("Debug", "debug line");
      context.log("Warning", "warning line");
      return { state: "Succeeded", didWork: true };
    };
    handler.behaviours.set("A", speak);
    handler.behaviours.set("B", speak);
    const summary = await runJob("J", options());
    const logs = await selectTaskLogs(store.dataSource.manager, summary.instanceId, 0).getMany();
    const of = (id: number) => logs.filter((l) => l.taskInstanceId === id).map((l) => l.message);
    expect(of(summary.tasks[0]!.id)).toEqual(["warning line"]);
    expect(of(summary.tasks[1]!.id)).toEqual(["task B (MaintainIndexesTask) started at level 0, attempt 1", "debug line", "warning line", "task B ended Succeeded"]);
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

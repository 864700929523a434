/**
 * What a run does around its tasks: it starts by removing what killed runs left in the job's
 * folders, and when its log cannot be written at its end (a full disk, a table gone) it still ends,
 * Error, saying so, and releases its lease instead of leaving the instance InProgress.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { runJob, type RunEvent, type RunOptions } from "../../src/jobs/runner.js";
import { selectJobInstance } from "../../src/store/job-instance-queries.js";
import { jobLeaseName } from "../../src/store/job-lease.js";
import { readLease } from "../../src/store/lease.js";
import type { Store } from "../../src/store/store.js";
import { registerTask } from "../../src/tasks/registry.js";
import type { TaskContext, TaskResult } from "../../src/tasks/task-handler.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { deployFolder } from "../helpers/deploy-xml.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

describe.each(BACKENDS)("a run's upkeep on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let unregister: () => void;
  /** What the job's one task does. */
  let task: (context: TaskContext) => Promise<TaskResult>;
  const run = async (options: Partial<RunOptions> = {}) => {
    const events: RunEvent[] = [];
    const summary = await runJob("J", { store, settings: DEFAULT_SETTINGS, onEvent: (event) => events.push(event), ...options });
    return { summary, logged: events.flatMap((event) => (event.kind === "log" ? [event.message] : [])) };
  };

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    task = async () => ({ state: "Succeeded", didWork: false });
    unregister = registerTask({ type: "MaintainIndexesTask", side: "server", run: (context) => task(context) });
    await deployFolder(store, writeFolder({
      "model.xml": BASE_MODEL,
      "jobs.xml": configFile(`  <Job Identifier="J" DisplayName_L1="J">\n    <MaintainIndexesTask Identifier="T" DisplayName_L1="T"/>\n  </Job>`),
    }));
  });
  afterEach(async () => {
    unregister();
    await db.drop();
  });

  it("removes the temporary files of killed runs from the job's folders and says so", async () => {
    const root = mkdtempSync(join(tmpdir(), "idm-run-temporaries-"));
    const paths = { work: join(root, "work"), temp: join(root, "temp"), export: join(root, "export") };
    mkdirSync(paths.export, { recursive: true });
    // pid 2^22 + 1 is above Linux's largest pid: no process has it.
    const stale = join(paths.export, ".HRPeople.4194305-0a1b2c3d.1.tmp");
    const mine = join(paths.export, `.HRPeople.${process.pid}-0a1b2c3d.1.tmp`);
    writeFileSync(stale, "left by a killed export");
    writeFileSync(mine, "a live writer's");
    const { summary, logged } = await run({ settings: { ...DEFAULT_SETTINGS, paths } });
    expect(summary.state).toBe("Succeeded");
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(logged.some((message) => message.startsWith("removed 1 temporary file(s) of killed runs"))).toBe(true);
  });

  it("ends Error with a message naming the log when the log cannot be written, and releases the job's lease", async () => {
    // The task takes the log table away, as a full disk would refuse its rows.
    task = async (context) => {
      context.log("Information", "about to lose the log");
      await store.dataSource.query(`DROP TABLE ${store.dataSource.driver.escape("idm_task_logs")}`);
      return { state: "Succeeded", didWork: true };
    };
    const { summary, logged } = await run();
    expect(summary.state).toBe("Error");
    const instance = await selectJobInstance(store.dataSource.manager, summary.instanceId).getOne();
    expect(instance).toMatchObject({ state: "Error" });
    expect(instance!.endedAt).not.toBeNull();
    expect(await readLease(store, jobLeaseName("J"))).toBeUndefined();
    expect(logged.some((message) => /the job's log could not be written/.test(message))).toBe(true);
  });
});

/**
 * The log of a run cannot be written at its end (a full disk, a table gone): the instance ends Error
 * saying so and its lease is released, instead of the process dying with the instance InProgress.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { runJob, type RunEvent } from "../../src/jobs/runner.js";
import { jobLeaseName } from "../../src/store/job-lease.js";
import { readLease } from "../../src/store/lease.js";
import { selectJobInstance } from "../../src/store/job-instance-queries.js";
import type { Store } from "../../src/store/store.js";
import { registerTask } from "../../src/tasks/registry.js";
import { deployFolder } from "../helpers/deploy-xml.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

describe.each(BACKENDS)("a run whose log cannot be written, on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let unregister: () => void;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    // The task takes the log table away, as a full disk would refuse its rows.
    unregister = registerTask({
      type: "MaintainIndexesTask",
      side: "server",
      async run(context) {
        context.log("Information", "about to lose the log");
        await store.dataSource.query(`DROP TABLE ${store.dataSource.driver.escape("idm_task_logs")}`);
        return { state: "Succeeded", didWork: true };
      },
    });
    await deployFolder(store, writeFolder({
      "model.xml": BASE_MODEL,
      "jobs.xml": configFile(`  <Job Identifier="J" DisplayName_L1="J">\n    <MaintainIndexesTask Identifier="T" DisplayName_L1="T"/>\n  </Job>`),
    }));
  });
  afterEach(async () => {
    unregister();
    await db.drop();
  });

  it("ends Error with a message naming the log, and releases the job's lease", async () => {
    const events: RunEvent[] = [];
    const summary = await runJob("J", { store, settings: DEFAULT_SETTINGS, onEvent: (event) => events.push(event) });
    expect(summary.state).toBe("Error");
    const instance = await selectJobInstance(store.dataSource.manager, summary.instanceId).getOne();
    expect(instance).toMatchObject({ state: "Error" });
    expect(instance!.endedAt).not.toBeNull();
    expect(await readLease(store, jobLeaseName("J"))).toBeUndefined();
    const messages = events.flatMap((event) => (event.kind === "log" ? [event.message] : []));
    expect(messages.some((m) => /the job's log could not be written/.test(m))).toBe(true);
  });
});

/** The log of a run keeps every line a task writes, whatever bytes it holds, and a failed write never crashes the process. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLogs } from "../../src/jobs/history.js";
import { TaskLogWriter } from "../../src/jobs/task-log.js";
import { insertJobInstance } from "../../src/store/job-instance-queries.js";
import type { Store } from "../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

async function instance(store: Store): Promise<number> {
  const inserted = await insertJobInstance(store.dataSource.manager, {
    job: "J", state: "InProgress", trigger: "cli", user: "u", host: "h", pid: 1, startedAt: new Date(), endedAt: null,
    cancelRequested: false, forced: false, deploymentId: null, selection: null, snapshot: "{}",
  }).execute();
  return Number(inserted.identifiers[0]!.id);
}

describe.each(BACKENDS)("TaskLogWriter on %s", (_, backend) => {
  let db: TestDatabase;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("stores a NUL and a lone surrogate escaped, and the lines around them as written", async () => {
    const store = await db.open();
    const id = await instance(store);
    const log = new TaskLogWriter(store, id);
    log.add(null, "Information", "before", 0);
    log.add(null, "Information", "a\u0000b \ud800 c\\u0000", 0);
    log.add(null, "Information", "after é 😀", 0);
    await log.flush();
    expect((await readLogs(store, id)).map((l) => l.message)).toEqual(["before", "a\\u0000b \\ud800 c\\u0000", "after é 😀"]);
  });

  it("a write that fails in the background is kept for the next flush, not thrown where nobody catches it", async () => {
    const store = await db.open();
    const id = await instance(store);
    const log = new TaskLogWriter(store, id, 10);
    await store.close();
    log.add(null, "Information", "lost", 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(log.flush()).rejects.toThrow();
  });
});

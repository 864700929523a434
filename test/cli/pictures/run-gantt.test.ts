/** `idm instances <id> --format mermaid`: a run drawn as a Mermaid gantt, from stored rows with known times. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runGantt } from "../../../src/cli/pictures/run-gantt.js";
import type { TaskState } from "../../../src/domain/vocabulary.js";
import { readInstanceTimeline } from "../../../src/jobs/history.js";
import { insertJobInstance, insertTaskInstances } from "../../../src/store/job-instance-queries.js";
import { run } from "../../../src/store/statements.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { deployXml } from "../../helpers/deploy-xml.js";
import { HOSTILE_A, HOSTILE_B, HOSTILE_FILES, HOSTILE_JOB } from "./hostile-job.js";

const at = (ms: number) => new Date(Date.UTC(2025, 0, 6, 2, 0, 0) + ms);

interface TaskRow {
  task: string;
  level: number;
  launchOrder: number;
  groupIndex: number;
  state: TaskState;
  from?: number;
  to?: number;
}

/** Rows inserted out of launch order, as a resume's later attempts may leave them. */
async function insertRun(store: Store, state: "Error" | "InProgress", ended: number | null, tasks: TaskRow[]): Promise<number> {
  const m = store.dataSource.manager;
  const inserted = await insertJobInstance(m, {
    job: HOSTILE_JOB, state, trigger: "cli", user: "u", host: "h", pid: 1, startedAt: at(0), endedAt: ended === null ? null : at(ended),
    cancelRequested: false, forced: false, deploymentId: null, selection: null, snapshot: "{}",
  }).execute();
  const id = Number(inserted.identifiers[0]!.id);
  await run(m, insertTaskInstances(m, tasks.map((t) => ({
    jobInstanceId: id, task: t.task, taskType: "MaintainIndexesTask", level: t.level, launchOrder: t.launchOrder, groupIndex: t.groupIndex,
    state: t.state, startedAt: t.from === undefined ? null : at(t.from), endedAt: t.to === undefined ? null : at(t.to),
    attempt: t.from === undefined ? 0 : 1, didWork: t.state === "Succeeded", counters: null, error: null,
  }))));
  return id;
}

const GANTT = `gantt
  title J #34;x#34; #35; #37; #59; #58; #60;b#62; · instance 1 · Error · 1 not started
  dateFormat YYYY-MM-DD HH:mm:ss.SSS
  axisFormat %H:%M:%S
  section Level 0 · no level declared
  0. U (Succeeded) :done, t6, 2025-01-06 02:00:00.000, 2025-01-06 02:00:00.040
  section Level 1 · declared 0
  1. A #34;q#34; #35;35#59; #38;lt#59; #60;b#62;bold#60;/b#62; #96;md#96; #58; #59; #37;#37; \\n \\ end (Succeeded) :done, t5, 2025-01-06 02:00:00.050, 2025-01-06 02:00:01.250
  2. gantt Éé 漢字 🙂 #64258;°°35#182;ß#10;x (Warning) :crit, done, t4, 2025-01-06 02:00:00.051, 2025-01-06 02:00:02.000
  section Level 2 · declared 1
  3. click C (Skipped) :done, t3, 2025-01-06 02:00:02.010, 2025-01-06 02:00:02.010
  4. D (Error) :crit, t2, 2025-01-06 02:00:02.011, 2025-01-06 02:00:03.500
`;

describe.each(BACKENDS)("a gantt chart of a run on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployXml(store, HOSTILE_FILES);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("draws each started task in its effective level's section, its state as name and tag, and counts the tasks that never started", async () => {
    const id = await insertRun(store, "Error", 3_600, [
      { task: "E", level: 2, launchOrder: 6, groupIndex: 3, state: "Pending" },
      { task: "D", level: 1, launchOrder: 5, groupIndex: 2, state: "Error", from: 2_011, to: 3_500 },
      { task: "click C", level: 1, launchOrder: 4, groupIndex: 2, state: "Skipped", from: 2_010, to: 2_010 },
      { task: HOSTILE_B, level: 0, launchOrder: 3, groupIndex: 1, state: "Warning", from: 51, to: 2_000 },
      { task: HOSTILE_A, level: 0, launchOrder: 2, groupIndex: 1, state: "Succeeded", from: 50, to: 1_250 },
      { task: "U", level: -1, launchOrder: 1, groupIndex: 0, state: "Succeeded", from: 0, to: 40 },
    ]);
    expect(id).toBe(1);
    const timeline = await readInstanceTimeline(store, id);
    expect(runGantt(timeline!, at(10_000))).toBe(GANTT);
  });

  it("ends a running task's bar now, and one whose runner died at the instance's end", async () => {
    const running = await insertRun(store, "InProgress", null, [
      { task: "click C", level: 0, launchOrder: 1, groupIndex: 0, state: "InProgress", from: 100 },
    ]);
    const lines = (text: string) => text.split("\n").filter((l) => l.includes(" :"));
    expect(lines(runGantt((await readInstanceTimeline(store, running))!, at(9_000))))
      .toEqual([`  0. click C (InProgress) :active, t1, 2025-01-06 02:00:00.100, 2025-01-06 02:00:09.000`]);
    const dead = await insertRun(store, "Error", 5_000, [
      { task: "click C", level: 0, launchOrder: 1, groupIndex: 0, state: "InProgress", from: 100 },
    ]);
    expect(lines(runGantt((await readInstanceTimeline(store, dead))!, at(9_000))))
      .toEqual([`  0. click C (InProgress) :active, t2, 2025-01-06 02:00:00.100, 2025-01-06 02:00:05.000`]);
  });

  it("has no timeline for an instance that does not exist", async () => {
    expect(await readInstanceTimeline(store, 42)).toBeUndefined();
  });
});

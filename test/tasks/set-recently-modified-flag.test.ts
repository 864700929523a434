/**
 * SetRecentlyModifiedFlagTask against real databases (SQLite always, PostgreSQL when
 * IDM_TEST_POSTGRES_URL is set), in a real job run for TaskDependsOnTask, and the T-SQL it would send
 * to SQL Server (offline snapshot).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { runJob } from "../../src/jobs/runner.js";
import {
  CLAIMED, claimAppliedChanges, deleteClaimedChanges, flagClaimedChanges, selectAppliedChangeBound,
} from "../../src/domain/resources/derived-queries.js";
import { ResourceStore, type NewLinkChange, type NewResourceChange, type ResourceInput } from "../../src/domain/resources/resource-store.js";
import { ENTITY, type ResourceChangeRow, type ResourceLinkChangeRow, type ResourceRow } from "../../src/store/entities.js";
import { offlineMssqlStore, type Store } from "../../src/store/store.js";
import { registerTask } from "../../src/tasks/registry.js";
import resetValidFromTask from "../../src/tasks/reset-valid-from.js";
import setRecentlyModifiedFlagTask, { setRecentlyModifiedFlag } from "../../src/tasks/set-recently-modified-flag.js";
import { statement } from "../helpers/sql-statement.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { deployFolder } from "../helpers/deploy-xml.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

const T0 = new Date("2026-01-02T03:04:05.678Z");
const TASK = taskSnapshot({ identifier: "SetDirty", type: "SetRecentlyModifiedFlagTask" });

function resource(entityType: string, sourceKey: string, connector = "HR"): ResourceInput {
  return { entityType, connector, sourceKey, properties: { Name: sourceKey } };
}

function change(sourceKey: string, operation: NewResourceChange["operation"], state: NewResourceChange["state"], resourceId: number | null, more: Partial<NewResourceChange> = {}): NewResourceChange {
  return { jobInstanceId: 7, connector: "HR", entityType: "HR_Person", sourceKey, resourceId, operation, state, before: null, after: "{}", ...more };
}

function linkChange(from: string, to: string, operation: NewLinkChange["operation"], state: NewLinkChange["state"], more: Partial<NewLinkChange> = {}): NewLinkChange {
  return {
    jobInstanceId: 7, connector: "HR", association: "Members", fromEntityType: "HR_Person", fromSourceKey: from, toEntityType: "HR_Group", toSourceKey: to,
    fromResourceId: null, toResourceId: null, linkId: null, operation, state, ...more,
  };
}

describe.each(BACKENDS)("SetRecentlyModifiedFlagTask on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let rs: ResourceStore;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    rs = new ResourceStore(store.dataSource.manager);
  });
  afterEach(async () => {
    removeTaskWorkspaces();
    await db.drop();
  });

  const dirtyKeys = async () =>
    (await store.dataSource.getRepository<ResourceRow>(ENTITY.resource).find({ where: { dirty: true }, order: { id: "ASC" } })).map((r) => r.sourceKey);
  const changeRows = () => store.dataSource.getRepository<ResourceChangeRow>(ENTITY.resourceChange).find({ order: { id: "ASC" } });
  const linkChangeRows = () => store.dataSource.getRepository<ResourceLinkChangeRow>(ENTITY.resourceLinkChange).find({ order: { id: "ASC" } });

  /**
   * p1…p6 (ids 1–6), g1 g2 (7, 8) and the AD account a1 (9, already dirty). Applied: p1's update, p2's
   * insert (no id recorded), the delete of p-gone (no resource any more), a1's update (another job and
   * connector), a link inserted p5 → g1 and one deleted p6 → g-gone. Not applied: p3 blocked, p4
   * pending, p5 discarded, a blocked link p3 → g2.
   */
  async function seed(): Promise<void> {
    const at = { at: T0, jobInstanceId: 7 };
    await rs.insertResources(["p1", "p2", "p3", "p4", "p5", "p6"].map((k) => resource("HR_Person", k)), at);
    await rs.insertResources([resource("HR_Group", "g1"), resource("HR_Group", "g2")], at);
    await rs.insertResources([resource("AD_Account", "a1", "AD")], at, true);
    await rs.insertResourceChanges([
      change("p1", "update", "applied", 1),
      change("p3", "update", "blocked", 3),
      change("p2", "insert", "applied", null),
      change("p4", "insert", "pending", null),
      change("p-gone", "delete", "applied", 99),
      change("p5", "update", "discarded", 5),
      change("a1", "update", "applied", 9, { jobInstanceId: 8, connector: "AD", entityType: "AD_Account" }),
    ]);
    await rs.insertLinkChanges([
      linkChange("p3", "g2", "insert", "blocked"),
      linkChange("p5", "g1", "insert", "applied"),
      linkChange("p6", "g-gone", "delete", "applied", { fromResourceId: 6, toResourceId: 98, linkId: 4 }),
    ]);
  }

  it.each([[undefined], [1], [2]])("flags the resources the applied change rows name, and only those, then clears those rows (ranges of %s)", async (batchSize) => {
    await seed();
    const w = taskWorkspace({}, { store });
    const counters = await setRecentlyModifiedFlag(w.context, batchSize === undefined ? {} : { batchSize });
    // a1 was dirty already: marked again by nobody, counted by nobody.
    expect(counters).toEqual({ flagged: 5, changesCleared: 4, linkChangesCleared: 2 });
    expect(await dirtyKeys()).toEqual(["p1", "p2", "p5", "p6", "g1", "a1"]);
    expect((await changeRows()).map((c) => [c.sourceKey, c.state])).toEqual([["p3", "blocked"], ["p4", "pending"], ["p5", "discarded"]]);
    expect((await linkChangeRows()).map((c) => [c.fromSourceKey, c.toSourceKey, c.state])).toEqual([["p3", "g2", "blocked"]]);
    if (batchSize === 1) expect(w.progress.length).toBe(4 + 1 + 2 + 1);
  });

  it("did work when it consumed applied rows; a second run finds none and did no work", async () => {
    await seed();
    const w = taskWorkspace({}, { store });
    const first = await setRecentlyModifiedFlagTask.run(w.context, TASK);
    expect(first).toEqual({ state: "Succeeded", didWork: true, counters: { flagged: 5, changesCleared: 4, linkChangesCleared: 2 } });
    const second = await setRecentlyModifiedFlagTask.run(w.context, TASK);
    expect(second).toEqual({ state: "Succeeded", didWork: false, counters: { flagged: 0, changesCleared: 0, linkChangesCleared: 0 } });
    expect(w.lines("Information")[1]).toContain("no applied change rows");
    expect(await changeRows()).toHaveLength(3);
  });

  it("did no work when only pending and blocked rows wait, and leaves them and their resources alone", async () => {
    await rs.insertResources([resource("HR_Person", "p1"), resource("HR_Group", "g1")], { at: T0, jobInstanceId: 7 });
    await rs.insertResourceChanges([change("p1", "update", "blocked", 1), change("p2", "insert", "pending", null)]);
    await rs.insertLinkChanges([linkChange("p1", "g1", "insert", "pending")]);
    const w = taskWorkspace({}, { store });
    expect(await setRecentlyModifiedFlagTask.run(w.context, TASK)).toMatchObject({ didWork: false, counters: { flagged: 0, changesCleared: 0, linkChangesCleared: 0 } });
    expect(await dirtyKeys()).toEqual([]);
    expect((await changeRows()).map((c) => c.state)).toEqual(["blocked", "pending"]);
    expect((await linkChangeRows()).map((c) => c.state)).toEqual(["pending"]);
  });

  it("counts as work the applied rows whose resources are gone, flagging nothing", async () => {
    await rs.insertResourceChanges([change("p-gone", "delete", "applied", 99)]);
    const w = taskWorkspace({}, { store });
    expect(await setRecentlyModifiedFlagTask.run(w.context, TASK)).toMatchObject({ didWork: true, counters: { flagged: 0, changesCleared: 1, linkChangesCleared: 0 } });
    expect(await changeRows()).toEqual([]);
  });

  it("is one transaction: cancelled once its resource changes were flagged and deleted, it leaves every flag and row as they were", async () => {
    await seed();
    const dirtyBefore = await dirtyKeys();
    const changesBefore = await changeRows();
    const linksBefore = await linkChangeRows();
    const w = taskWorkspace({}, { store });
    // The first progress report comes after the resource changes were claimed, flagged and deleted; the abort makes the
    // check before the link changes throw.
    const progress = w.context.progress;
    w.context.progress = (counters) => {
      progress(counters);
      w.controller.abort(new Error("cancelled by the test"));
    };
    await expect(setRecentlyModifiedFlagTask.run(w.context, TASK)).rejects.toThrow("cancelled by the test");
    expect(w.progress).toEqual([{ flagged: 2, changesCleared: 4, linkChangesCleared: 0 }]);
    expect(await dirtyKeys()).toEqual(dirtyBefore);
    expect(await changeRows()).toEqual(changesBefore);
    expect(await linkChangeRows()).toEqual(linksBefore);
  });

  it("deletes only the rows it flagged: a row applied between its flag and its delete stays for the next run", async () => {
    await seed();
    const w = taskWorkspace({}, { store });
    let resumed = false;
    // Ranges of 2 applied rows: the first, ids 1–3, holds p3's blocked change (id 2). A synchronization
    // resumed then applies it, on a connection of its own (PostgreSQL: another transaction, committed
    // while the task's is open; SQLite has one connection, so the write lands inside the task's transaction).
    const resume = async () => {
      if (resumed) return;
      resumed = true;
      await store.dataSource.manager.getRepository<ResourceChangeRow>(ENTITY.resourceChange).update({ sourceKey: "p3" }, { state: "applied" });
    };
    const counters = await setRecentlyModifiedFlag(w.context, { batchSize: 2, beforeDelete: resume });
    expect(resumed).toBe(true);
    expect(counters).toEqual({ flagged: 5, changesCleared: 4, linkChangesCleared: 2 });
    expect(await dirtyKeys()).not.toContain("p3");
    expect((await changeRows()).map((c) => [c.sourceKey, c.state])).toEqual([["p3", "applied"], ["p4", "pending"], ["p5", "discarded"]]);
    expect(await setRecentlyModifiedFlag(w.context)).toEqual({ flagged: 1, changesCleared: 1, linkChangesCleared: 0 });
    expect(await dirtyKeys()).toContain("p3");
  });

  describe("in a job run", () => {
    const job = (tasks: string) => writeFolder({
      "model.xml": BASE_MODEL,
      "jobs.xml": configFile(`  <Job Identifier="J" DisplayName_L1="Incremental">\n${tasks}\n  </Job>`),
    });
    const JOB = job([
      '    <SetRecentlyModifiedFlagTask Identifier="SetDirty" DisplayName_L1="Tag modified objects" Level="0"/>',
      '    <ResetValidFromTask Identifier="After" DisplayName_L1="Dependant" Level="1"><TaskDependsOnTask ParentTask="SetDirty"/></ResetValidFromTask>',
    ].join("\n"));
    let restore: (() => void)[] = [];

    beforeEach(async () => {
      restore = [registerTask(setRecentlyModifiedFlagTask), registerTask(resetValidFromTask)];
      await deployFolder(store, JOB);
    });
    afterEach(() => {
      for (const r of restore.reverse()) r();
    });

    const validFroms = async () => (await store.dataSource.getRepository<ResourceRow>(ENTITY.resource).find({ order: { id: "ASC" } })).map((r) => r.validFrom.toISOString());

    it("skips the dependant when no change row was applied", async () => {
      await rs.insertResources([resource("HR_Person", "p1")], { at: T0, jobInstanceId: 7 });
      await rs.insertResourceChanges([change("p1", "update", "blocked", 1)]);
      const summary = await runJob("J", { store, settings: DEFAULT_SETTINGS });
      const states = Object.fromEntries(summary.tasks.map((t) => [t.identifier, [t.state, t.didWork]]));
      expect(states).toEqual({ SetDirty: ["Succeeded", false], After: ["Skipped", false] });
      expect(summary.state).toBe("Succeeded");
      expect(await validFroms()).toEqual([T0.toISOString()]);
    });

    it("runs the dependant when applied change rows were consumed", async () => {
      await rs.insertResources([resource("HR_Person", "p1")], { at: T0, jobInstanceId: 7 });
      await rs.insertResourceChanges([change("p1", "update", "applied", 1)]);
      const summary = await runJob("J", { store, settings: DEFAULT_SETTINGS });
      const states = Object.fromEntries(summary.tasks.map((t) => [t.identifier, [t.state, t.didWork]]));
      expect(states).toEqual({ SetDirty: ["Succeeded", true], After: ["Succeeded", true] });
      expect(summary.tasks[0]!.counters).toEqual({ flagged: 1, changesCleared: 1, linkChangesCleared: 0 });
      expect(await dirtyKeys()).toEqual(["p1"]);
      expect(await validFroms()).toEqual(["0001-01-01T00:00:00.000Z"]);
    });
  });
});

describe("SetRecentlyModifiedFlagTask statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const range = { after: 100, upto: 50_100 };
    const last = { after: 50_100, upto: undefined };
    const text = [
      statement("the id that ends the next range of applied resource changes", selectAppliedChangeBound(m, ENTITY.resourceChange, 100, 50_000)),
      statement("claim a range of applied resource changes", claimAppliedChanges(m, ENTITY.resourceChange, range)),
      statement("flag the resources a range of claimed resource changes names", flagClaimedChanges(m, ENTITY.resourceChange, range)),
      statement("delete the claimed resource changes of the range", deleteClaimedChanges(m, ENTITY.resourceChange, range)),
      statement("the id that ends the next range of applied link changes", selectAppliedChangeBound(m, ENTITY.resourceLinkChange, 0, 50_000)),
      statement("claim the last range of applied link changes (no upper bound)", claimAppliedChanges(m, ENTITY.resourceLinkChange, last)),
      statement("flag both ends of a range of claimed link changes", flagClaimedChanges(m, ENTITY.resourceLinkChange, last)),
      statement("delete the claimed link changes of the range", deleteClaimedChanges(m, ENTITY.resourceLinkChange, last)),
    ].join("\n");
    await expect(text).toMatchFileSnapshot("snapshots/mssql-set-recently-modified-flag.sql");
  });

  it("binds the dirty flag as bit and ids as int", async () => {
    const { dataSource } = await offlineMssqlStore();
    const { parameters } = flagClaimedChanges(dataSource.manager, ENTITY.resourceChange, { after: 1, upto: 2 });
    expect(parameters).toMatchObject([{ type: "bit", value: true }, { type: "bit", value: false }, { value: CLAIMED }, { type: "int", value: 1 }, { type: "int", value: 2 }]);
  });
});

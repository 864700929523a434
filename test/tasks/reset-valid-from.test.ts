/**
 * ResetValidFromTask against real databases (SQLite always, PostgreSQL when IDM_TEST_POSTGRES_URL is
 * set), and the T-SQL it would send to SQL Server (offline snapshot). Dates are read back through
 * TypeORM, so what is checked is what every reader of the store gets.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  resetFirstArchivedVersions, resetUnarchivedResources, selectHistoryBound, selectResourceBound, YEAR_ONE,
} from "../../src/domain/resources/derived-queries.js";
import { ResourceStore, type ResourceInput } from "../../src/domain/resources/resource-store.js";
import { ENTITY, type ResourceHistoryRow, type ResourceRow } from "../../src/store/entities.js";
import { offlineMssqlStore, type Store } from "../../src/store/store.js";
import resetValidFromTask, { resetValidFrom, type ResetCounters } from "../../src/tasks/reset-valid-from.js";
import { statement } from "../helpers/sql-statement.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../helpers/task-workspace.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

const T0 = new Date("2026-01-02T03:04:05.678Z");
const T1 = new Date("2026-01-03T00:00:00.000Z");
const T2 = new Date("2026-01-04T00:00:00.000Z");
const TASK = taskSnapshot({ identifier: "ResetValidFrom", type: "ResetValidFromTask" });

function person(sourceKey: string): ResourceInput {
  return { entityType: "HR_Person", connector: "HR", sourceKey, properties: { Name: sourceKey } };
}

describe.each(BACKENDS)("ResetValidFromTask on %s", (_, backend) => {
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

  /** Current valid_from by source key, and the archived versions' valid_from by source key, oldest first. */
  async function validFroms(): Promise<{ current: Record<string, string>; archived: Record<string, string[]> }> {
    const current = await store.dataSource.getRepository<ResourceRow>(ENTITY.resource).find({ order: { id: "ASC" } });
    const history = await store.dataSource.getRepository<ResourceHistoryRow>(ENTITY.resourceHistory).find({ order: { id: "ASC" } });
    const archived: Record<string, string[]> = {};
    for (const h of history) (archived[h.sourceKey] ??= []).push(h.validFrom.toISOString());
    return { current: Object.fromEntries(current.map((r) => [r.sourceKey, r.validFrom.toISOString()])), archived };
  }

  /**
   * new1, new2: one version each (ids 1, 2). twice: valid from T0, T1, then T2 (two archived versions).
   * same: valid from T0, T1, then T0 again (a clock set back): its current row is as early as its first
   * archived version, which is the one reset. gone: deleted at T1, its one archived version outlives it.
   */
  async function seed(): Promise<void> {
    await rs.insertResources([person("new1"), person("new2"), person("twice"), person("same"), person("gone")], { at: T0, jobInstanceId: 1 });
    await rs.updateResources([{ id: 3, properties: { v: 1 } }, { id: 4, properties: { v: 1 } }], { at: T1, jobInstanceId: 2 });
    await rs.updateResources([{ id: 3, properties: { v: 2 } }], { at: T2, jobInstanceId: 3 });
    await rs.deleteResources([5], { at: T1, jobInstanceId: 2 });
    await rs.updateResources([{ id: 4, properties: { v: 2 } }], { at: T0, jobInstanceId: 4 });
  }

  const Y1 = YEAR_ONE.toISOString();

  it("resets the first version of every resource: the current row without history, else the earliest archived one", async () => {
    await seed();
    expect(await validFroms()).toEqual({
      current: { new1: T0.toISOString(), new2: T0.toISOString(), twice: T2.toISOString(), same: T0.toISOString() },
      archived: { twice: [T0.toISOString(), T1.toISOString()], same: [T0.toISOString(), T1.toISOString()], gone: [T0.toISOString()] },
    });
    const w = taskWorkspace({}, { store });
    expect(await resetValidFromTask.run(w.context, TASK)).toEqual({ state: "Succeeded", didWork: true, counters: { reset: 5 } });
    expect(await validFroms()).toEqual({
      current: { new1: Y1, new2: Y1, twice: T2.toISOString(), same: T0.toISOString() },
      archived: { twice: [Y1, T1.toISOString()], same: [Y1, T1.toISOString()], gone: [Y1] },
    });
    // Exactly year 1 as TypeORM reads it back, not a neighbouring instant printed alike.
    const [first] = await rs.resourcesByIds([1]);
    expect(first!.validFrom).toEqual(YEAR_ONE);
    expect(first!.validFrom.getTime()).toBe(-62_135_596_800_000);
    expect((await rs.history(3))[0]!.validFrom.getTime()).toBe(YEAR_ONE.getTime());
  });

  it("breaks a tie in valid_from by id: only the first archived version of equals is reset", async () => {
    await rs.insertResources([person("tie")], { at: T0, jobInstanceId: 1 });
    await rs.updateResources([{ id: 1, properties: { v: 1 } }], { at: T0, jobInstanceId: 2 });
    await rs.updateResources([{ id: 1, properties: { v: 2 } }], { at: T0, jobInstanceId: 3 });
    expect(await resetValidFrom({ store, signal: new AbortController().signal })).toEqual({ reset: 1 });
    expect(await validFroms()).toEqual({ current: { tie: T0.toISOString() }, archived: { tie: [Y1, T0.toISOString()] } });
  });

  it("is idempotent: a second run resets nothing and did no work", async () => {
    await seed();
    const w = taskWorkspace({}, { store });
    await resetValidFromTask.run(w.context, TASK);
    const after = await validFroms();
    expect(await resetValidFromTask.run(w.context, TASK)).toEqual({ state: "Succeeded", didWork: false, counters: { reset: 0 } });
    expect(w.lines("Information")[1]).toContain("nothing reset");
    expect(await validFroms()).toEqual(after);
  });

  it("keeps the first version first: a resource reset, then updated, is not reset again", async () => {
    await rs.insertResources([person("p")], { at: T0, jobInstanceId: 1 });
    const signal = new AbortController().signal;
    expect(await resetValidFrom({ store, signal })).toEqual({ reset: 1 });
    await rs.updateResources([{ id: 1, properties: { v: 1 } }], { at: T1, jobInstanceId: 2 });
    expect(await resetValidFrom({ store, signal })).toEqual({ reset: 0 });
    expect(await validFroms()).toEqual({ current: { p: T1.toISOString() }, archived: { p: [Y1] } });
  });

  it.each([[1], [2], [3]])("pages through the ids in ranges of %s, one statement each", async (batchSize) => {
    const keys = Array.from({ length: 7 }, (_, i) => `k${i}`);
    await rs.insertResources(keys.map(person), { at: T0, jobInstanceId: 1 });
    // k1, k3, k5 get two archived versions each: 6 history rows.
    for (const at of [T1, T2]) await rs.updateResources([2, 4, 6].map((id) => ({ id, properties: { at: at.toISOString() } })), { at, jobInstanceId: 2 });
    const progress: ResetCounters[] = [];
    const counters = await resetValidFrom({ store, signal: new AbortController().signal, batchSize, progress: (c) => progress.push(c) });
    expect(counters).toEqual({ reset: 7 });
    // One report per range: ⌊rows / size⌋ + 1 ranges in each pass (the last one open-ended).
    expect(progress).toHaveLength(Math.floor(6 / batchSize) + 1 + Math.floor(7 / batchSize) + 1);
    const { current, archived } = await validFroms();
    expect(Object.values(archived)).toEqual([[Y1, T1.toISOString()], [Y1, T1.toISOString()], [Y1, T1.toISOString()]]);
    expect(current).toEqual(Object.fromEntries(keys.map((k, i) => [k, i % 2 === 1 ? T2.toISOString() : Y1])));
  });

  it("stops between statements when cancelled; the next run finishes the work", async () => {
    await rs.insertResources(["a", "b", "c", "d"].map(person), { at: T0, jobInstanceId: 1 });
    const controller = new AbortController();
    const stopped = resetValidFrom({
      store, signal: controller.signal, batchSize: 2, progress: (c) => {
        if (c.reset > 0) controller.abort(new Error("cancelled by the test"));
      },
    });
    await expect(stopped).rejects.toThrow("cancelled by the test");
    // Each range commits on its own: the first stays reset.
    expect(Object.values((await validFroms()).current)).toEqual([Y1, Y1, T0.toISOString(), T0.toISOString()]);
    expect(await resetValidFrom({ store, signal: new AbortController().signal })).toEqual({ reset: 2 });
  });

  it("stores year 1 exactly whatever the process time zone", async () => {
    const zone = process.env.TZ;
    // New York's offset on 0001-01-01 is -4:56:02: a Date bound as local time would come back 2 seconds off.
    process.env.TZ = "America/New_York";
    try {
      await rs.insertResources([person("p")], { at: T0, jobInstanceId: 1 });
      expect(await resetValidFrom({ store, signal: new AbortController().signal })).toEqual({ reset: 1 });
      const [row] = await rs.resourcesByIds([1]);
      expect(row!.validFrom.toISOString()).toBe("0001-01-01T00:00:00.000Z");
      expect(await resetValidFrom({ store, signal: new AbortController().signal })).toEqual({ reset: 0 });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe("ResetValidFromTask statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const text = [
      statement("the id that ends the next range of archived versions", selectHistoryBound(m, 0, 20_000)),
      statement("reset the first archived versions of a range", resetFirstArchivedVersions(m, { after: 0, upto: 20_000 })),
      statement("the id that ends the next range of current resources", selectResourceBound(m, 40_000, 20_000)),
      statement("reset the resources without archived versions of the last range (no upper bound)", resetUnarchivedResources(m, { after: 40_000, upto: undefined })),
    ].join("\n");
    await expect(text).toMatchFileSnapshot("snapshots/mssql-reset-valid-from.sql");
  });

  it("binds year 1 as datetime2 (a bare Date would go as datetime, which starts in 1753)", async () => {
    const { dataSource } = await offlineMssqlStore();
    const { parameters } = resetFirstArchivedVersions(dataSource.manager, { after: 0, upto: 10 });
    expect(parameters).toMatchObject([{ type: "datetime2", value: YEAR_ONE }, { type: "int", value: 0 }, { type: "int", value: 10 }, { type: "datetime2", value: YEAR_ONE }]);
  });
});

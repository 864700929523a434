import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collectFolder, consumeBatch, discardBatch, releaseBatch, takeOldestBatch } from "../../../src/domain/sync/batch-queue.js";
import type { ConnectorModel } from "../../../src/domain/sync/synchronize-model.js";
import { exceededLinkThreshold, exceededThreshold, type Thresholds } from "../../../src/domain/sync/thresholds.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function queue(...names: string[]): { work: string; collect: string } {
  const work = mkdtempSync(join(tmpdir(), "idm-sync-batch-"));
  roots.push(work);
  const collect = collectFolder(work, "HR", "db-test");
  mkdirSync(collect, { recursive: true });
  writeFileSync(join(collect, "sequence"), "9\n");
  mkdirSync(join(collect, "previous"));
  for (const name of names) {
    mkdirSync(join(collect, name));
    const [sequence, mode] = name.replace(".taken", "").split("-");
    writeFileSync(join(collect, name, "batch.json"), JSON.stringify({ format: 1, connector: "HR", mode, sequence: Number(sequence), entries: [] }));
  }
  return { work, collect };
}

describe("the batch queue seen by SynchronizeTask", () => {
  it("finds nothing without a Collect folder or a queued batch", async () => {
    expect(await takeOldestBatch(join(tmpdir(), "idm-no-such-folder"), "HR", "db-test")).toBeUndefined();
    const { work } = queue();
    expect(await takeOldestBatch(work, "HR", "db-test")).toBeUndefined();
  });

  it("takes the oldest batch by renaming it, puts it back on release, removes it once consumed", async () => {
    const { work, collect } = queue("000003-Incremental", "000002-Complete");
    const batch = await takeOldestBatch(work, "HR", "db-test");
    expect(batch).toMatchObject({ name: "000002-Complete", sequence: 2, manifest: { mode: "Complete" } });
    expect(readdirSync(collect).sort()).toEqual(["000002-Complete.taken", "000003-Incremental", "previous", "sequence"]);
    await releaseBatch(batch!);
    expect(readdirSync(collect).sort()).toEqual(["000002-Complete", "000003-Incremental", "previous", "sequence"]);
    const again = await takeOldestBatch(work, "HR", "db-test");
    await consumeBatch(again!);
    expect(readdirSync(collect).sort()).toEqual(["000003-Incremental", "previous", "sequence"]);
    expect(existsSync(again!.folder)).toBe(false);
  });

  it("discards the batch the next synchronization would take, or the one named, and nothing else", async () => {
    const { work, collect } = queue("000004-Complete", "000003-Incremental.taken", "000005-Incremental");
    expect(await discardBatch(work, "HR", "db-test")).toBe("000003-Incremental");
    expect(await discardBatch(work, "HR", "db-test", "000005-Incremental")).toBe("000005-Incremental");
    expect(await discardBatch(work, "HR", "db-test", "../../etc")).toBeUndefined();
    expect(await discardBatch(work, "HR", "db-test", "000009-Complete")).toBeUndefined();
    expect(readdirSync(collect).sort()).toEqual(["000004-Complete", "previous", "sequence"]);
    expect(await discardBatch(work, "AD", "db-test")).toBeUndefined();
  });

  it("takes again first a batch a killed run left taken", async () => {
    const { work } = queue("000004-Complete", "000003-Incremental.taken");
    expect((await takeOldestBatch(work, "HR", "db-test"))?.name).toBe("000003-Incremental");
  });
});

const off = (): Thresholds => ({ Inserted: { lines: 0, percentage: 0 }, Updated: { lines: 0, percentage: 0 }, Deleted: { lines: 0, percentage: 0 } });

function model(connector: Thresholds, person: Thresholds): ConnectorModel {
  return {
    connector: "HR",
    thresholds: connector,
    linkThresholds: { Inserted: { lines: 1000, percentage: 5 }, Deleted: { lines: 1000, percentage: 5 } },
    entityTypes: new Map([
      ["HR_Person", { identifier: "HR_Person", primaryKey: "EmployeeId", properties: new Map(), formats: new Map(), thresholds: person }],
      ["HR_Department", { identifier: "HR_Department", primaryKey: "Code", properties: new Map(), formats: new Map(), thresholds: off() }],
    ]),
    associations: new Map([["HR_Person_Manager", {
      identifier: "HR_Person_Manager", side1: { entityType: "HR_Person", property: "EmployeeId" }, side2: { entityType: "HR_Person", property: "EmployeeId" },
      thresholds: { Inserted: { lines: 0, percentage: 0 }, Deleted: { lines: 3, percentage: 0 } },
    }]]),
  };
}

describe("synchronization thresholds", () => {
  const current = new Map([["HR_Person", 90], ["HR_Department", 10]]);

  it("passes what no active threshold exceeds; 0 disables a threshold", () => {
    const connector = off();
    connector.Deleted = { lines: 10, percentage: 10 };
    expect(exceededThreshold(model(connector, off()), { changes: { HR_Person: { delete: 10, insert: 500, update: 500 } }, current })).toBeUndefined();
  });

  it("counts the connector's thresholds over all its entity types, a mapping's over its own; the lowest blocks", () => {
    const connector = off();
    connector.Deleted = { lines: 50, percentage: 10 };
    const person = off();
    person.Deleted = { lines: 5, percentage: 0 };
    expect(exceededThreshold(model(connector, off()), { changes: { HR_Person: { delete: 8 }, HR_Department: { delete: 3 } }, current }))
      .toBe("MaxPercentageDeletedLines of connector HR (10%) exceeded: 11 of 100 resources of HR (11%) would be deleted");
    expect(exceededThreshold(model(connector, person), { changes: { HR_Person: { delete: 6 } }, current }))
      .toBe("MaximumDeletedLines of EntityTypeMapping HR_Person (5) exceeded: 6 HR_Person resources would be deleted");
  });

  it("applies no percentage while nothing is stored", () => {
    const connector = off();
    connector.Inserted = { lines: 100, percentage: 5 };
    expect(exceededThreshold(model(connector, off()), { changes: { HR_Person: { insert: 100 } }, current: new Map() })).toBeUndefined();
    expect(exceededThreshold(model(connector, off()), { changes: { HR_Person: { insert: 101 } }, current: new Map() }))
      .toBe("MaximumInsertedLines of connector HR (100) exceeded: 101 resources of HR would be inserted");
  });

  it("checks link changes against the connector's link thresholds and the association mapping's", () => {
    const m = model(off(), off());
    expect(exceededLinkThreshold(m, { HR_Person_Manager: { delete: 4 } }, new Map([["HR_Person_Manager", 1000]])))
      .toBe("MaximumDeletedLines of EntityAssociationMapping HR_Person_Manager (3) exceeded: 4 HR_Person_Manager links would be deleted");
    expect(exceededLinkThreshold(m, { HR_Person_Manager: { insert: 6 } }, new Map([["HR_Person_Manager", 100]])))
      .toBe("MaxLinkPercentageInsertedLines of connector HR (5%) exceeded: 6 of 100 links of HR (6%) would be inserted");
    expect(exceededLinkThreshold(m, { HR_Person_Manager: { insert: 5, delete: 3 } }, new Map([["HR_Person_Manager", 100]]))).toBeUndefined();
  });
});

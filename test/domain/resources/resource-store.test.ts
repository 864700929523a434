import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as q from "../../../src/domain/resources/resource-queries.js";
import { decodeProperties, encodeProperties, hashProperties, type PropertyInput } from "../../../src/domain/resources/properties.js";
import { ResourceStore, type NewLinkChange, type NewResourceChange, type ResourceInput } from "../../../src/domain/resources/resource-store.js";
import { compareSourceKeys } from "../../../src/domain/resources/source-key-order.js";
import { ENTITY, type ResourceRow } from "../../../src/store/entities.js";
import { statementName } from "../../../src/store/prepared-statements.js";
import { offlineMssqlStore, type Store } from "../../../src/store/store.js";
import { statement } from "../../helpers/sql-statement.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";

const T0 = new Date("2026-01-02T03:04:05.678Z");
const T1 = new Date("2026-01-03T00:00:00.000Z");
const T2 = new Date("2026-01-04T00:00:00.000Z");
/** ResetValidFromTask's date: the first day of year 1. */
const YEAR_ONE = new Date("0001-01-01T00:00:00.000Z");

/** Deterministic keys that mix case, accents, digits, spaces and characters beyond U+FFFF. */
function keys(count: number): string[] {
  const alphabet = ["a", "B", "b", "Z", "é", "E", "0", "9", " ", "-", "ß", "\uFFFD", "\u{1F600}", "\u4E2D"];
  let seed = 42;
  // xorshift32: integer arithmetic only, so the sequence never collapses into a short cycle.
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const result = new Set<string>();
  while (result.size < count) {
    let key = "";
    for (let n = 1 + (next() % 8); n > 0; n--) key += alphabet[next() % alphabet.length];
    result.add(key);
  }
  return [...result];
}

function person(sourceKey: string, i: number): ResourceInput & { properties: Record<string, PropertyInput> } {
  return {
    entityType: "HR_Person", connector: "HR", sourceKey,
    properties: { Name: `Person ${i}`, Age: i % 90, Active: i % 2 === 0, Hired: new Date(Date.UTC(2000, 0, 1 + (i % 365))), Manager: null },
  };
}

async function all<Row>(pages: AsyncGenerator<Row[]>): Promise<Row[][]> {
  const result: Row[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

describe("properties", () => {
  it("are stored as canonical JSON: keys sorted, null and absent values left out, dates as ISO 8601 UTC", () => {
    const encoded = encodeProperties({ b: 1, a: "x", c: null, d: undefined, e: false, f: new Date("2026-05-06T07:08:09.010Z") });
    expect(encoded).toBe('{"a":"x","b":1,"e":false,"f":"2026-05-06T07:08:09.010Z"}');
    expect(decodeProperties(encoded)).toEqual({ a: "x", b: 1, e: false, f: "2026-05-06T07:08:09.010Z" });
    expect(hashProperties(encodeProperties({ a: "x", b: 1 }))).toBe(hashProperties(encodeProperties({ b: 1, a: "x", z: null })));
    expect(hashProperties(encodeProperties({ a: "x" }))).not.toBe(hashProperties(encodeProperties({ a: "X" })));
    expect(hashProperties("{}")).toMatch(/^[0-9a-f]{64}$/);
    expect(() => encodeProperties({ n: Number.NaN })).toThrow("property n is NaN");
  });

  it("source keys compare by code point, not by UTF-16 unit", () => {
    expect(["b", "B", "a", "é", "e"].sort(compareSourceKeys)).toEqual(["B", "a", "b", "e", "é"]);
    // U+1F600 is stored as surrogates (D83D DE00), which `<` puts before U+FFFD; its code point is after.
    expect("\u{1F600}" < "\uFFFD").toBe(true);
    expect(compareSourceKeys("\u{1F600}", "\uFFFD")).toBeGreaterThan(0);
    expect(compareSourceKeys("ab", "a")).toBeGreaterThan(0);
    expect(compareSourceKeys("a", "a")).toBe(0);
  });
});

describe.each(BACKENDS)("resource store on %s", (_, backend) => {
  let db: TestDatabase;
  let opened: Store;
  let store: ResourceStore;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    opened = await db.open();
    store = new ResourceStore(opened.dataSource.manager);
  });
  afterEach(async () => {
    await db.drop();
  });

  const hr = { at: T0, jobInstanceId: 7 };

  it("inserts 10,000 resources in bulk and reads them back in key order, a page at a time", async () => {
    const sourceKeys = keys(10_000);
    await store.insertResources(sourceKeys.map(person), hr);
    const sorted = [...sourceKeys].sort(compareSourceKeys);

    const pages = await all(store.resourceKeys("HR_Person", 1000));
    expect(pages.map((p) => p.length)).toEqual(Array(10).fill(1000));
    expect(pages.flat().map((r) => r.sourceKey)).toEqual(sorted);
    expect(Object.keys(pages[0]![0]!).sort()).toEqual(["hash", "id", "sourceKey"]);

    const full = (await all(store.resources("HR_Person", 3000))).flat();
    expect(full.map((r) => r.sourceKey)).toEqual(sorted);
    const i = sourceKeys.indexOf(sorted[0]!);
    const properties = encodeProperties(person(sorted[0]!, i).properties);
    expect(full[0]).toEqual({
      id: i + 1, entityType: "HR_Person", connector: "HR", sourceKey: sorted[0], hash: hashProperties(properties), validFrom: T0, dirty: false,
      createdByJobInstance: 7, changedByJobInstance: 7, historyId: null, properties,
    });
    expect(await store.countResources(["HR_Person", "HR_Department"])).toEqual(new Map([["HR_Person", 10_000]]));
    expect(await all(store.resourceKeys("HR_Department"))).toEqual([]);
    expect(await store.countResources([])).toEqual(new Map());
  });

  if (backend.name === "postgres") {
    it("collates source keys \"C\" on PostgreSQL: code point order, whatever the database's default collation", async () => {
      const rows: { table_name: string; column_name: string; collation_name: string | null }[] = await opened.dataSource.query(
        `SELECT table_name, column_name, collation_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name ~ '(^|_)source_key$' ORDER BY table_name, column_name`,
      );
      expect(rows.map((r) => `${r.table_name}.${r.column_name} ${r.collation_name}`)).toEqual([
        "idm_resource_changes.source_key C", "idm_resource_history.source_key C", "idm_resource_link_changes.from_source_key C",
        "idm_resource_link_changes.to_source_key C", "idm_resources.source_key C",
      ]);
    });
  }

  if (backend.name === "postgres") {
    it("sends full batches of resources, links and changes as named prepared statements, parsed once per connection, and the last batch unnamed", async () => {
      const prepared = await opened.dataSource.transaction(async (m) => {
        const rs = new ResourceStore(m);
        const [resources, links, changes, linkChanges] = (["resources", "links", "resourceChanges", "linkChanges"] as const).map((t) => rs.insertBatch(t)) as [number, number, number, number];
        await rs.insertResources(keys(2 * resources + 3).map(person), hr);
        await rs.insertLinks(Array.from({ length: 2 * links + 1 }, (_, i) => ({ association: "Members", fromResourceId: 1 + (i % 2), toResourceId: 1 + Math.floor(i / 2) })), hr);
        const change: NewResourceChange = { jobInstanceId: 7, connector: "HR", entityType: "HR_Person", sourceKey: "p", resourceId: null, operation: "insert", state: "pending", before: null, after: "{}" };
        await rs.insertResourceChanges(Array.from({ length: 2 * changes + 1 }, (_, i) => ({ ...change, sourceKey: `p${i}` })));
        const link: NewLinkChange = {
          jobInstanceId: 7, connector: "HR", association: "Members", fromEntityType: "HR_Person", fromSourceKey: "p1", toEntityType: "HR_Group", toSourceKey: "g",
          fromResourceId: null, toResourceId: null, linkId: null, operation: "insert", state: "pending",
        };
        await rs.insertLinkChanges(Array.from({ length: 2 * linkChanges + 1 }, (_, i) => ({ ...link, toSourceKey: `g${i}` })));
        return m.query<{ name: string; statement: string }[]>("SELECT name, statement FROM pg_prepared_statements ORDER BY statement");
      });
      expect(prepared.map((p) => [/^INSERT INTO "(\w+)"/.exec(p.statement)?.[1], p.name === statementName(p.statement)])).toEqual([
        ["idm_resource_changes", true], ["idm_resource_link_changes", true], ["idm_resource_links", true], ["idm_resources", true],
      ]);
      expect(await store.countResources(["HR_Person"])).toEqual(new Map([["HR_Person", 2 * store.insertBatch("resources") + 3]]));
      const counted = await opened.dataSource.query<{ n: string }[]>(
        `SELECT (SELECT COUNT(*) FROM idm_resource_links) + (SELECT COUNT(*) FROM idm_resource_changes) + (SELECT COUNT(*) FROM idm_resource_link_changes) AS n`,
      );
      expect(Number(counted[0]!.n)).toBe(2 * (store.insertBatch("links") + store.insertBatch("resourceChanges") + store.insertBatch("linkChanges")) + 3);
    });
  }

  it("resolves source keys to ids exactly: case and accents matter", async () => {
    await store.insertResources(["key", "Key", "kéy"].map(person), hr);
    expect(await store.idsByKeys("HR_Person", ["Key", "KEY", "kéy", "key"])).toEqual(new Map([["Key", 2], ["kéy", 3], ["key", 1]]));
    expect((await store.resourcesByIds([3, 1])).map((r) => r.sourceKey)).toEqual(["key", "kéy"]);
  });

  it("refuses a second current version of a key, in one entity type only", async () => {
    await store.insertResources([person("p1", 1)], hr);
    await expect(store.insertResources([person("p1", 2)], hr)).rejects.toThrow();
    await store.insertResources([{ ...person("p1", 3), entityType: "AD_User", connector: "AD" }], hr);
    expect(await store.countResources(["HR_Person", "AD_User"])).toEqual(new Map([["HR_Person", 1], ["AD_User", 1]]));
  });

  it("archives the current version when a resource changes: same id, history valid until the change", async () => {
    await store.insertResources([person("p1", 1), person("p2", 2)], hr);
    const [p1] = await store.resourcesByIds([1]);
    await store.updateResources([{ id: 1, properties: { Name: "Renamed" } }], { at: T1, jobInstanceId: 8 }, true);
    await store.updateResources([{ id: 1, properties: { Name: "Again" } }], { at: T2, jobInstanceId: 9 });

    const [current] = await store.resourcesByIds([1]);
    const history = await store.history(1);
    expect(current).toMatchObject({
      id: 1, sourceKey: "p1", properties: '{"Name":"Again"}', hash: hashProperties('{"Name":"Again"}'), validFrom: T2, dirty: true,
      createdByJobInstance: 7, changedByJobInstance: 9, historyId: history[1]!.id,
    });
    // Each version points at the one archived before it: the chain the history is read from.
    expect(history.map(({ id, ...h }) => h)).toEqual([
      { resourceId: 1, entityType: "HR_Person", connector: "HR", sourceKey: "p1", hash: p1!.hash, validFrom: T0, validTo: T1, changedByJobInstance: 7, archivedByJobInstance: 8, previousId: null, properties: p1!.properties },
      { resourceId: 1, entityType: "HR_Person", connector: "HR", sourceKey: "p1", hash: hashProperties('{"Name":"Renamed"}'), validFrom: T1, validTo: T2, changedByJobInstance: 8, archivedByJobInstance: 9, previousId: history[0]!.id, properties: '{"Name":"Renamed"}' },
    ]);
    expect(await store.history(2)).toEqual([]);
    expect(await store.history(99)).toEqual([]);
  });

  it("links resources, reads an association in (from, to) order by pages, refuses a duplicate, ends links into history", async () => {
    await store.insertResources(["u1", "u2", "u3", "g1", "g2"].map(person), hr);
    const links = [[3, 5], [1, 4], [2, 4], [1, 5], [3, 4]].map(([from, to]) => ({ association: "Members", fromResourceId: from!, toResourceId: to! }));
    await store.insertLinks(links, hr);
    await store.insertLinks([{ association: "Owner", fromResourceId: 4, toResourceId: 1 }], hr);

    const pages = await all(store.links("Members", 2));
    expect(pages.map((p) => p.map((l) => [l.fromResourceId, l.toResourceId]))).toEqual([[[1, 4], [1, 5]], [[2, 4], [3, 4]], [[3, 5]]]);
    expect(pages[0]![0]).toEqual({ id: 2, association: "Members", fromResourceId: 1, toResourceId: 4, validFrom: T0, createdByJobInstance: 7 });
    await expect(store.insertLinks([links[0]!], hr)).rejects.toThrow();
    // The foreign keys: no link to a resource that does not exist, and no resource deleted under its links.
    await expect(store.insertLinks([{ association: "Members", fromResourceId: 1, toResourceId: 99 }], hr)).rejects.toThrow();
    await expect(opened.dataSource.query("DELETE FROM idm_resources WHERE id = 4")).rejects.toThrow();

    await store.endLinks([2], { at: T1, jobInstanceId: 8 });
    expect((await all(store.links("Members"))).flat().map((l) => l.id)).toEqual([4, 3, 5, 1]);
    expect(await store.linkHistory(1)).toEqual([
      { id: 1, linkId: 2, association: "Members", fromResourceId: 1, toResourceId: 4, validFrom: T0, validTo: T1, createdByJobInstance: 7, archivedByJobInstance: 8 },
    ]);
  });

  it("deletes resources: their links ended, their last versions archived", async () => {
    await store.insertResources(["u1", "u2", "g1"].map(person), hr);
    await store.insertLinks([{ association: "Members", fromResourceId: 1, toResourceId: 3 }, { association: "Members", fromResourceId: 2, toResourceId: 3 }], hr);
    await store.deleteResources([3], { at: T1, jobInstanceId: 8 });

    expect((await all(store.resourceKeys("HR_Person"))).flat().map((r) => r.sourceKey)).toEqual(["u1", "u2"]);
    expect(await all(store.links("Members"))).toEqual([]);
    expect((await store.linkHistory(1)).map((l) => [l.toResourceId, l.validTo, l.archivedByJobInstance])).toEqual([[3, T1, 8]]);
    expect((await store.history(3)).map((h) => [h.sourceKey, h.validFrom, h.validTo, h.archivedByJobInstance])).toEqual([["g1", T0, T1, 8]]);
    // The key is free again: a new resource, a new id.
    await store.insertResources([person("g1", 9)], { at: T2, jobInstanceId: 9 });
    expect(await store.idsByKeys("HR_Person", ["g1"])).toEqual(new Map([["g1", 4]]));
    expect(await store.history(4)).toEqual([]);
  });

  it("keeps a deleted resource's whole history, with or without a last archived version", async () => {
    await store.insertResources(["u1", "u2", "u3"].map(person), hr);
    await store.updateResources([1, 2, 3].map((id) => ({ id, properties: { Name: "Renamed" } })), { at: T1, jobInstanceId: 8 });
    await store.deleteResources([1], { at: T2, jobInstanceId: 9 });
    await store.deleteResources([2], { at: T2, jobInstanceId: 9, withoutHistory: true });
    await store.deleteResources([3], { at: T2, jobInstanceId: 9, withoutHistory: true });

    const versions = async (id: number) => (await store.history(id)).map((h) => [h.resourceId, h.properties, h.validTo]);
    expect(await versions(1)).toEqual([[1, encodeProperties(person("u1", 0).properties), T1], [1, '{"Name":"Renamed"}', T2]]);
    // Deleted without history: what was archived before stays found.
    expect(await versions(2)).toEqual([[2, encodeProperties(person("u2", 1).properties), T1]]);
    expect(await versions(3)).toEqual([[3, encodeProperties(person("u3", 2).properties), T1]]);
  });

  it("writes without history when told: versions replaced, links ended and resources deleted leave no archive", async () => {
    await store.insertResources(["u1", "u2", "g1"].map(person), hr);
    await store.insertLinks([{ association: "Members", fromResourceId: 1, toResourceId: 3 }, { association: "Members", fromResourceId: 2, toResourceId: 3 }], hr);
    expect((await store.linksOfResources([1])).map((l) => [l.fromResourceId, l.toResourceId])).toEqual([[1, 3]]);
    expect((await store.linksOfResources([3])).map((l) => [l.fromResourceId, l.toResourceId])).toEqual([[1, 3], [2, 3]]);

    const quiet = { at: T1, jobInstanceId: 8, withoutHistory: true };
    await store.updateResources([{ id: 1, properties: { Name: "Renamed" } }], quiet);
    await store.endLinks([(await store.linksOfResources([2]))[0]!.id], quiet);
    await store.deleteResources([3], quiet);

    expect((await store.resourcesByIds([1]))[0]).toMatchObject({ properties: '{"Name":"Renamed"}', validFrom: T1, changedByJobInstance: 8 });
    expect(await store.resourcesByIds([3])).toEqual([]);
    expect(await all(store.links("Members"))).toEqual([]);
    expect([await store.history(1), await store.history(3), await store.linkHistory(1), await store.linkHistory(2)]).toEqual([[], [], [], []]);
  });

  it("keeps a synchronization's changes: insert, read by job instance, count, move between states, delete", async () => {
    const change = (sourceKey: string, operation: NewResourceChange["operation"], connector = "HR"): NewResourceChange => ({
      jobInstanceId: 7, connector, entityType: "HR_Person", sourceKey, resourceId: operation === "insert" ? null : 1, operation, state: "pending",
      before: operation === "insert" ? null : '{"Name":"A"}', after: operation === "delete" ? null : '{"Name":"B"}',
    });
    await store.insertResourceChanges([change("p1", "update"), change("p2", "insert"), change("p3", "insert"), change("p4", "delete"), change("x", "insert", "AD")]);
    await store.insertResourceChanges([{ ...change("p9", "insert"), jobInstanceId: 8 }]);
    const link: NewLinkChange = {
      jobInstanceId: 7, connector: "HR", association: "Members", fromEntityType: "HR_Person", fromSourceKey: "p2", toEntityType: "HR_Group",
      toSourceKey: "g1", fromResourceId: null, toResourceId: 4, linkId: null, operation: "insert", state: "pending",
    };
    await store.insertLinkChanges([link, { ...link, toSourceKey: "g2", operation: "delete", fromResourceId: 2, linkId: 5 }]);

    const pages = await all(store.resourceChanges(7, { connector: "HR" }, 2));
    expect(pages.map((p) => p.map((c) => c.sourceKey))).toEqual([["p1", "p2"], ["p3", "p4"]]);
    expect(pages[0]![0]).toEqual({ id: 1, ...change("p1", "update") });
    expect((await all(store.linkChanges(7))).flat()).toEqual([{ id: 1, ...link }, { id: 2, ...link, toSourceKey: "g2", operation: "delete", fromResourceId: 2, linkId: 5 }]);
    expect(await store.countResourceChanges(7, "HR", "pending")).toEqual({ HR_Person: { insert: 2, update: 1, delete: 1 } });
    expect(await store.countLinkChanges(7, "HR", "pending")).toEqual({ Members: { insert: 1, delete: 1 } });

    await store.setChangesState(7, "HR", "pending", "blocked");
    expect((await all(store.resourceChanges(7, { state: "blocked" }))).flat().map((c) => c.sourceKey)).toEqual(["p1", "p2", "p3", "p4"]);
    expect((await all(store.linkChanges(7, { state: "blocked" }))).flat()).toHaveLength(2);
    await store.setChangeStateByIds(ENTITY.resourceChange, [1, 2], "applied");
    expect(await store.countResourceChanges(7, "HR", "blocked")).toEqual({ HR_Person: { insert: 1, delete: 1 } });

    await store.deleteChanges(7, "HR");
    expect((await all(store.resourceChanges(7))).flat().map((c) => c.connector)).toEqual(["AD"]);
    expect(await all(store.linkChanges(7))).toEqual([]);
    expect((await all(store.resourceChanges(8))).flat()).toHaveLength(1);
  });

  it("records one synchronization per task instance, newest first per connector", async () => {
    const first = await store.startSynchronization({ connector: "HR", taskInstanceId: 11, jobInstanceId: 7, mode: "Complete", startedAt: T0 });
    const second = await store.startSynchronization({ connector: "HR", taskInstanceId: 12, jobInstanceId: 8, mode: "Incremental", startedAt: T1 });
    await store.startSynchronization({ connector: "AD", taskInstanceId: 13, jobInstanceId: 8, mode: "Initial", startedAt: T1 });
    await store.updateSynchronization(first, { state: "Blocked", endedAt: T1, resourcesInserted: 3, resourcesUpdated: 2, resourcesDeleted: 1, linksInserted: 5, linksDeleted: 4, error: "threshold" });
    await expect(store.startSynchronization({ connector: "HR", taskInstanceId: 11, jobInstanceId: 7, mode: "Complete", startedAt: T2 })).rejects.toThrow();

    const synchronizations = await store.synchronizations("HR", 10);
    expect(synchronizations.map((s) => s.id)).toEqual([second, first]);
    expect(synchronizations[1]).toEqual({
      id: first, connector: "HR", taskInstanceId: 11, jobInstanceId: 7, mode: "Complete", state: "Blocked", startedAt: T0, endedAt: T1,
      resourcesInserted: 3, resourcesUpdated: 2, resourcesDeleted: 1, linksInserted: 5, linksDeleted: 4, error: "threshold",
    });
    expect(await store.synchronizationOfTask(12)).toMatchObject({ id: second, state: "InProgress", endedAt: null, resourcesInserted: 0 });
    expect(await store.synchronizationOfTask(99)).toBeUndefined();
    expect(await store.synchronizations("HR", 1)).toHaveLength(1);
  });

  it("marks resources dirty, reads an entity type's dirty ones by pages, clears them", async () => {
    await store.insertResources(["a", "b", "c", "d"].map(person), hr);
    await store.insertResources([{ ...person("x", 0), entityType: "AD_User" }], hr, true);
    await store.markDirty([1, 3, 4]);
    expect((await all(store.dirtyResources("HR_Person", 2))).map((p) => p.map((r) => r.id))).toEqual([[1, 3], [4]]);
    await store.clearDirty("HR_Person", [3]);
    expect((await all(store.dirtyResources("HR_Person"))).flat().map((r) => r.id)).toEqual([1, 4]);
    await store.clearDirty("HR_Person");
    expect(await all(store.dirtyResources("HR_Person"))).toEqual([]);
    expect((await all(store.dirtyResources("AD_User"))).flat().map((r) => r.sourceKey)).toEqual(["x"]);
  });

  it("finds and clears the dirty resources through the partial index of dirty rows, which holds only those", async () => {
    const m = opened.dataSource.manager;
    await store.insertResources(["a", "b", "c"].map(person), hr);
    await store.markDirty([2]);
    const indexed = opened.dialect === "postgres"
      ? await m.query(`SELECT indexdef AS sql FROM pg_indexes WHERE indexname = 'IX_idm_resources_dirty' AND schemaname = current_schema()`)
      : await m.query(`SELECT sql FROM sqlite_master WHERE name = 'IX_idm_resources_dirty'`);
    expect(indexed[0].sql).toMatch(/\(\s*"?entity_type"?\s*,\s*"?id"?\s*\)\s*WHERE\s*\(?"?dirty"?\s*=\s*(1|true)\)?\s*$/i);
    const plans = async (statement: { sql: string; parameters: unknown[] }) => {
      if (opened.dialect !== "postgres") return JSON.stringify(await m.query(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.parameters));
      // A table of three rows is read whole unless the planner is told not to: what is asked is whether the index can serve.
      return m.transaction(async (t) => {
        await t.query("SET LOCAL enable_seqscan = off");
        return JSON.stringify(await t.query(`EXPLAIN ${statement.sql}`, statement.parameters));
      });
    };
    const [pageSql, pageParameters] = q.selectDirtyResources(m, "HR_Person", 0, 10).getQueryAndParameters();
    expect(await plans({ sql: pageSql, parameters: pageParameters })).toContain("IX_idm_resources_dirty");
    expect(await plans(q.clearDirty(m, "HR_Person"))).toContain("IX_idm_resources_dirty");
  });

  it("keeps ValidFrom 0001-01-01 exactly, also where that date is in local mean time (pg writes local time)", async () => {
    const zone = process.env.TZ;
    // New York's offset on 0001-01-01 is -4:56:02: a Date bound as local time would come back 2 seconds off, in 2 BC.
    process.env.TZ = "America/New_York";
    try {
      await store.insertResources([person("p1", 1)], { at: YEAR_ONE, jobInstanceId: null });
      await store.updateResources([{ id: 1, properties: {} }], { at: T1, jobInstanceId: null });
      const [current] = await store.resourcesByIds([1]);
      expect(current!.validFrom).toEqual(T1);
      const [archived] = await store.history(1);
      expect(archived!.validFrom.toISOString()).toBe("0001-01-01T00:00:00.000Z");
      await store.updateResources([{ id: 1, properties: { a: 1 } }], { at: YEAR_ONE, jobInstanceId: null });
      const [reset] = await store.resourcesByIds([1]);
      expect(reset!.validFrom.toISOString()).toBe("0001-01-01T00:00:00.000Z");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe("resource statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const resource: q.NewResource = {
      entityType: "HR_Person", connector: "HR", sourceKey: "00042", hash: "0".repeat(64), validFrom: T0, dirty: false,
      createdByJobInstance: 7, changedByJobInstance: 7, properties: '{"Name":"A"}',
    };
    const change: NewResourceChange = {
      jobInstanceId: 7, connector: "HR", entityType: "HR_Person", sourceKey: "00042", resourceId: 1, operation: "update", state: "pending", before: "{}", after: "{}",
    };
    const linkChange: NewLinkChange = {
      jobInstanceId: 7, connector: "HR", association: "Members", fromEntityType: "HR_Person", fromSourceKey: "00042", toEntityType: "HR_Group",
      toSourceKey: "G1", fromResourceId: 1, toResourceId: null, linkId: null, operation: "insert", state: "pending",
    };
    const sql = [
      statement("Initial: resources in bulk (two rows of a batch)", q.insertResources(m, [resource, { ...resource, sourceKey: "00043" }])),
      statement("Complete diff: a page of keys and hashes, first page", q.selectResourceKeys(m, "HR_Person", undefined, 1000)),
      statement("Complete diff: the next page, after the last key read", q.selectResourceKeys(m, "HR_Person", "00042", 1000)),
      statement("a page of whole resources", q.selectResources(m, "HR_Person", "00042", 1000)),
      statement("resources by id (the before of changed ones)", q.selectResourcesByIds(m, [1, 2])),
      statement("stored properties by id (a new version keeps the computed ones)", q.selectPropertiesByIds(m, [1, 2])),
      statement("source keys by id (the ends of stored links)", q.selectResourcesByIds(m, [1, 2]).select(["r.id", "r.sourceKey"])),
      statement("source keys to ids (links)", q.selectResourceIdsByKeys(m, "HR_Person", ["00042", "00043"])),
      statement("current resources per entity type (thresholds, Initial's empty check)", q.countResources(m, ["HR_Person", "HR_Group"])),
      statement("archive the current versions", q.archiveResources(m, [1, 2], T1, 8)),
      statement("write new versions", q.updateResourceVersions(m, [{ id: 1, properties: "{}", hash: "1".repeat(64), historyId: 11 }, { id: 2, properties: '{"A":"b"}', hash: "2".repeat(64), historyId: 12 }], { validFrom: T1, changedByJobInstance: 8, dirty: true })),
      statement("write new versions without history (IgnoreHistorization)", q.updateResourceVersions(m, [{ id: 1, properties: "{}", hash: "1".repeat(64) }], { validFrom: T1, changedByJobInstance: 8 })),
      statement("where the histories of resources being deleted end", q.recordDeletedResources(m, [{ resourceId: 1, historyId: 11 }, { resourceId: 2, historyId: 12 }])),
      statement("the same, for resources deleted without history", q.recordUnarchivedDeletions(m, [1, 2])),
      statement("delete resources (archived, links ended)", q.deleteResources(m, [1, 2])),
      statement("a resource's history: the chain of its versions' ids", q.selectHistoryChain(m, 1)),
      statement("a resource's history: the versions", q.selectHistoryByIds(m, [11, 12])),
      statement("mark dirty", q.markDirty(m, [1, 2])),
      statement("clear an entity type's dirty marks", q.clearDirty(m, "HR_Person")),
      statement("clear some dirty marks", q.clearDirty(m, "HR_Person", [1])),
      statement("a page of dirty resources", q.selectDirtyResources(m, "HR_Person", 0, 1000)),
      statement("links in bulk", q.insertLinks(m, [{ association: "Members", fromResourceId: 1, toResourceId: 2, validFrom: T0, createdByJobInstance: 7 }])),
      statement("an association's links, first page", q.selectLinks(m, "Members", undefined, 1000)),
      statement("an association's links, after (from, to)", q.selectLinks(m, "Members", { fromResourceId: 1, toResourceId: 2 }, 1000)),
      statement("the links of resources about to be deleted", q.selectLinksOfResources(m, [1, 2])),
      statement("archive links", q.archiveLinks(m, [3], T1, 8)),
      statement("delete links", q.deleteLinks(m, [3])),
      statement("a resource's ended links", q.selectLinkHistory(m, 1)),
      statement("resource changes in bulk", q.insertResourceChanges(m, [change])),
      statement("link changes in bulk", q.insertLinkChanges(m, [linkChange])),
      statement("idm sync changes: a page of a job instance's resource changes", q.selectResourceChanges(m, 7, { connector: "HR", state: "blocked" }, 0, 1000)),
      statement("a page of link changes", q.selectLinkChanges(m, 7, {}, 100, 1000)),
      statement("thresholds: resource changes per entity type and operation", q.countResourceChanges(m, 7, "HR", "pending")),
      statement("thresholds: link changes per association and operation", q.countLinkChanges(m, 7, "HR", "pending")),
      statement("a synchronization's changes blocked", q.setChangesState(m, ENTITY.resourceChange, 7, "HR", "pending", "blocked")),
      statement("a batch of link changes applied", q.setChangeStateByIds(m, ENTITY.resourceLinkChange, [1, 2], "applied")),
      statement("delete a synchronization's changes", q.deleteChanges(m, ENTITY.resourceChange, 7, "HR")),
      statement("a synchronization starts", q.insertSynchronization(m, {
        connector: "HR", taskInstanceId: 11, jobInstanceId: 7, mode: "Complete", state: "InProgress", startedAt: T0, endedAt: null,
        resourcesInserted: 0, resourcesUpdated: 0, resourcesDeleted: 0, linksInserted: 0, linksDeleted: 0, error: null,
      })),
      statement("a synchronization ends", q.updateSynchronization(m, 1, { state: "Succeeded", endedAt: T1, resourcesInserted: 3 })),
      statement("a connector's synchronizations, newest first", q.selectSynchronizations(m, "HR", 20)),
      statement("the synchronization of a task instance", q.selectSynchronizationOfTask(m, 11)),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-resources.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`/);
  });

  it("binds every value with its column's type: datetime2 for dates (a bare Date would go as datetime, from 1753)", async () => {
    const { dataSource } = await offlineMssqlStore();
    const { parameters } = q.archiveResources(dataSource.manager, [1], YEAR_ONE, 8);
    expect(parameters).toMatchObject([{ type: "datetime2", value: YEAR_ONE }, { type: "int", value: 8 }, { type: "int", value: 1 }]);
    const dirty = q.markDirty(dataSource.manager, [1]);
    expect(dirty.parameters).toMatchObject([{ type: "bit" }, { type: "int" }]);
  });
});

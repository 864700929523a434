import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeProperties } from "../../../src/domain/resources/properties.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { ApplySink, ChangeRowSink, type AppliedCounts } from "../../../src/domain/sync/synchronize-diff.js";
import type { EntityTypeModel } from "../../../src/domain/sync/synchronize-model.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";

const off = { lines: 0, percentage: 0 };
const person: EntityTypeModel = {
  identifier: "HR_Person", primaryKey: "EmployeeId", properties: new Map([["id", "EmployeeId"], ["name", "Name"]]), formats: new Map(),
  thresholds: { Inserted: off, Updated: off, Deleted: off },
};

describe.each(BACKENDS)("the sinks of a Complete diff on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  /** 2 full INSERTs and 3 rows through an ApplySink (resources, kept as applied change rows) and a ChangeRowSink; what the connection prepared. */
  async function write(): Promise<{ inserted: number; prepared: string[] }> {
    const counts: AppliedCounts = { inserted: 0, updated: 0, deleted: 0 };
    const prepared = await store.dataSource.transaction(async (m) => {
      const rs = new ResourceStore(m);
      const rows = 2 * rs.insertBatch("resources") + 3;
      const apply = new ApplySink(rs, person, "HR", { at: new Date(), jobInstanceId: 7 }, counts, 7);
      const pending = new ChangeRowSink(rs, { jobInstanceId: 8, connector: "HR", entityType: "HR_Person", state: "pending" });
      for (let i = 0; i < rows; i++) {
        const properties = encodeProperties({ EmployeeId: `E${i}`, Name: `Person ${i}` });
        await apply.change("insert", `E${i}`, null, properties);
        await pending.change("insert", `E${i}`, null, properties);
      }
      await apply.flush();
      await pending.flush();
      return backend.name === "postgres" ? (await m.query<{ statement: string }[]>("SELECT statement FROM pg_prepared_statements ORDER BY statement")).map((p) => /^INSERT INTO "(\w+)"/.exec(p.statement)?.[1] ?? p.statement) : [];
    });
    return { inserted: counts.inserted, prepared };
  }

  it("writes every row", async () => {
    const { inserted } = await write();
    const rs = new ResourceStore(store.dataSource.manager);
    expect(inserted).toBe(2 * rs.insertBatch("resources") + 3);
    expect(await rs.countResources(["HR_Person"])).toEqual(new Map([["HR_Person", inserted]]));
    expect(await rs.countResourceChanges(7, "HR", "applied")).toEqual({ HR_Person: { insert: inserted } });
    expect(await rs.countResourceChanges(8, "HR", "pending")).toEqual({ HR_Person: { insert: inserted } });
  });

  if (backend.name === "postgres") {
    it("buffers a full INSERT before writing, so that every statement but the last is a prepared one", async () => {
      expect((await write()).prepared).toEqual(["idm_resource_changes", "idm_resources"]);
    });
  }
});

// The hand-written multi-row INSERT stores every value exactly: on PostgreSQL the values travel as
// one array per column, whose literal syntax gives quotes, backslashes, braces, commas and the word
// NULL a meaning of their own.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENTITY, type ItemRow } from "../../src/store/entities.js";
import { bulkInsert, insertBatchSize, run } from "../../src/store/statements.js";
import type { Store } from "../../src/store/store.js";
import { awkwardItemRows } from "../helpers/awkward-rows.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

const AWKWARD = ['a"b', "back\\slash", "{braces}", "comma, list", "NULL", "", " spaced ", "line\nfeed", "é😀", "'single'", "a\\\"b"];

describe.each(BACKENDS)("bulkInsert on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  it("stores awkward text, nulls and numbers exactly, in batches of insertBatchSize rows", async () => {
    const m = store.dataSource.manager;
    const rows = awkwardItemRows(insertBatchSize(store.dialect, 10) + 3, AWKWARD);
    const size = insertBatchSize(store.dialect, 10);
    for (let i = 0; i < rows.length; i += size) await run(m, bulkInsert(m, ENTITY.item, rows.slice(i, i + size)));
    const stored = await m.getRepository<ItemRow>(ENTITY.item).find({ order: { id: "ASC" } });
    expect(stored.map(({ id: _, ...row }) => row)).toEqual(rows);
  });
});

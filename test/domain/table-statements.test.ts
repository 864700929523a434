// insertAll writes rows by the database's fastest path: COPY on PostgreSQL inside a transaction,
// multi-row INSERTs elsewhere. Either way every value comes back exactly, and a row that cannot be
// written loses the others' too (inside the transaction) and leaves the store usable.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertAll } from "../../src/domain/table-statements.js";
import { ENTITY, type ItemRow } from "../../src/store/entities.js";
import { batchSize } from "../../src/store/statements.js";
import type { Store } from "../../src/store/store.js";
import { awkwardItemRows } from "../helpers/awkward-rows.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";

const AWKWARD = ["\\N", "tab\there", "line\nfeed", "carriage\rreturn", "back\\slash", "\\.", "", " ", "NULL", "é😀", '{"a":"\\"q\\""}', "comma, list", "'single'"];
const awkwardRows = (count: number) => awkwardItemRows(count, AWKWARD);
/** Bound parameters per row of an INSERT. */
const WIDTH = Object.keys(awkwardRows(1)[0]!).length;

describe.each(BACKENDS)("insertAll on %s", (name, backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });
  afterEach(async () => {
    await db.drop();
  });

  const stored = async () => (await store.dataSource.manager.getRepository<ItemRow>(ENTITY.item).find({ order: { id: "ASC" } })).map(({ id: _, ...row }) => row);

  it("stores awkward text, nulls and numbers exactly, more rows than one INSERT holds, in a transaction and outside one", async () => {
    const rows = awkwardRows(batchSize(store.dialect, WIDTH) + 3);
    let batches = 0;
    await store.dataSource.transaction((m) => insertAll(m, ENTITY.item, rows, () => void batches++));
    expect(await stored()).toEqual(rows);
    // PostgreSQL copies every row in one COPY; the others write a statement per parameter limit.
    expect(batches).toBe(name === "postgres" ? 1 : 2);
    const more = rows.map((row) => ({ ...row, kind: "Other" }));
    await insertAll(store.dataSource.manager, ENTITY.item, more);
    expect(await stored()).toEqual([...rows, ...more]);
  });

  it("writes nothing for no rows", async () => {
    await store.dataSource.transaction((m) => insertAll(m, ENTITY.item, []));
    expect(await stored()).toEqual([]);
  });

  it("keeps none of the rows when one breaks a unique key, and the store goes on", async () => {
    const rows = awkwardRows(50);
    rows.push({ ...rows[7]! });
    const error = await store.dataSource.transaction((m) => insertAll(m, ENTITY.item, rows)).catch((e: unknown) => e);
    expect(String(error)).toMatch(/duplicate key|UNIQUE constraint failed/);
    expect(await stored()).toEqual([]);
    await store.dataSource.transaction((m) => insertAll(m, ENTITY.item, rows.slice(0, 50)));
    expect(await stored()).toHaveLength(50);
  });

  if (name === "postgres") {
    it("ends the COPY on a value it cannot write, keeps none of the rows, and the connection goes on", async () => {
      const rows: object[] = awkwardRows(1200);
      rows[1100] = { ...rows[1100], attributes: { not: "text" } };
      const error = await store.dataSource.transaction((m) => insertAll(m, ENTITY.item, rows)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe("a object cannot be copied into a column");
      expect(await stored()).toEqual([]);
      // The pool's connections all answer: the one that carried the COPY is not left mid-protocol.
      const answers = await Promise.all(Array.from({ length: 12 }, () => store.dataSource.query("SELECT 1 AS one")));
      expect(answers.flat()).toEqual(Array.from({ length: 12 }, () => ({ one: 1 })));
    });

    it("fails, without waiting, when the server ends the connection before the COPY", async () => {
      const error = await store.dataSource.transaction(async (m) => {
        const [{ pid }] = (await m.query("SELECT pg_backend_pid() AS pid")) as [{ pid: number }];
        await store.dataSource.query("SELECT pg_terminate_backend($1)", [pid]);
        await insertAll(m, ENTITY.item, awkwardRows(100));
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(await stored()).toEqual([]);
    });
  }
});

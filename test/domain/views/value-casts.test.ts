/**
 * The typed columns' casts on real databases: the same text gives the same value on SQLite and
 * PostgreSQL, and a text that does not convert gives NULL instead of an error or a made-up value.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../../src/store/store.js";
import { DIALECT_SQL, type ValueKind } from "../../../src/domain/views/dialect-sql.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";

/** value → [DateTime, Int32, Int64, Double, Bool] */
const CASES: [unknown, string | null, number | null, string | null, number | null, boolean | null][] = [
  ["2024-01-31", "2024-01-31T00:00:00.000Z", null, null, null, null],
  ["2024-01-31T10:00:00+02:00", "2024-01-31T08:00:00.000Z", null, null, null, null],
  ["2024-01-31 10:00", "2024-01-31T10:00:00.000Z", null, null, null, null],
  ["2024-02-29T10:00:00.000Z", "2024-02-29T10:00:00.000Z", null, null, null, null],
  ["2023-02-29", null, null, null, null, null],
  ["2024-13-01", null, null, null, null, null],
  ["0000-01-01", null, null, null, null, null],
  [" 42 ", null, 42, "42", 42, null],
  [42, null, 42, "42", 42, null],
  ["-5", null, -5, "-5", -5, null],
  ["99999999999", null, null, "99999999999", 99999999999, null],
  ["9007199254740993", null, null, "9007199254740993", 9007199254740992, null],
  ["42.5", null, null, null, 42.5, null],
  [42.5, null, null, null, 42.5, null],
  ["1e3", null, null, null, 1000, null],
  ["1e400", null, null, null, null, null],
  ["+7", null, null, null, null, null],
  ["007", null, null, null, null, null],
  ["--5", null, null, null, null, null],
  ["abc", null, null, null, null, null],
  [true, null, null, null, null, true],
  ["FALSE", null, null, null, null, false],
  ["1", null, 1, "1", 1, true],
  [0, null, 0, "0", 0, false],
  ["maybe", null, null, null, null, null],
];

const KINDS: ValueKind[] = ["datetime", "int32", "int64", "double", "bool"];

describe.each(BACKENDS)("view column casts on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
  });

  afterEach(async () => {
    await db.drop();
  });

  it.each(CASES.map((c) => [JSON.stringify(c[0]), ...c] as const))("reads %s", async (_name, value, ...expected) => {
    const json = JSON.stringify({ X: value }).replaceAll("'", "''");
    const properties = store.dialect === "postgres" ? `CAST('${json}' AS text)` : `'${json}'`;
    const scalars = KINDS.map((kind) => ({ name: "X", kind, key: false }));
    const { expressions } = DIALECT_SQL[store.dialect].columns(properties, scalars, (s) => store.dataSource.driver.escape(s));
    // Int64 as text: better-sqlite3 reads integers as doubles, pg reads bigint as a string.
    const select = expressions.map((e, i) => (KINDS[i] === "int64" ? `CAST(${e} AS TEXT)` : e) + ` AS c${i}`).join(", ");
    const [row] = (await store.dataSource.query(`SELECT ${select}`)) as Record<string, unknown>[];
    const date = row!.c0 instanceof Date ? row!.c0.toISOString() : row!.c0;
    const bool = row!.c4 === null || typeof row!.c4 === "boolean" ? row!.c4 : row!.c4 === 1;
    expect([date, row!.c1, row!.c2, row!.c3, bool]).toEqual(expected);
  });
});

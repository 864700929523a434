/**
 * SQLite: json_extract / json_type per column (SQLite caches the parsed JSON of a row across
 * calls). SQLite has no TRY_CAST and CAST never fails (it reads "2024-01-31" as 2024 and "abc" as
 * 0), so each cast is guarded: a JSON number must have the right JSON type; a text value must itself
 * be a JSON number (json_valid + json_type: the same grammar as the PostgreSQL views' patterns), a
 * boolean word, or a date of the right shape whose day exists. Anything else reads NULL, as SQL
 * Server's TRY_CONVERT does. DateTime is ISO 8601 UTC text (`2024-01-31T00:00:00.000Z`, also what
 * "2024-01-31" gives), so that text comparisons order dates; values with an offset are converted.
 */
import type { DialectSql, ValueKind } from "../dialect-sql.js";
import { jsonPath, stringLiteral } from "../sql-text.js";
import { INDEX_PREFIX, RESOURCES } from "../store-tables.js";
import { dropQualifiedIndex, expressionIndex } from "./expression-index.js";

const ISO = "'%Y-%m-%dT%H:%M:%fZ'";
const INT32 = ["-2147483648", "2147483647"] as const;
/** Beyond it CAST gives Inf, which the other databases cannot hold. */
const MAX_DOUBLE = "1.7976931348623157e308";
const DATE_SHAPE = "'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]*'";

/** A text value that is a JSON number of this JSON type ('integer' or 'real'). */
function jsonNumber(text: string, types: string): string {
  return `json_valid(${text}) AND json_type(${text}) IN (${types})`;
}

function integer(value: string, type: string, text: string, range?: readonly [string, string]): string {
  const inRange = (x: string) => (range === undefined ? "" : ` AND ${x} BETWEEN ${range[0]} AND ${range[1]}`);
  return `CASE ${type} WHEN 'integer' THEN CASE WHEN 1${inRange(value)} THEN ${value} END ` +
    `WHEN 'text' THEN CASE WHEN ${jsonNumber(text, "'integer'")}${inRange(`CAST(${text} AS INTEGER)`)} THEN CAST(${text} AS INTEGER) END END`;
}

function typed(kind: ValueKind, value: string, type: string): string {
  const t = `trim(${value})`;
  switch (kind) {
    case "text":
    case "guid":
      return value;
    case "int32":
      return integer(value, type, t, INT32);
    case "int64":
      return integer(value, type, t);
    case "double":
      return `CASE ${type} WHEN 'integer' THEN CAST(${value} AS REAL) WHEN 'real' THEN ${value} ` +
        `WHEN 'text' THEN CASE WHEN ${jsonNumber(t, "'integer', 'real'")} AND abs(CAST(${t} AS REAL)) <= ${MAX_DOUBLE} THEN CAST(${t} AS REAL) END END`;
    case "bool":
      return `CASE ${type} WHEN 'true' THEN 1 WHEN 'false' THEN 0 WHEN 'integer' THEN CASE ${value} WHEN 1 THEN 1 WHEN 0 THEN 0 END ` +
        `WHEN 'text' THEN CASE lower(${t}) WHEN 'true' THEN 1 WHEN '1' THEN 1 WHEN 'false' THEN 0 WHEN '0' THEN 0 END END`;
    case "datetime":
      // date() rolls 2023-02-29 over to 2023-03-01: a date that does not come back unchanged does not exist.
      return `CASE WHEN ${type} = 'text' AND ${t} GLOB ${DATE_SHAPE} AND substr(${t}, 1, 4) <> '0000' AND date(substr(${t}, 1, 10)) = substr(${t}, 1, 10) ` +
        `THEN strftime(${ISO}, ${t}) END`;
  }
}

export const sqliteSql: DialectSql = {
  keyText: (properties, property) => `json_extract(${properties}, ${stringLiteral("sqlite", jsonPath(property))})`,
  columns(properties, scalars) {
    const expressions = scalars.map((s) => {
      const path = stringLiteral("sqlite", jsonPath(s.name));
      return typed(s.kind, `json_extract(${properties}, ${path})`, `json_type(${properties}, ${path})`);
    });
    return { expressions, apply: "" };
  },
  timestamp: (column) => `strftime(${ISO}, ${column})`,
  nullTimestamp: "NULL",

  storeSchema: undefined,
  zzViews: () => ({ sql: "SELECT name FROM sqlite_master WHERE type = 'view' AND substr(name, 1, 3) = 'zz_' ORDER BY name", parameters: [] }),
  keyIndexes: () => ({
    sql: `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${RESOURCES}' AND substr(name, 1, 4) = '${INDEX_PREFIX}' ORDER BY name`,
    parameters: [],
  }),
  createKeyIndex: expressionIndex,
  dropIndex: dropQualifiedIndex,
  // One view per statement: SQLite's DROP VIEW takes one name.
  dropViews: (names) => names.map((name) => `DROP VIEW ${name}`),
};

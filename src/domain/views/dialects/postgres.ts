/**
 * PostgreSQL: `(properties::jsonb ->> 'X')`, the text of the member (numbers and booleans as their
 * JSON text), then a cast. A failing cast would make the whole view unreadable, and PostgreSQL 15
 * has no pg_input_is_valid, so each cast is guarded by a CASE whose condition (a regular expression,
 * then a range) is evaluated first: values that are not a number (JSON's grammar, as on SQLite:
 * no "+7", no "007"), boolean, date or uuid read NULL, as SQL Server's TRY_CONVERT does. DateTime is timestamptz; a value without an offset
 * ("2024-01-31", as CSV files give them) is read as UTC, like the store's own ISO 8601 text.
 */
import type { DialectSql, ValueKind } from "../dialect-sql.js";
import { stringLiteral } from "../sql-text.js";
import { INDEX_PREFIX, RESOURCES } from "../store-tables.js";
import { dropQualifiedIndex, expressionIndex } from "./expression-index.js";

const INTEGER = String.raw`'^\s*-?(0|[1-9][0-9]*)\s*$'`;
const DECIMAL = String.raw`'^\s*-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?\s*$'`;
const GUID = String.raw`'^\s*\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?\s*$'`;
/** ISO 8601 date, optional time and offset, with month, day, hour, minute and second in range (year 0001 up). */
const DATE_TIME = String.raw`'^\s*(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])` +
  String.raw`([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?\s*$'`;
const WITH_OFFSET = String.raw`'(Z|[+-][0-9]{2}(:?[0-9]{2})?)\s*$'`;

function integer(value: string, type: string, min: string, max: string): string {
  return `CASE WHEN ${value} ~ ${INTEGER} THEN CASE WHEN ${value}::numeric BETWEEN ${min} AND ${max} THEN ${value}::numeric::${type} END END`;
}

/** Days 29 to 31 exist only in some months: checked against the month's last day before the cast. */
function dateTime(value: string): string {
  const t = `btrim(${value})`;
  const day = `substr(${t}, 9, 2)::int`;
  const lastDay = `extract(day from make_date(substr(${t}, 1, 4)::int, substr(${t}, 6, 2)::int, 1) + interval '1 month - 1 day')`;
  const cast = `CASE WHEN length(${t}) > 10 AND ${t} ~ ${WITH_OFFSET} THEN ${t}::timestamptz ELSE ${t}::timestamp AT TIME ZONE 'UTC' END`;
  return `CASE WHEN ${value} ~ ${DATE_TIME} THEN CASE WHEN ${day} <= 28 OR ${day} <= ${lastDay} THEN ${cast} END END`;
}

function typed(kind: ValueKind, value: string): string {
  switch (kind) {
    case "text":
      return value;
    case "int32":
      return integer(value, "integer", "-2147483648", "2147483647");
    case "int64":
      return integer(value, "bigint", "-9223372036854775808", "9223372036854775807");
    case "double":
      // float8 refuses what numeric accepts beyond its range (1e400, 1e-400): those read NULL.
      return `CASE WHEN ${value} ~ ${DECIMAL} THEN CASE WHEN ${value}::numeric = 0 OR abs(${value}::numeric) BETWEEN 1e-307 AND 1e308 THEN ${value}::numeric::double precision END END`;
    case "bool":
      return `CASE lower(btrim(${value})) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false WHEN '0' THEN false END`;
    case "datetime":
      return dateTime(value);
    case "guid":
      return `CASE WHEN ${value} ~ ${GUID} THEN btrim(${value})::uuid END`;
  }
}

export const postgresSql: DialectSql = {
  keyText: (properties, property) => `(${properties}::jsonb ->> ${stringLiteral("postgres", property)})`,
  columns(properties, scalars) {
    return { expressions: scalars.map((s) => typed(s.kind, postgresSql.keyText(properties, s.name))), apply: "" };
  },
  timestamp: (column) => column,
  nullTimestamp: "CAST(NULL AS timestamptz)",

  // search_path decides where idm_resources resolves.
  storeSchema: {
    sql: `SELECT n.nspname AS schema_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass('${RESOURCES}')`,
    parameters: [],
  },
  zzViews: (schema) => ({ sql: "SELECT viewname AS name FROM pg_views WHERE schemaname = $1 AND left(viewname, 3) = 'zz_' ORDER BY viewname", parameters: [schema] }),
  keyIndexes: (schema) => ({
    sql: `SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = '${RESOURCES}' AND left(indexname, 4) = '${INDEX_PREFIX}' ORDER BY indexname`,
    parameters: [schema],
  }),
  createKeyIndex: expressionIndex,
  dropIndex: dropQualifiedIndex,
  dropViews: (names) => [`DROP VIEW ${names.join(", ")}`],
};

/**
 * SQL Server: the properties of a row are read by one OPENJSON per row (OUTER APPLY … WITH, every
 * member as nvarchar(max): JSON_VALUE returns NULL past 4,000 characters), then TRY_CONVERT (NULL
 * for a value that does not convert). A text key property is read instead with
 * `CAST(JSON_VALUE(properties, N'$."X"') AS nvarchar(443))`, the exact definition of the computed
 * column ManageConfigurationIndexesTask indexes: the optimizer matches the view's expression to the
 * indexed column (443 characters: the product's longest indexed value). DateTime is datetime2 in UTC
 * (through datetimeoffset, which reads "2024-01-31", "…Z" and "…+02:00" alike); OPENJSON needs
 * database compatibility level 130 (SQL Server 2016) or above.
 */
import type { DialectSql, ScalarColumn, ValueKind } from "../dialect-sql.js";
import { jsonPath, stringLiteral, type Quote } from "../sql-text.js";

/** The longest value an index on the key column holds. */
export const MSSQL_KEY_LENGTH = 443;

const CONVERT: Record<Exclude<ValueKind, "text" | "bool" | "datetime">, string> = {
  int32: "int", int64: "bigint", double: "float", guid: "uniqueidentifier",
};

function typed(kind: ValueKind, value: string): string {
  switch (kind) {
    case "text":
      return value;
    case "bool":
      return `CASE LOWER(LTRIM(RTRIM(${value}))) WHEN N'true' THEN CAST(1 AS bit) WHEN N'1' THEN CAST(1 AS bit) ` +
        `WHEN N'false' THEN CAST(0 AS bit) WHEN N'0' THEN CAST(0 AS bit) END`;
    case "datetime":
      return `CAST(SWITCHOFFSET(TRY_CONVERT(datetimeoffset(7), LTRIM(RTRIM(${value}))), '+00:00') AS datetime2(7))`;
    default:
      return `TRY_CONVERT(${CONVERT[kind]}, ${value})`;
  }
}

const JSON_ALIAS = "j";

function readsKeyText(s: ScalarColumn): boolean {
  return s.key && s.kind === "text";
}

export const mssqlSql: DialectSql = {
  keyText: (properties, property) => `CAST(JSON_VALUE(${properties}, ${stringLiteral("mssql", jsonPath(property))}) AS nvarchar(${MSSQL_KEY_LENGTH}))`,
  columns(properties, scalars, quote: Quote) {
    const members = scalars.filter((s) => !readsKeyText(s));
    const expressions = scalars.map((s) =>
      readsKeyText(s) ? mssqlSql.keyText(properties, s.name) : typed(s.kind, `${JSON_ALIAS}.${quote(s.name)}`));
    const schema = members.map((s) => `${quote(s.name)} nvarchar(max) ${stringLiteral("mssql", jsonPath(s.name))}`).join(", ");
    const apply = members.length === 0 ? "" : `OUTER APPLY OPENJSON(${properties}) WITH (${schema}) AS ${JSON_ALIAS}`;
    return { expressions, apply };
  },
  timestamp: (column) => column,
  nullTimestamp: "CAST(NULL AS datetime2(7))",
};

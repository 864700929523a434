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
import type { Statement } from "../../../store/statements.js";
import type { DialectSql, ScalarColumn, ValueKind } from "../dialect-sql.js";
import { jsonPath, stringLiteral, type Quote } from "../sql-text.js";
import { INDEX_PREFIX, RESOURCES } from "../store-tables.js";

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

/** The computed columns named IXC_… on idm_resources (the values the key indexes are built on). */
export function mssqlKeyColumns(schema: string | undefined): Statement {
  return {
    sql: `SELECT c.name AS name FROM sys.computed_columns AS c WHERE c.object_id = OBJECT_ID(QUOTENAME(@0) + N'.${RESOURCES}') ` +
      `AND LEFT(c.name, 4) COLLATE Latin1_General_BIN2 = N'${INDEX_PREFIX}' ORDER BY c.name`,
    parameters: [schema],
  };
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

  // The user's default schema, then dbo.
  storeSchema: { sql: `SELECT OBJECT_SCHEMA_NAME(OBJECT_ID(N'${RESOURCES}')) AS schema_name`, parameters: [] },
  zzViews: (schema) => ({
    sql: "SELECT v.name AS name FROM sys.views AS v WHERE v.schema_id = SCHEMA_ID(@0) AND LEFT(v.name, 3) COLLATE Latin1_General_BIN2 = N'zz_' ORDER BY v.name",
    parameters: [schema],
  }),
  keyIndexes: (schema) => ({
    sql: `SELECT i.name AS name FROM sys.indexes AS i WHERE i.object_id = OBJECT_ID(QUOTENAME(@0) + N'.${RESOURCES}') ` +
      `AND LEFT(i.name, 4) COLLATE Latin1_General_BIN2 = N'${INDEX_PREFIX}' ORDER BY i.name`,
    parameters: [schema],
  }),
  // SQL Server indexes expressions through a computed column (deterministic, so not persisted).
  createKeyIndex(index, on) {
    const q = on.target.quote;
    const create = { kind: "create-index" as const, name: index.name, sql: `CREATE INDEX ${q(index.name)} ON ${on.table} (${q(index.name)}) ${on.where}` };
    if (on.columnExists) return [create];
    return [{ kind: "create-column", name: index.name, sql: `ALTER TABLE ${on.table} ADD ${q(index.name)} AS ${on.expression}` }, create];
  },
  dropIndex: (name, on) => `DROP INDEX ${on.target.quote(name)} ON ${on.table}`,
  dropViews: (names) => [`DROP VIEW ${names.join(", ")}`],
};

/**
 * Catalog reads: the schema that holds the store, its zz_ views, and the key indexes (and, on SQL
 * Server, their computed columns) on idm_resources. Names are compared case-sensitively: `ZZ_x` or
 * `ixc_y` are someone else's objects.
 */
import type { Dialect } from "../../store/database-url.js";
import type { Statement } from "../../store/statements.js";
import { RESOURCES } from "./store-tables.js";

/** Prefix of the key indexes and of SQL Server's computed columns behind them. */
export const INDEX_PREFIX = "IXC_";

/**
 * The schema idm_resources resolves to from this connection (the store's: search_path on
 * PostgreSQL, the user's default schema then dbo on SQL Server). SQLite has none.
 */
export function storeSchema(dialect: Exclude<Dialect, "sqlite">): Statement {
  return dialect === "postgres"
    ? { sql: `SELECT n.nspname AS schema_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass('${RESOURCES}')`, parameters: [] }
    : { sql: `SELECT OBJECT_SCHEMA_NAME(OBJECT_ID(N'${RESOURCES}')) AS schema_name`, parameters: [] };
}

/** The views named zz_… of the schema. */
export function zzViews(dialect: Dialect, schema: string | undefined): Statement {
  switch (dialect) {
    case "sqlite":
      return { sql: "SELECT name FROM sqlite_master WHERE type = 'view' AND substr(name, 1, 3) = 'zz_' ORDER BY name", parameters: [] };
    case "postgres":
      return { sql: "SELECT viewname AS name FROM pg_views WHERE schemaname = $1 AND left(viewname, 3) = 'zz_' ORDER BY viewname", parameters: [schema] };
    case "mssql":
      return {
        sql: "SELECT v.name AS name FROM sys.views AS v WHERE v.schema_id = SCHEMA_ID(@0) AND LEFT(v.name, 3) COLLATE Latin1_General_BIN2 = N'zz_' ORDER BY v.name",
        parameters: [schema],
      };
  }
}

/** The indexes named IXC_… on idm_resources. */
export function keyIndexes(dialect: Dialect, schema: string | undefined): Statement {
  switch (dialect) {
    case "sqlite":
      return { sql: `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${RESOURCES}' AND substr(name, 1, 4) = '${INDEX_PREFIX}' ORDER BY name`, parameters: [] };
    case "postgres":
      return {
        sql: `SELECT indexname AS name FROM pg_indexes WHERE schemaname = $1 AND tablename = '${RESOURCES}' AND left(indexname, 4) = '${INDEX_PREFIX}' ORDER BY indexname`,
        parameters: [schema],
      };
    case "mssql":
      return {
        sql: `SELECT i.name AS name FROM sys.indexes AS i WHERE i.object_id = OBJECT_ID(QUOTENAME(@0) + N'.${RESOURCES}') ` +
          `AND LEFT(i.name, 4) COLLATE Latin1_General_BIN2 = N'${INDEX_PREFIX}' ORDER BY i.name`,
        parameters: [schema],
      };
  }
}

/** SQL Server: the computed columns named IXC_… on idm_resources (the values the key indexes are built on). */
export function keyColumns(schema: string | undefined): Statement {
  return {
    sql: `SELECT c.name AS name FROM sys.computed_columns AS c WHERE c.object_id = OBJECT_ID(QUOTENAME(@0) + N'.${RESOURCES}') ` +
      `AND LEFT(c.name, 4) COLLATE Latin1_General_BIN2 = N'${INDEX_PREFIX}' ORDER BY c.name`,
    parameters: [schema],
  };
}

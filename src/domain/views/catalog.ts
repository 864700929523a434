/**
 * Catalog reads: the schema that holds the store, its zz_ views, and the key indexes (and, on SQL
 * Server, their computed columns) on idm_resources. Names are compared case-sensitively: `ZZ_x` or
 * `ixc_y` are someone else's objects.
 */
import type { Dialect } from "../../store/database-url.js";
import type { Statement } from "../../store/statements.js";
import { DIALECT_SQL } from "./dialect-sql.js";
import { mssqlKeyColumns } from "./dialects/mssql.js";

export { INDEX_PREFIX } from "./store-tables.js";

/**
 * The schema idm_resources resolves to from this connection (the store's: search_path on
 * PostgreSQL, the user's default schema then dbo on SQL Server). SQLite has none.
 */
export function storeSchema(dialect: Exclude<Dialect, "sqlite">): Statement {
  return DIALECT_SQL[dialect].storeSchema!;
}

/** The views named zz_… of the schema. */
export function zzViews(dialect: Dialect, schema: string | undefined): Statement {
  return DIALECT_SQL[dialect].zzViews(schema);
}

/** The indexes named IXC_… on idm_resources. */
export function keyIndexes(dialect: Dialect, schema: string | undefined): Statement {
  return DIALECT_SQL[dialect].keyIndexes(schema);
}

/** SQL Server: the computed columns named IXC_… on idm_resources (the values the key indexes are built on). */
export function keyColumns(schema: string | undefined): Statement {
  return mssqlKeyColumns(schema);
}

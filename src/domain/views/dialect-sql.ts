/**
 * What differs per database in the zz_ views and the key indexes: how a property is read out of the
 * `properties` JSON text, typed, and how the timestamps are shown. The three implementations are in
 * dialects/; everything else (names, columns, navigations, statements) is shared.
 */
import type { PropertyType } from "../resources/entity-model.js";
import type { Dialect } from "../../store/database-url.js";
import { mssqlSql } from "./dialects/mssql.js";
import { postgresSql } from "./dialects/postgres.js";
import { sqliteSql } from "./dialects/sqlite.js";
import type { Quote } from "./sql-text.js";

/** A property's value kind in SQL: the reference's types grouped by the column they get. */
export type ValueKind = "text" | "int32" | "int64" | "double" | "bool" | "datetime" | "guid";

/** Int16 and Byte are widened to int (no tinyint/smallint: a CSV value out of their range would be lost silently). */
export const VALUE_KIND: Record<Exclude<PropertyType, "ForeignKey">, ValueKind> = {
  String: "text", Bytes: "text", Binary: "text", Int32: "int32", Int16: "int32", Byte: "int32", Int64: "int64",
  Double: "double", Bool: "bool", DateTime: "datetime", Guid: "guid",
};

/** A scalar property as a view column. `key`: its column is the key index's projection (text keys only). */
export interface ScalarColumn {
  name: string;
  kind: ValueKind;
  key: boolean;
}

export interface DialectSql {
  /**
   * The property's stored value as text, over a reference to the properties column: the expression
   * the key indexes are built on, and the column of a text key in the views (the same text, so the
   * optimizer matches them).
   */
  keyText(properties: string, property: string): string;
  /** The typed column expressions in order, and what the FROM clause needs to compute them (SQL Server's OPENJSON). */
  columns(properties: string, scalars: readonly ScalarColumn[], quote: Quote): { expressions: string[]; apply: string };
  /** A timestamp column of the store, shown the way DateTime properties are. */
  timestamp(column: string): string;
  /** ValidTo of a current version: NULL, typed like ValidFrom. */
  nullTimestamp: string;
}

export const DIALECT_SQL: Record<Dialect, DialectSql> = { sqlite: sqliteSql, postgres: postgresSql, mssql: mssqlSql };

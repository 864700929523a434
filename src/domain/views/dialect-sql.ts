/**
 * What differs per database in the zz_ views and the key indexes: how a property is read out of the
 * `properties` JSON text, typed, and how the timestamps are shown; how the catalog lists the views
 * and indexes; how a key index is created and views and indexes dropped. The three implementations
 * are in dialects/; everything else (names, columns, navigations, planning) is shared. Names and
 * literals come quoted by the store's DialectProfile (sql-text.ts).
 */
import type { PropertyType } from "../resources/entity-model.js";
import type { Dialect } from "../../store/database-url.js";
import type { Statement } from "../../store/statements.js";
import type { KeyAction, KeyIndex } from "./key-index-plan.js";
import { mssqlSql } from "./dialects/mssql.js";
import { postgresSql } from "./dialects/postgres.js";
import { sqliteSql } from "./dialects/sqlite.js";
import type { Quote } from "./sql-text.js";
import type { SqlTarget } from "./store-tables.js";

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

  /** The schema idm_resources resolves to from this connection; undefined where there are no schemas (SQLite). */
  storeSchema: Statement | undefined;
  /** The views named zz_… of the schema. */
  zzViews(schema: string | undefined): Statement;
  /** The indexes named IXC_… on idm_resources. */
  keyIndexes(schema: string | undefined): Statement;
  /** The statements that create a key index on `expression` (keyText), for the rows `where` selects. */
  createKeyIndex(index: KeyIndex, on: KeyIndexTarget): KeyAction[];
  dropIndex(name: string, on: Pick<KeyIndexTarget, "table" | "target">): string;
  /** DROP VIEW of the qualified names: as few statements as the database allows (views built on each other drop together). */
  dropViews(qualifiedNames: readonly string[]): string[];
}

/** Where a key index goes: the store's quoting and schema, idm_resources qualified, and the index's expression and filter. */
export interface KeyIndexTarget {
  target: SqlTarget;
  table: string;
  expression: string;
  where: string;
  /** SQL Server: the computed column of that name exists already. */
  columnExists: boolean;
}

export const DIALECT_SQL: Record<Dialect, DialectSql> = { sqlite: sqliteSql, postgres: postgresSql, mssql: mssqlSql };


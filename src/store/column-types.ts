/**
 * Column types per dialect, shared by the entities and the migrations so that both say the same
 * thing: SQL Server has no `text`/`boolean` worth using (nvarchar(max), bit) and wants datetime2;
 * PostgreSQL gets timestamptz (never `timestamp`, which drops the offset); SQLite takes the names
 * TypeORM's sqlite driver maps back to Date and boolean.
 */
import type { ColumnType } from "typeorm";
import type { Dialect } from "./database-url.js";

export interface ColumnSpec {
  type: Extract<ColumnType, string>;
  length?: string;
  collation?: string;
}

export interface ColumnTypes {
  int: ColumnSpec;
  /** Unicode text of at most `length` characters. */
  string(length: number): ColumnSpec;
  /** Case- and accent-sensitive Unicode text, compared exactly: names that must stay distinct when only their case differs. */
  identifier(length: number): ColumnSpec;
  /** ASCII text such as hexadecimal hashes. */
  ascii(length: number): ColumnSpec;
  /** Unbounded Unicode text (JSON documents, messages). */
  text: ColumnSpec;
  timestamp: ColumnSpec;
  boolean: ColumnSpec;
}

/**
 * SQL Server's default collation is case-insensitive: without a binary collation the unique index
 * on (kind, identifier) would refuse "Job" next to "job", which the product treats as distinct.
 */
const MSSQL_EXACT = "Latin1_General_100_BIN2";

/** PostgreSQL's types; SQLite takes them too, with its own timestamp. */
const PORTABLE: ColumnTypes = {
  int: { type: "integer" },
  string: (length) => ({ type: "varchar", length: String(length) }),
  identifier: (length) => ({ type: "varchar", length: String(length) }),
  ascii: (length) => ({ type: "varchar", length: String(length) }),
  text: { type: "text" },
  timestamp: { type: "timestamptz" },
  boolean: { type: "boolean" },
};

export function columnTypes(dialect: Dialect): ColumnTypes {
  switch (dialect) {
    case "mssql":
      return {
        int: { type: "int" },
        string: (length) => ({ type: "nvarchar", length: String(length) }),
        identifier: (length) => ({ type: "nvarchar", length: String(length), collation: MSSQL_EXACT }),
        ascii: (length) => ({ type: "varchar", length: String(length) }),
        text: { type: "nvarchar", length: "MAX" },
        timestamp: { type: "datetime2" },
        boolean: { type: "bit" },
      };
    case "postgres":
      return PORTABLE;
    case "sqlite":
      return { ...PORTABLE, timestamp: { type: "datetime" } };
  }
}

/** The dialect of a TypeORM driver type ("better-sqlite3" → "sqlite"). */
export function dialectOfDriver(type: string): Dialect {
  if (type === "better-sqlite3" || type === "sqlite") return "sqlite";
  if (type === "postgres" || type === "mssql") return type;
  throw new Error(`unsupported TypeORM driver ${type}`);
}

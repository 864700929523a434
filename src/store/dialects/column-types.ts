/**
 * The column types a profile gives the entities and the migrations, so that both say the same thing
 * (each profile says why its types are what they are).
 */
import type { ColumnType } from "typeorm";

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
  /** An identifier that is also ordered by code point (source keys: the order synchronisation merges in). */
  sortedIdentifier(length: number): ColumnSpec;
  /** ASCII text such as hexadecimal hashes. */
  ascii(length: number): ColumnSpec;
  /** Unbounded Unicode text (JSON documents, messages). */
  text: ColumnSpec;
  timestamp: ColumnSpec;
  boolean: ColumnSpec;
}

/** PostgreSQL's types; SQLite takes them too, with its own timestamp. */
export const PORTABLE_COLUMNS: ColumnTypes = {
  int: { type: "integer" },
  string: (length) => ({ type: "varchar", length: String(length) }),
  identifier: (length) => ({ type: "varchar", length: String(length) }),
  sortedIdentifier: (length) => ({ type: "varchar", length: String(length) }),
  ascii: (length) => ({ type: "varchar", length: String(length) }),
  text: { type: "text" },
  timestamp: { type: "timestamptz" },
  boolean: { type: "boolean" },
};

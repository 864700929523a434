/**
 * Names and literals taken from the configuration, made safe for DDL. DDL cannot take bound
 * parameters, so every entity type, association and property name that reaches a statement goes
 * through here: identifiers are checked against the dialect's length limit and always quoted with
 * the driver's escape; string literals double their single quotes; JSON path members are written
 * quoted (`$."Select"`) so that a property named like a keyword, or with any other character, is
 * one member name.
 */
import type { Dialect } from "../../store/database-url.js";

export type Quote = (identifier: string) => string;

/**
 * Longest identifier per dialect: SQL Server's sysname is 128 characters; PostgreSQL truncates
 * past NAMEDATALEN - 1 = 63 *bytes* (silently: two long names would become one), SQLite has no limit.
 */
export const MAX_IDENTIFIER: Record<Dialect, { length: number; unit: "characters" | "bytes" } | undefined> = {
  mssql: { length: 128, unit: "characters" },
  postgres: { length: 63, unit: "bytes" },
  sqlite: undefined,
};

export function identifierLength(dialect: Dialect, name: string): number {
  return MAX_IDENTIFIER[dialect]?.unit === "bytes" ? Buffer.byteLength(name, "utf8") : [...name].length;
}

/** Why `name` cannot be a database identifier of this dialect, or undefined when it can. */
export function identifierProblem(dialect: Dialect, name: string): string | undefined {
  if (name.length === 0) return "an empty name";
  if (/\u0000/.test(name)) return "a name with a NUL character";
  const limit = MAX_IDENTIFIER[dialect];
  if (limit !== undefined && identifierLength(dialect, name) > limit.length) {
    return `${identifierLength(dialect, name)} ${limit.unit} long; ${dialect === "mssql" ? "SQL Server" : "PostgreSQL"} names hold at most ${limit.length}`;
  }
  return undefined;
}

/** A string literal: N'…' on SQL Server (the names are Unicode), '…' elsewhere; quotes doubled. */
export function stringLiteral(dialect: Dialect, value: string): string {
  const body = value.replaceAll("'", "''");
  return dialect === "mssql" ? `N'${body}'` : `'${body}'`;
}

/**
 * Why a property name cannot be a JSON path member, or undefined. SQLite and SQL Server read
 * `$."name"` up to the next double quote and have no escape for one inside; backslashes and control
 * characters are refused for the same reason (the configuration's identifiers never have them).
 */
export function jsonMemberProblem(name: string): string | undefined {
  return /["\\\u0000-\u001f]/.test(name) ? "a double quote, a backslash or a control character, which a JSON path cannot name" : undefined;
}

/** The JSON path of a top-level member, quoted: `$."X"`. */
export function jsonPath(name: string): string {
  return `$."${name}"`;
}

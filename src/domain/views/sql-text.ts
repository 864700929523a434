/**
 * Names and literals taken from the configuration, made safe for DDL. DDL cannot take bound
 * parameters, so every entity type, association and property name that reaches a statement goes
 * through here: identifiers are checked against the dialect's length limit and always quoted as
 * the driver quotes them (DialectProfile.quoteIdentifier); string literals double their single quotes; JSON path members are written
 * quoted (`$."Select"`) so that a property named like a keyword, or with any other character, is
 * one member name.
 */
import { DIALECTS, type Dialect } from "../../store/dialects/index.js";

export type Quote = (identifier: string) => string;

/** The length of a name as the dialect's identifier limit counts it (characters or UTF-8 bytes). */
export function identifierLength(dialect: Dialect, name: string): number {
  return DIALECTS[dialect].identifierLimit?.unit === "bytes" ? Buffer.byteLength(name, "utf8") : [...name].length;
}

/** Why `name` cannot be a database identifier of this dialect, or undefined when it can. */
export function identifierProblem(dialect: Dialect, name: string): string | undefined {
  if (name.length === 0) return "an empty name";
  if (/\u0000/.test(name)) return "a name with a NUL character";
  const { identifierLimit: limit, title } = DIALECTS[dialect];
  if (limit !== undefined && identifierLength(dialect, name) > limit.length) {
    return `${identifierLength(dialect, name)} ${limit.unit} long; ${title} names hold at most ${limit.length}`;
  }
  return undefined;
}

/** A string literal: N'…' on SQL Server (the names are Unicode), '…' elsewhere; quotes doubled. */
export function stringLiteral(dialect: Dialect, value: string): string {
  return DIALECTS[dialect].stringLiteral(value);
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

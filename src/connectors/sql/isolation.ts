/**
 * IsolationLevel: the .NET System.Data.IsolationLevel names (or numbers). A level wraps the command in
 * one transaction of that level; without one, each statement runs as the database runs it alone.
 *
 * | Level | SQLite | PostgreSQL | SQL Server |
 * |---|---|---|---|
 * | ReadUncommitted | Serializable (*) | READ UNCOMMITTED (PostgreSQL runs it as READ COMMITTED) | READ UNCOMMITTED |
 * | ReadCommitted | Serializable (*) | READ COMMITTED | READ COMMITTED |
 * | RepeatableRead | Serializable (*) | REPEATABLE READ | REPEATABLE READ |
 * | Serializable | Serializable | SERIALIZABLE | SERIALIZABLE |
 * | Snapshot | refused | refused (REPEATABLE READ is PostgreSQL's snapshot isolation) | SNAPSHOT |
 * | Chaos | refused | refused | refused |
 * | Unspecified | no transaction | no transaction | no transaction |
 *
 * (*) Every SQLite transaction is serializable: a weaker level asked for is given a stronger one, as
 * the SQL standard allows and as PostgreSQL does with READ UNCOMMITTED. In WAL mode readers never wait
 * for a writer, which is what ReadUncommitted is asked for. (`PRAGMA read_uncommitted` is not used:
 * it only matters with a shared cache, which idm-toolkit does not open.) Snapshot is refused on SQLite
 * too, although a WAL read sees one snapshot: SQL Server's Snapshot also detects write conflicts,
 * which a SQLite transaction does by serializing writers instead, so the name would promise otherwise.
 */
import type { AttributeValue } from "../../config/coerce-attribute.js";
import type { Dialect } from "../../store/database-url.js";
import { DIALECTS } from "../../store/dialects/index.js";

export const ISOLATION_LEVELS = ["ReadUncommitted", "ReadCommitted", "RepeatableRead", "Serializable", "Snapshot"] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

/** The names and numbers of the schema (schema/tasks/InvokeSqlCommandTask.json). */
const NUMBERS = new Map<string, number>([
  ["Unspecified", -1],
  ["Chaos", 16],
  ["ReadUncommitted", 256],
  ["ReadCommitted", 4096],
  ["RepeatableRead", 65536],
  ["Serializable", 1048576],
  ["Snapshot", 16777216],
]);

/** The levels' SQL names (SET TRANSACTION ISOLATION LEVEL …), for PostgreSQL and SQL Server. */
const SQL: Record<IsolationLevel, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
  Snapshot: "SNAPSHOT",
};

const STANDARD: ReadonlySet<IsolationLevel> = new Set(["ReadUncommitted", "ReadCommitted", "RepeatableRead", "Serializable"]);

/** The levels each dialect runs, and why it refuses the others. */
const LEVELS: Record<Dialect, { accepts: ReadonlySet<IsolationLevel>; refused: string }> = {
  sqlite: { accepts: STANDARD, refused: "SQLite has no Snapshot level: its transactions are serializable (write Serializable)" },
  postgres: { accepts: STANDARD, refused: "PostgreSQL has no Snapshot level: its RepeatableRead is snapshot isolation" },
  mssql: { accepts: new Set(ISOLATION_LEVELS), refused: "SQL Server runs every level" },
};

/** The level an attribute names; undefined for none or Unspecified. Throws on Chaos and on unknown values. */
export function parseIsolationLevel(value: AttributeValue | undefined): IsolationLevel | undefined {
  if (value === undefined || value === "") return undefined;
  const text = String(value).trim();
  const name = [...NUMBERS.keys()].find((n) => n.toLowerCase() === text.toLowerCase() || String(NUMBERS.get(n)) === text);
  if (name === undefined) {
    throw new Error(`IsolationLevel "${text}" is not one of ${[...NUMBERS.keys()].join(", ")}`);
  }
  if (name === "Unspecified") return undefined;
  if (name === "Chaos") throw new Error("IsolationLevel Chaos is not supported by any database (it is not in the SQL standard)");
  return name as IsolationLevel;
}

/** Refuses a level the dialect cannot run, saying why. */
export function checkIsolationLevel(dialect: Dialect, level: IsolationLevel): void {
  const levels = LEVELS[dialect];
  if (levels.accepts.has(level)) return;
  throw new Error(`IsolationLevel ${level} is not supported on ${DIALECTS[dialect].title}: ${levels.refused}`);
}

/** The SQL name of a level (`REPEATABLE READ`), for PostgreSQL and SQL Server; checkIsolationLevel first. */
export function isolationSql(dialect: "postgres" | "mssql", level: IsolationLevel): string {
  if (!LEVELS[dialect].accepts.has(level)) throw new Error(`IsolationLevel ${level} is not supported on ${dialect}`);
  return SQL[level];
}

/**
 * PostgreSQL (pg): the URL goes to pg as it is (its query options keep working); a store of its own
 * schema sets search_path for raw SQL too; a running statement is cancelled with pg_cancel_backend
 * from another connection.
 */
import type { ClientBase } from "pg";
import { PORTABLE_COLUMNS } from "./column-types.js";
import { copyIn } from "./postgres-copy.js";
import { redactParsedUrl, urlSecrets } from "./redact.js";
import { doubleQuoted, insertReturningClause, singleQuoted, type DialectProfile } from "./profile.js";
import { parseUrl } from "./url.js";

export const postgres: DialectProfile = {
  dialect: "postgres",
  title: "PostgreSQL",
  schemes: ["postgres", "postgresql"],
  urlForm: "postgres://user:password@host:port/database",
  driverTypes: ["postgres"],
  target(url, _cwd, accepted) {
    const parsed = parseUrl(url, accepted);
    if (parsed.hostname === "") throw new Error(`database URL "${redactParsedUrl(parsed)}" names no host: ${accepted}`);
    // pg parses the URL itself, so its query options (sslmode, application_name, …) keep working.
    return { dialect: "postgres", display: redactParsedUrl(parsed), options: { type: "postgres", url, connectTimeoutMS: 10_000 } };
  },
  openVerb: "connect to",
  prepareOpen: () => undefined,
  schemaOptions: (schema) => ({ schema, extra: { options: `-c search_path="${schema.replace(/"/g, '""')}"` } }),
  secrets: (options) => ("url" in options && typeof options.url === "string" ? urlSecrets(options.url) : []),

  // timestamptz, never `timestamp`, which drops the offset; keys in code point order ("C"): the
  // database's default collation would sort them linguistically.
  columnTypes: { ...PORTABLE_COLUMNS, sortedIdentifier: (length) => ({ type: "varchar", length: String(length), collation: "C" }) },
  maxParameters: 5000,
  arrayInsertRows: 2000,
  refreshStatistics: (table) => `ANALYZE ${table}`,
  // pg's { name, text, values }: parsed on the first run on a connection, then only bound and executed.
  runNamed: async (connection, name, sql, parameters) => {
    await (connection as ClientBase).query({ name, text: sql, values: parameters });
  },
  copyRows: (connection, table, columns, values) => copyIn(connection as ClientBase, table, columns, values),
  // pg writes a Date in local time with a whole-minute offset: outside UTC, very old dates shift.
  bindValue: (_driver, _column, prepared) => (prepared instanceof Date ? prepared.toISOString() : prepared),
  migrationLock(resource, schema) {
    // Advisory locks are per database; the schema in the key lets test schemas migrate side by side.
    const key = `${resource}:${schema ?? "public"}`;
    return { lock: "SELECT pg_advisory_lock(hashtext($1))", unlock: "SELECT pg_advisory_unlock(hashtext($1))", parameters: [key], isTransaction: false };
  },

  updateFromValues: (target, assignments, rows, alias, columns, on) =>
    `UPDATE ${target} SET ${assignments} FROM (VALUES ${rows}) AS ${alias} (${columns.join(", ")}) WHERE ${on}`,
  withRecursive: "WITH RECURSIVE",
  trueLiteral: "TRUE",
  insertReturning: insertReturningClause,
  quoteIdentifier: doubleQuoted,
  quoteForeignIdentifier: doubleQuoted,
  stringLiteral: singleQuoted,
  // NAMEDATALEN - 1 = 63 *bytes*, past which names are truncated silently (two long names would become one).
  identifierLimit: { length: 63, unit: "bytes" },

  async statementCancel(dataSource, runner) {
    const [row] = (await runner.query("SELECT pg_backend_pid() AS pid")) as { pid: number }[];
    const pid = row?.pid;
    if (pid === undefined) return {};
    return { cancelRunning: () => dataSource.query("SELECT pg_cancel_backend($1)", [pid]) };
  },
};

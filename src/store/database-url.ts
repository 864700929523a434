/**
 * Database URLs: `sqlite:<path>`, `postgres://…` and `mssql://…`, turned into TypeORM options.
 * Passwords never leave this module except inside the options: every text meant for people uses
 * `display` (or `redactUrl`), where the password reads "***".
 */
import { isAbsolute, resolve } from "node:path";
import type { DataSourceOptions } from "typeorm";

export type Dialect = "sqlite" | "postgres" | "mssql";

export interface DatabaseTarget {
  dialect: Dialect;
  /** for messages: no password */
  display: string;
  options: DataSourceOptions;
}

export const DEFAULT_DATABASE_URL = "sqlite:.idm/idm.db";

const ACCEPTED =
  "expected sqlite:<path> (or sqlite::memory:), postgres://user:password@host:port/database " +
  "or mssql://user:password@host:port/database?encrypt=true&trustServerCertificate=false";

/** flag > IDM_DATABASE_URL > settings ConnectionString > default. Empty strings count as unset. */
export function resolveDatabaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv, settings: { ConnectionString?: string }): string {
  for (const candidate of [flag, env.IDM_DATABASE_URL, settings.ConnectionString]) {
    if (candidate !== undefined && candidate.trim() !== "") return candidate.trim();
  }
  return DEFAULT_DATABASE_URL;
}

/**
 * Replaces the password of `scheme://user:password@…` with "***". Works on text that is not a valid
 * URL too (errors quote what the user wrote); it may hide more than the password, never less.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)(.*)@/i, "$1***@");
}

export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "sqlite") return sqliteTarget(url, cwd);
  if (scheme === "postgres" || scheme === "postgresql") return postgresTarget(url);
  if (scheme === "mssql" || scheme === "sqlserver") return mssqlTarget(url);
  throw new Error(`unsupported database URL "${redactUrl(url)}": ${ACCEPTED}`);
}

function sqliteTarget(url: string, cwd: string): DatabaseTarget {
  // "sqlite:///abs/file.db" and "sqlite:rel/file.db" both name a file; the slashes are optional.
  const rest = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "").replace(/^\/\/(?!\/)/, "");
  if (rest === "") throw new Error(`database URL "${url}" names no file: ${ACCEPTED}`);
  const database = rest === ":memory:" ? ":memory:" : isAbsolute(rest) ? rest : resolve(cwd, rest);
  return {
    dialect: "sqlite",
    display: url,
    options: {
      type: "better-sqlite3",
      database,
      enableWAL: database !== ":memory:",
      // In WAL mode NORMAL syncs at checkpoints, not at each commit: a commit survives the process
      // being killed, and only an operating system crash or power loss can undo the last commits
      // (never corrupt the file). FULL made every task state change wait for a disk flush.
      prepareDatabase: (db: { pragma(source: string): unknown }) => void db.pragma("synchronous = NORMAL"),
      // better-sqlite3's `timeout` is SQLite's busy_timeout: a second process waits for the lock.
      timeout: 10_000,
    },
  };
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new Error(`invalid database URL "${redactUrl(url)}": ${ACCEPTED}`);
  }
}

function redactParsed(parsed: URL): string {
  if (parsed.password === "" && !parsed.searchParams.has("password")) return parsed.href;
  const copy = new URL(parsed.href);
  if (copy.password !== "") copy.password = "***";
  // pg also reads ?password=
  if (copy.searchParams.has("password")) copy.searchParams.set("password", "***");
  return copy.href.replaceAll("%2A%2A%2A", "***");
}

function postgresTarget(url: string): DatabaseTarget {
  const parsed = parseUrl(url);
  if (parsed.hostname === "") throw new Error(`database URL "${redactParsed(parsed)}" names no host: ${ACCEPTED}`);
  // pg parses the URL itself, so its query options (sslmode, application_name, …) keep working.
  return { dialect: "postgres", display: redactParsed(parsed), options: { type: "postgres", url, connectTimeoutMS: 10_000 } };
}

const MSSQL_PARAMETERS = ["encrypt", "trustServerCertificate"];

function mssqlTarget(url: string): DatabaseTarget {
  const parsed = parseUrl(url);
  const display = redactParsed(parsed);
  if (parsed.hostname === "") throw new Error(`database URL "${display}" names no host: ${ACCEPTED}`);
  for (const key of parsed.searchParams.keys()) {
    if (!MSSQL_PARAMETERS.includes(key)) throw new Error(`database URL "${display}": unknown parameter ${key} (known: ${MSSQL_PARAMETERS.join(", ")})`);
  }
  const port = parsed.port === "" ? undefined : Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  const options: DataSourceOptions = {
    type: "mssql",
    host: parsed.hostname,
    ...(port === undefined ? {} : { port }),
    ...(database === "" ? {} : { database }),
    ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
    options: {
      encrypt: flag(parsed, "encrypt", true, display),
      trustServerCertificate: flag(parsed, "trustServerCertificate", false, display),
    },
  };
  return { dialect: "mssql", display, options };
}

function flag(parsed: URL, name: string, fallback: boolean, display: string): boolean {
  const value = parsed.searchParams.get(name);
  if (value === null) return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new Error(`database URL "${display}": ${name} must be true or false, not "${value}"`);
}

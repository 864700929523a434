/**
 * SQL Server (mssql, through tedious): URLs split into tedious options; Unicode types (nvarchar(max),
 * not `text`), bit and datetime2; 2,100 parameters per request; a statement of a cancellable session
 * runs as a request of its own, which a cancel stops.
 */
import type { DataSourceOptions } from "typeorm";
import type { SqlServerDriver } from "typeorm/driver/sqlserver/SqlServerDriver.js";
import { redactParsedUrl } from "./redact.js";
import { doubleQuoted, type DialectProfile } from "./profile.js";
import { parseUrl } from "./url.js";

/**
 * SQL Server's default collation is case-insensitive: without a binary collation the unique index
 * on (kind, identifier) would refuse "Job" next to "job", which the product treats as distinct.
 */
const MSSQL_EXACT = "Latin1_General_100_BIN2";

const MSSQL_PARAMETERS = ["encrypt", "trustServerCertificate"];

function flag(parsed: URL, name: string, fallback: boolean, display: string): boolean {
  const value = parsed.searchParams.get(name);
  if (value === null) return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new Error(`database URL "${display}": ${name} must be true or false, not "${value}"`);
}

/** The parts of TypeORM's SQL Server driver and of the mssql package that a cancellable session uses. */
export interface MssqlDriver {
  obtainMasterConnection(): Promise<unknown>;
  mssql: { Request: new (parent: unknown, overrides?: { requestTimeout?: number }) => MssqlRequest };
}

export interface MssqlRequest {
  query(sql: string): Promise<{ recordset?: unknown[] }>;
  cancel(): void;
}

/** A statement as a request of its own: no timeout (0; a rebuild takes as long as it takes), cancelled with the signal. */
export function mssqlUnbounded(driver: MssqlDriver, signal: AbortSignal): (sql: string) => Promise<unknown[]> {
  return async (sql) => {
    const pool = await driver.obtainMasterConnection();
    const request = new driver.mssql.Request(pool, { requestTimeout: 0 });
    const cancel = () => request.cancel();
    signal.addEventListener("abort", cancel, { once: true });
    try {
      return (await request.query(sql)).recordset ?? [];
    } finally {
      signal.removeEventListener("abort", cancel);
    }
  };
}

export const mssql: DialectProfile = {
  dialect: "mssql",
  title: "SQL Server",
  schemes: ["mssql", "sqlserver"],
  urlForm: "mssql://user:password@host:port/database?encrypt=true&trustServerCertificate=false",
  driverTypes: ["mssql"],
  target(url, _cwd, accepted) {
    const parsed = parseUrl(url, accepted);
    const display = redactParsedUrl(parsed);
    if (parsed.hostname === "") throw new Error(`database URL "${display}" names no host: ${accepted}`);
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
  },
  openVerb: "connect to",
  prepareOpen: () => undefined,
  schemaOptions: (schema) => ({ schema }),
  secrets: (options) => ("password" in options && typeof options.password === "string" ? [options.password] : []),

  columnTypes: {
    int: { type: "int" },
    string: (length) => ({ type: "nvarchar", length: String(length) }),
    identifier: (length) => ({ type: "nvarchar", length: String(length), collation: MSSQL_EXACT }),
    sortedIdentifier: (length) => ({ type: "nvarchar", length: String(length), collation: MSSQL_EXACT }),
    ascii: (length) => ({ type: "varchar", length: String(length) }),
    text: { type: "nvarchar", length: "MAX" },
    timestamp: { type: "datetime2" },
    boolean: { type: "bit" },
  },
  // A request binds at most 2,100 parameters.
  maxParameters: 2000,
  arrayInsertRows: undefined,
  // mssql sends an untyped Date as legacy datetime (from 1753, in 1/300 s): bind it with the column's type.
  bindValue: (driver, column, prepared) => (driver as SqlServerDriver).parametrizeValue(column, prepared),
  migrationLock: (resource) => ({
    lock:
      `DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'${resource}', @LockMode = N'Exclusive', ` +
      `@LockOwner = N'Session', @LockTimeout = 60000; IF @result < 0 RAISERROR(N'timed out waiting for the migration lock', 16, 1);`,
    unlock: `EXEC sp_releaseapplock @Resource = N'${resource}', @LockOwner = N'Session';`,
    parameters: [],
    isTransaction: false,
  }),

  // TypeORM's driver quotes with double quotes (QUOTED_IDENTIFIER is on in its sessions).
  withRecursive: "WITH",
  trueLiteral: "1",
  insertReturning: (target, columns, source, returned) =>
    `INSERT INTO ${target} (${columns.join(", ")}) OUTPUT ${returned.map((c) => `INSERTED.${c}`).join(", ")} ${source}`,
  quoteIdentifier: doubleQuoted,
  quoteForeignIdentifier: (name) => `[${name.replaceAll("]", "]]")}]`,
  // N'…': the names are Unicode.
  stringLiteral: (value) => `N'${value.replaceAll("'", "''")}'`,
  // sysname
  identifierLimit: { length: 128, unit: "characters" },

  // Statements run as requests of their own, without the driver's 15-second request timeout.
  statementCancel: async (dataSource) => {
    const unbounded = (signal: AbortSignal) => mssqlUnbounded(dataSource.driver as unknown as MssqlDriver, signal);
    return { runUnbounded: (sql, signal) => unbounded(signal)(sql) };
  },
};

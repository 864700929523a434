/**
 * Which database InvokeSqlCommandTask runs on, and the runner that reaches it: DatabaseIdentifier
 * names a URL of the settings' Databases; without it, the store's own database (the product
 * database) through the store's connection.
 */
import pg from "pg";
import { parseDatabaseUrl, type DatabaseTarget, type Dialect } from "../../store/database-url.js";
import type { Store } from "../../store/store.js";
import type { Settings } from "../../config/settings.js";
import { MssqlRunner, mssqlPoolConfig, type MssqlPool } from "./mssql-runner.js";
import { PostgresRunner } from "./postgres-runner.js";
import type { SqlRunner } from "./runner.js";
import type { SqliteDatabase } from "./sqlite-export.js";
import { SqliteRunner } from "./sqlite-runner.js";

/** The database could not be opened or reached: the message says which and why (no password). */
export class ConnectionError extends Error {}

export type DatabaseChoice =
  | { kind: "store"; dialect: Dialect; display: string; store: Store }
  | { kind: "settings"; dialect: Dialect; display: string; identifier: string; target: DatabaseTarget };

export function chooseDatabase(context: { store: Store; settings: Settings }, identifier: string | undefined): DatabaseChoice {
  const { store, settings } = context;
  if (identifier === undefined || identifier === "") return { kind: "store", dialect: store.dialect, display: store.display, store };
  const url = Object.hasOwn(settings.databases, identifier) ? settings.databases[identifier] : undefined;
  if (url === undefined) {
    const known = Object.keys(settings.databases).sort();
    throw new Error(
      `DatabaseIdentifier ${identifier} is not in the settings' Databases (known: ${known.length === 0 ? "none" : known.join(", ")})`,
    );
  }
  let target: DatabaseTarget;
  try {
    target = parseDatabaseUrl(url);
  } catch (error) {
    // parseDatabaseUrl's messages hide the password already.
    throw new Error(`settings Databases.${identifier}: ${(error as Error).message}`, { cause: error });
  }
  return { kind: "settings", dialect: target.dialect, display: target.display, identifier, target };
}

/** The driver objects behind a store, which TypeORM keeps to itself: the one place they are cast. */
export type StoreDriver =
  | { dialect: "sqlite"; database: SqliteDatabase }
  | { dialect: "postgres"; pool: pg.Pool }
  | { dialect: "mssql"; pool: MssqlPool };

export function storeDriver(store: Store): StoreDriver {
  const driver = store.dataSource.driver as unknown as { databaseConnection?: unknown; master?: unknown };
  const found = store.dialect === "sqlite" ? driver.databaseConnection : driver.master;
  if (found === undefined || found === null) throw new Error(`the store ${store.display} is not connected`);
  switch (store.dialect) {
    case "sqlite":
      return { dialect: "sqlite", database: found as SqliteDatabase };
    case "postgres":
      return { dialect: "postgres", pool: found as pg.Pool };
    case "mssql":
      return { dialect: "mssql", pool: found as MssqlPool };
  }
}

export async function openRunner(choice: DatabaseChoice, timeoutMs: number): Promise<SqlRunner> {
  try {
    if (choice.kind === "store") {
      const driver = storeDriver(choice.store);
      switch (driver.dialect) {
        case "sqlite":
          return SqliteRunner.forStore(driver.database, choice.display);
        case "postgres":
          return await PostgresRunner.open({ pool: driver.pool }, choice.display);
        case "mssql":
          return await MssqlRunner.open(mssqlPoolConfig({ pool: driver.pool }, timeoutMs), choice.display);
      }
    }
    const { options } = choice.target;
    switch (options.type) {
      case "better-sqlite3":
        return SqliteRunner.forFile(options.database, choice.display);
      case "postgres":
        return await PostgresRunner.open({ config: { connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMS ?? 10_000 } }, choice.display);
      case "mssql":
        return await MssqlRunner.open(mssqlPoolConfig({ options }, timeoutMs), choice.display);
      default:
        throw new Error(`unsupported database type ${options.type}`);
    }
  } catch (error) {
    const verb = choice.dialect === "sqlite" ? "open" : "connect to";
    throw new ConnectionError(`cannot ${verb} ${choice.display}: ${redact(error, choice)}`, { cause: error });
  }
}

/** The reason of a failure in one line, without anything that could be the password. */
export function redact(error: unknown, choice: DatabaseChoice): string {
  let reason = error instanceof Error ? error.message : String(error);
  for (const secret of secretsOf(choice)) reason = reason.split(secret).join("***");
  return reason.replace(/\s+/g, " ").trim() || "unknown error";
}

function secretsOf(choice: DatabaseChoice): string[] {
  const secrets: string[] = [];
  const options = (choice.kind === "settings" ? choice.target.options : choice.store.dataSource.options) as { password?: unknown; url?: unknown };
  if (typeof options.password === "string") secrets.push(options.password);
  if (typeof options.url === "string") {
    try {
      const parsed = new URL(options.url);
      for (const secret of [decodeURIComponent(parsed.password), parsed.password, parsed.searchParams.get("password") ?? ""]) {
        if (secret !== "") secrets.push(secret);
      }
    } catch {
      // not a URL: nothing more to hide
    }
  }
  return secrets.filter((s) => s.length > 0);
}

/**
 * Which database InvokeSqlCommandTask runs on, and the runner that reaches it: DatabaseIdentifier
 * names a URL of the settings' Databases; without it, the store's own database (the product
 * database) through the store's connection.
 */
import { parseDatabaseUrl, type DatabaseTarget, type Dialect } from "../../store/database-url.js";
import { DIALECTS } from "../../store/dialects/index.js";
import { redactReason } from "../../store/dialects/redact.js";
import type { Store } from "../../store/store.js";
import { settingsOrigin, type Settings } from "../../config/settings.js";
import { mssqlRunners } from "./mssql-runner.js";
import { postgresRunners } from "./postgres-runner.js";
import type { RunnerOpener, SqlRunner } from "./runner.js";
import { sqliteRunners } from "./sqlite-runner.js";

/** How each dialect's runner is opened. */
const RUNNERS: Record<Dialect, RunnerOpener> = { sqlite: sqliteRunners, postgres: postgresRunners, mssql: mssqlRunners };

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
      `DatabaseIdentifier ${identifier} is not in the settings' Databases (known: ${known.length === 0 ? "none" : known.join(", ")}); ${settingsOrigin(settings)}`,
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

export async function openRunner(choice: DatabaseChoice, timeoutMs: number): Promise<SqlRunner> {
  const opener = RUNNERS[choice.dialect];
  try {
    if (choice.kind === "store") return await opener.forStore(choice.store, choice.display, timeoutMs);
    return await opener.forTarget(choice.target.options, choice.display, timeoutMs);
  } catch (error) {
    throw new ConnectionError(`cannot ${DIALECTS[choice.dialect].openVerb} ${choice.display}: ${redact(error, choice)}`, { cause: error });
  }
}

/** The reason of a failure in one line, without anything that could be the password. */
export function redact(error: unknown, choice: DatabaseChoice): string {
  const options = choice.kind === "settings" ? choice.target.options : choice.store.dataSource.options;
  return redactReason(error, DIALECTS[choice.dialect].secrets(options));
}

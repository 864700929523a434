/**
 * What every command needs from the global options: settings, the store, a validated folder. The
 * store and the deploy engine are imported when first asked for: `idm validate` needs neither.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { loadSettings, readSettingsFile, WORKING_SETTINGS, type Settings } from "../config/settings.js";
import type { ValidationResult } from "../config/validate-folder.js";
import type { FolderItems } from "../deploy/desired-items.js";
import type { OpenStoreOptions, Store } from "../store/store.js";
import { CliError } from "./cli-error.js";
import { formatProblem, plural } from "./format-problems.js";

interface GlobalOptions {
  settings?: string;
  database?: string;
}

let cached: Settings | undefined;

/**
 * The settings: --settings, else ./appsettings.json, else defaults. Once a store is open
 * (openStoreOf), settings found through the newest deployment replace the defaults.
 */
export function settingsOf(program: Command): Settings {
  cached ??= loadSettings(program.opts<GlobalOptions>().settings);
  return cached;
}

/**
 * Settings are read before the database is opened, since they may name it. When neither --settings
 * nor ./appsettings.json gave a file, the appsettings.json of the newest deployment's source folder
 * is read once the database is open (its ConnectionString is then not used: the database is chosen).
 */
async function deploymentSettings(store: Store, found: Settings): Promise<Settings> {
  if (found.source?.file !== undefined) return found;
  const { newestDeploymentFolder } = await import("../deploy/history.js");
  const folder = await newestDeploymentFolder(store);
  if (folder === undefined) return found;
  const file = join(folder, WORKING_SETTINGS);
  const looked = [...(found.source?.looked ?? []), file];
  if (!existsSync(file)) return { ...found, source: { looked } };
  return readSettingsFile(file, looked);
}

export async function openStoreOf(program: Command, options: OpenStoreOptions = {}): Promise<Store> {
  const settings = settingsOf(program);
  const [{ redactUrl, resolveDatabaseUrl }, { openStore }] = await Promise.all([import("../store/database-url.js"), import("../store/store.js")]);
  const flag = program.opts<GlobalOptions>().database;
  if (flag !== undefined && redactUrl(flag) !== flag) {
    process.stderr.write("idm: warning: the password in --database is visible to every user of this host in the process list; give the URL in IDM_DATABASE_URL or in the settings' ConnectionString instead\n");
  }
  const url = resolveDatabaseUrl(flag, process.env,
    settings.connectionString ? { ConnectionString: settings.connectionString } : {});
  const store = await openStore(url, options);
  // Without migrations the ledger may not exist yet (idm db status on a new database).
  if (options.migrate === false) return store;
  try {
    cached = await deploymentSettings(store, settings);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export function checkFolder(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a folder`);
}

/** Validates a folder for deploy: errors are printed and stop the command, warnings are counted. */
export async function validatedItems(dir: string, settings: Settings): Promise<{ items: FolderItems; result: ValidationResult }> {
  checkFolder(dir);
  const { validateForDeploy } = await import("../deploy/run-deploy.js");
  const { result, errors, items } = validateForDeploy(dir, settings);
  if (errors.length > 0) {
    for (const problem of errors) process.stderr.write(`${formatProblem(problem)}\n`);
    throw new CliError(`${dir}: ${plural(errors.length, "error")}; nothing deployed (idm validate shows every problem)`);
  }
  return { items, result };
}

/** Runs with a store and the settings (deploymentSettings) and always closes the store. */
export async function withStore<T>(program: Command, run: (store: Store, settings: Settings) => Promise<T>): Promise<T> {
  const store = await openStoreOf(program);
  try {
    return await run(store, settingsOf(program));
  } finally {
    await store.close();
  }
}

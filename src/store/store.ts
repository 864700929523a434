/**
 * Opens the store: a TypeORM DataSource for a database URL, with the entities of entities.ts and the
 * migrations of migrations/, migrated to the latest schema unless told otherwise.
 */
import { DataSource, type DataSourceOptions } from "typeorm";
import { parseDatabaseUrl, type DatabaseTarget, type Dialect } from "./database-url.js";
import { DIALECTS } from "./dialects/index.js";
import type { BackgroundWork } from "./dialects/profile.js";
import { redactReason } from "./dialects/redact.js";
import { createEntities } from "./entities.js";
import { migrate } from "./migrate.js";
import { MIGRATIONS, MIGRATIONS_TABLE } from "./migrations/index.js";

export { migrate, migrationStatus } from "./migrate.js";

export interface Store {
  dataSource: DataSource;
  dialect: Dialect;
  display: string;
  /**
   * The URL the store was opened with, password included, a relative SQLite file made absolute: a
   * secret, only for the scripts that Tasks.DatabaseUrlForScripts names. Never log it.
   */
  secretUrl(): string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** run pending migrations (default true) */
  migrate?: boolean;
  /** PostgreSQL schema (tests give each run its own) */
  schema?: string;
  /** folder that relative sqlite: paths are resolved from (default process.cwd()) */
  cwd?: string;
}

function dataSourceFor(target: DatabaseTarget, schema: string | undefined): DataSource {
  const options = {
    ...target.options,
    // The schema for TypeORM's statements and, on PostgreSQL, for raw SQL too (search_path).
    ...(schema === undefined ? {} : DIALECTS[target.dialect].schemaOptions(schema)),
    entities: createEntities(target.dialect),
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: "each",
    logging: false,
  } as DataSourceOptions;
  return new DataSource(options);
}

function storeOf(dataSource: DataSource, target: DatabaseTarget, url: string, background?: BackgroundWork): Store {
  // A script runs in another working folder than the runner: its SQLite file is named absolutely.
  const secret = target.options.type === "better-sqlite3" ? `sqlite:${target.options.database}` : url;
  return {
    dataSource,
    dialect: target.dialect,
    display: target.display,
    secretUrl: () => secret,
    close: async () => {
      await background?.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** The reason of a connection failure, in one line, without anything that could be the password. */
function reasonOf(error: unknown, target: DatabaseTarget): string {
  return redactReason(error, DIALECTS[target.dialect].secrets(target.options));
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(url, options.cwd);
  const dataSource = dataSourceFor(target, options.schema);
  const profile = DIALECTS[target.dialect];
  let background: BackgroundWork | undefined;
  try {
    profile.prepareOpen(target.options);
    await dataSource.initialize();
    background = await profile.background?.(dataSource);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw new Error(`cannot ${profile.openVerb} ${target.display}: ${reasonOf(error, target)}`);
  }
  const store = storeOf(dataSource, target, url, background);
  if (options.migrate ?? true) {
    try {
      await migrate(store);
    } catch (error) {
      await store.close();
      throw new Error(`cannot migrate ${target.display}: ${reasonOf(error, target)}`);
    }
  }
  return store;
}

/** A SQL Server store that never connects: its QueryBuilders and query runners only generate SQL. */
export async function offlineMssqlStore(): Promise<Store> {
  const target = parseDatabaseUrl("mssql://offline@offline.invalid/idm");
  const dataSource = dataSourceFor(target, undefined);
  // buildMetadatas is protected: it is the part of initialize() that needs no connection.
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return { ...storeOf(dataSource, target, "mssql://offline@offline.invalid/idm"), close: async () => {} };
}

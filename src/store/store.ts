/**
 * Opens the store: a TypeORM DataSource for a database URL, with the entities of entities.ts and the
 * migrations of migrations/, migrated to the latest schema unless told otherwise.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DataSource, type DataSourceOptions } from "typeorm";
import { parseDatabaseUrl, type DatabaseTarget, type Dialect } from "./database-url.js";
import { createEntities } from "./entities.js";
import { migrate } from "./migrate.js";
import { MIGRATIONS, MIGRATIONS_TABLE } from "./migrations/index.js";

export { migrate, migrationStatus } from "./migrate.js";

export interface Store {
  dataSource: DataSource;
  dialect: Dialect;
  display: string;
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

/** The schema for TypeORM's statements and, on PostgreSQL, for raw SQL too (search_path). */
function schemaOptions(dialect: Dialect, schema: string): object {
  if (dialect !== "postgres") return { schema };
  return { schema, extra: { options: `-c search_path="${schema.replace(/"/g, '""')}"` } };
}

function dataSourceFor(target: DatabaseTarget, schema: string | undefined): DataSource {
  const options = {
    ...target.options,
    ...(schema === undefined || target.dialect === "sqlite" ? {} : schemaOptions(target.dialect, schema)),
    entities: createEntities(target.dialect),
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: "each",
    logging: false,
  } as DataSourceOptions;
  return new DataSource(options);
}

function storeOf(dataSource: DataSource, target: DatabaseTarget): Store {
  return {
    dataSource,
    dialect: target.dialect,
    display: target.display,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** The reason of a connection failure, in one line, without anything that could be the password. */
function reasonOf(error: unknown, target: DatabaseTarget): string {
  const errors = error instanceof AggregateError ? error.errors : [error];
  let reason = errors.map((e) => (e instanceof Error ? e.message : String(e))).filter((m) => m !== "").join("; ");
  const password = "password" in target.options ? target.options.password : undefined;
  const urlPassword = "url" in target.options && target.options.url !== undefined ? safeUrlPassword(target.options.url) : undefined;
  for (const secret of [password, urlPassword]) {
    if (typeof secret === "string" && secret.length > 0) reason = reason.split(secret).join("***");
  }
  return reason.replace(/\s+/g, " ").trim() || "unknown error";
}

function safeUrlPassword(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.password) || parsed.searchParams.get("password") || undefined;
  } catch {
    return undefined;
  }
}

/** SQLite's parent folder, on first use; made here so that a failure reads "cannot open …" like the others. */
function makeParentFolder(target: DatabaseTarget): void {
  const file = target.options.type === "better-sqlite3" ? target.options.database : ":memory:";
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(url, options.cwd);
  const dataSource = dataSourceFor(target, options.schema);
  try {
    makeParentFolder(target);
    await dataSource.initialize();
  } catch (error) {
    const verb = target.dialect === "sqlite" ? "open" : "connect to";
    throw new Error(`cannot ${verb} ${target.display}: ${reasonOf(error, target)}`);
  }
  const store = storeOf(dataSource, target);
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
  return { dataSource, dialect: "mssql", display: target.display, close: async () => {} };
}

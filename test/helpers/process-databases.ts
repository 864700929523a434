/**
 * Databases for tests that run idm as a child process: a SQLite file in the test's folder, and a new
 * PostgreSQL database (not a schema: the CLI takes a plain URL) when IDM_TEST_POSTGRES_URL is set.
 * Call dropProcessDatabases() in afterAll.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";

export interface ProcessDatabase {
  name: "sqlite" | "postgres";
  /** A URL of a new, empty database. */
  create(cwd: string): Promise<string>;
}

const created: string[] = [];
const POSTGRES_URL = process.env.IDM_TEST_POSTGRES_URL;

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(url: string): Promise<string> {
  const name = `idm_cli_${randomBytes(6).toString("hex")}`;
  await adminQuery(url, `CREATE DATABASE ${name}`);
  created.push(name);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.href;
}

export const PROCESS_DATABASES: ProcessDatabase[] = [
  { name: "sqlite", create: async (cwd) => `sqlite:${join(cwd, "idm.db")}` },
  ...(POSTGRES_URL ? [{ name: "postgres" as const, create: () => createPostgresDatabase(POSTGRES_URL) }] : []),
];

export async function dropProcessDatabases(): Promise<void> {
  for (const name of created.splice(0)) await adminQuery(POSTGRES_URL!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

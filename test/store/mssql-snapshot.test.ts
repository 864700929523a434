/**
 * SQL Server cannot run here: the T-SQL the store emits is generated offline through TypeORM's mssql
 * driver and kept as reviewed snapshots (test/store/snapshots/*.sql; `vitest -u` rewrites them).
 */
import { MigrationExecutor, type QueryRunner, type Table } from "typeorm";
import { Query } from "typeorm/driver/Query.js";
import { describe, expect, it } from "vitest";
import { columnTypes } from "../../src/store/column-types.js";
import { deleteExpiredLease, deleteOwnLease, extendLease, insertLease, selectLease } from "../../src/store/lease-queries.js";
import { migrationLockSql } from "../../src/store/migrate.js";
import { offlineMssqlStore } from "../../src/store/store.js";

const HEADER =
  "-- Generated offline through TypeORM's mssql driver by test/store/mssql-snapshot.test.ts; one statement per line.\n" +
  "-- Identifiers are in double quotes: QUOTED_IDENTIFIER ON (the default of tedious, ODBC and SSMS; sqlcmd needs -I).\n";

/** The DDL a query runner would have sent, one statement per line. */
function captured(queryRunner: QueryRunner): string[] {
  return queryRunner.getMemorySql().upQueries.map((q) => `${q.query.trim()};`);
}

/** "@0 = 'deploy' (nvarchar)": parameters as the mssql driver would bind them. */
function describeParameter(value: unknown, index: number): string {
  const typed = typeof value === "object" && value !== null && "value" in value && "type" in value ? (value as { value: unknown; type: string }) : undefined;
  const raw = typed ? typed.value : value;
  const shown = raw instanceof Date ? raw.toISOString() : typeof raw === "string" ? `'${raw}'` : String(raw);
  return `@${index} = ${shown}${typed ? ` (${typed.type})` : ""}`;
}

function statement([query, parameters]: [string, unknown[]]): string {
  return `${query};${parameters.length > 0 ? `  -- ${parameters.map(describeParameter).join(", ")}` : ""}`;
}

async function schemaSql(): Promise<string> {
  const store = await offlineMssqlStore();
  const lines = [HEADER];
  // The migrations table, as TypeORM's executor creates it (told that it does not exist yet).
  const executorRunner = store.dataSource.createQueryRunner();
  executorRunner.enableSqlMemory();
  executorRunner.hasTable = async () => false;
  const executor = new MigrationExecutor(store.dataSource) as unknown as { createMigrationsTableIfNotExist(q: QueryRunner): Promise<void> };
  await executor.createMigrationsTableIfNotExist(executorRunner);
  lines.push("-- migrations table (TypeORM's MigrationExecutor)", ...captured(executorRunner));

  const lock = migrationLockSql(store);
  lines.push("-- migration lock, taken around every run and released after it", lock.lock, lock.unlock);

  // Offline there is no catalog to read: a migration that alters a table finds it as the earlier ones created it.
  const created = new Map<string, Table>();
  for (const migration of store.dataSource.migrations) {
    const queryRunner = store.dataSource.createQueryRunner();
    queryRunner.enableSqlMemory();
    const createTable = queryRunner.createTable.bind(queryRunner);
    queryRunner.createTable = async (table, ...rest) => {
      created.set(table.name, table);
      return createTable(table, ...rest);
    };
    (queryRunner as unknown as { loadTables(names: string[]): Promise<Table[]> }).loadTables = async (names) =>
      names.flatMap((name) => created.get(name)?.clone() ?? []);
    // A migration's own statements (the rows it seeds) are kept in order with its DDL instead of sent.
    queryRunner.query = (async (query: string, parameters?: unknown[]) => {
      queryRunner.getMemorySql().upQueries.push(new Query(query, parameters));
      return [];
    }) as QueryRunner["query"];
    await migration.up(queryRunner);
    lines.push(`-- ${migration.name}`, ...captured(queryRunner));
  }
  return `${lines.join("\n")}\n`;
}

async function leaseSql(): Promise<string> {
  const { dataSource } = await offlineMssqlStore();
  const now = new Date("2026-01-02T03:04:05.678Z");
  const later = new Date(now.getTime() + 15_000);
  const owner = "6f1c0d2e-8b7a-4c59-9e21-3f4a5b6c7d8e";
  const row = { name: "deploy", owner, host: "build-01", pid: 4242, acquiredAt: now, heartbeatAt: now, expiresAt: later };
  return [
    HEADER,
    "-- acquire: free an expired lease, then insert ours (a primary key violation means it is held)",
    statement(deleteExpiredLease(dataSource, "deploy", now).getQueryAndParameters()),
    statement(insertLease(dataSource, row).getQueryAndParameters()),
    "-- heartbeat: extend, only while the lease is still ours",
    statement(extendLease(dataSource, "deploy", owner, now, later).getQueryAndParameters()),
    "-- release: only our own row",
    statement(deleteOwnLease(dataSource, "deploy", owner).getQueryAndParameters()),
    "-- read the holder",
    statement(selectLease(dataSource, "deploy").getQueryAndParameters()),
  ].join("\n") + "\n";
}

describe("SQL Server, offline", () => {
  it("creates the schema with this DDL", async () => {
    await expect(await schemaSql()).toMatchFileSnapshot("./snapshots/mssql-schema.sql");
  });

  it("uses SQL Server's types: nvarchar(max), datetime2, bit; never text, datetime or boolean", async () => {
    const statements = (await schemaSql()).split("\n").filter((line) => !line.startsWith("--"));
    const ddl = statements.join("\n");
    expect(ddl).toContain("nvarchar(MAX)");
    expect(ddl).toContain("datetime2 NOT NULL");
    expect(ddl).not.toMatch(/\btext\b/i);
    expect(ddl).not.toMatch(/\bdatetime\b(?!2)/i);
    expect(ddl).not.toMatch(/\bboolean\b/i);
    // No table has a boolean column yet; the type every future one gets:
    expect(columnTypes("mssql").boolean).toEqual({ type: "bit" });
    // Identifiers compare exactly, as in the product (case-sensitive): a binary collation.
    expect(ddl).toContain(`"identifier" nvarchar(442) COLLATE Latin1_General_100_BIN2 NOT NULL`);
  });

  it("runs the lease protocol with these statements", async () => {
    await expect(await leaseSql()).toMatchFileSnapshot("./snapshots/mssql-lease.sql");
  });
});

/**
 * Bulk writes as named prepared statements where the database profits (DialectProfile.runNamed:
 * PostgreSQL). A multi-row INSERT of thousands of placeholders sent unnamed is parsed and planned by
 * the server on every batch; named, once per connection. The name is a digest of the text, so that
 * one name never stands for two texts (pg refuses that) and each pooled connection prepares it on
 * its first use. Only full-size batches are named: a bulk write's last, shorter batch has a text of
 * its own that would rarely be seen again.
 */
import { hash } from "node:crypto";
import type { EntityManager } from "typeorm";
import { profileOfDriver } from "./dialects/index.js";
import { chunks, run, type Statement } from "./statements.js";

/** The prepared statement's name for a text: "idm_" and 40 hex digits of its SHA-256 (within PostgreSQL's 63 bytes). */
export function statementName(sql: string): string {
  return `idm_${hash("sha256", sql, "hex").slice(0, 40)}`;
}

/** Runs the statement as a named prepared statement on the manager's connection, or as a plain one (no such statements, or no connection held). */
export async function runNamed(m: EntityManager, statement: Statement): Promise<void> {
  const named = profileOfDriver(m.connection.driver).runNamed;
  const runner = m.queryRunner;
  if (named === undefined || runner === undefined || runner.isReleased) return run(m, statement);
  await named(await runner.connect(), statementName(statement.sql), statement.sql, statement.parameters);
}

/**
 * Runs one statement text once per parameter set (`build`'s) as a prepared statement where the dialect
 * runs them in process (DialectProfile.runEach); returns false, having built and run nothing, where it
 * does not (or no connection is held): the caller then writes the rows its own way.
 */
export async function runEach(m: EntityManager, build: () => { sql: string; parameterSets: readonly unknown[][] }): Promise<boolean> {
  const each = profileOfDriver(m.connection.driver).runEach;
  const runner = m.queryRunner;
  if (each === undefined || runner === undefined || runner.isReleased) return false;
  const { sql, parameterSets } = build();
  each(await runner.connect(), statementName(sql), sql, parameterSets);
  return true;
}

/**
 * Loads rows through the dialect's bulk path (DialectProfile.copyRows) where it has one; returns
 * false, having built and sent nothing, where it has none (or no connection is held): the caller then
 * inserts the rows its own way.
 */
export async function copyRows(m: EntityManager, build: () => { table: string; columns: string[]; values: unknown[] }): Promise<boolean> {
  const copy = profileOfDriver(m.connection.driver).copyRows;
  const runner = m.queryRunner;
  if (copy === undefined || runner === undefined || runner.isReleased) return false;
  const { table, columns, values } = build();
  await copy(await runner.connect(), table, columns, values);
  return true;
}

/** Writes `items` in statements of `size` rows: each full batch named, the last, shorter one plain; `afterBatch` after each. */
export async function runInBatches<T>(
  m: EntityManager, items: readonly T[], size: number, statementOf: (batch: T[]) => Statement, afterBatch?: () => void | Promise<void>,
): Promise<void> {
  for (const batch of chunks(items, size)) {
    await (batch.length === size ? runNamed : run)(m, statementOf(batch));
    await afterBatch?.();
  }
}

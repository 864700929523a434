/** Raw statements built with the driver's quoting, for the writes where QueryBuilder costs too much. */
import type { EntityManager } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata.js";
import type { Driver } from "typeorm/driver/Driver.js";
import { DIALECTS, profileOfDriver, type Dialect } from "./dialects/index.js";

/** Rows per statement of `columns` bound parameters each, within the dialect's parameter limit. */
export function batchSize(dialect: Dialect, columns: number): number {
  return Math.max(1, Math.floor(DIALECTS[dialect].maxParameters / columns));
}

/** Rows per multi-row INSERT of `columns` columns (bulkInsert). */
export function insertBatchSize(dialect: Dialect, columns: number): number {
  return DIALECTS[dialect].arrayInsertRows ?? batchSize(dialect, columns);
}

/** A list cut into pieces of at most `size` (ids within a statement's parameter limit). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

export interface Statement {
  sql: string;
  parameters: unknown[];
}

/** A value as its column wants it, typed for the driver, as TypeORM's own statements bind it. */
export function columnParameter(driver: Driver, column: ColumnMetadata, value: unknown): unknown {
  const prepared: unknown = driver.preparePersistentValue(value, column);
  return profileOfDriver(driver).bindValue(driver, column, prepared);
}

/**
 * A multi-row INSERT written with the driver's own quoting and placeholders (on PostgreSQL, one
 * array per column: see DialectProfile.arrayInsertRows). QueryBuilder's parameter bookkeeping costs
 * more per value than the database does, and a cold deploy inserts two rows (item and revision) per item.
 */
export function bulkInsert<Row extends object>(m: EntityManager, entity: string, rows: Row[]): Statement {
  const driver = m.connection.driver;
  const metadata = m.connection.getMetadata(entity);
  const columns = metadata.columns.filter((c) => !c.isGenerated && c.propertyName in rows[0]!);
  const table = driver.escape(metadata.tableName);
  const names = columns.map((c) => driver.escape(c.databaseName)).join(", ");
  if (profileOfDriver(driver).arrayInsertRows !== undefined) {
    const arrays = columns.map((c) => rows.map((row) => columnParameter(driver, c, (row as Record<string, unknown>)[c.propertyName])));
    const unnest = columns.map((c, i) => `${driver.createParameter(`p${i}`, i)}::${driver.normalizeType(c)}[]`).join(", ");
    return { sql: `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})`, parameters: arrays };
  }
  const parameters: unknown[] = [];
  const tuples = rows.map((row) => {
    const values = columns.map((c) => {
      parameters.push(columnParameter(driver, c, (row as Record<string, unknown>)[c.propertyName]));
      return driver.createParameter(`p${parameters.length - 1}`, parameters.length - 1);
    });
    return `(${values.join(", ")})`;
  });
  return { sql: `INSERT INTO ${table} (${names}) VALUES ${tuples.join(", ")}`, parameters };
}

export async function run(m: EntityManager, statement: Statement): Promise<void> {
  await m.query(statement.sql, statement.parameters);
}

/**
 * `UPDATE … SET … WHERE id = ?` with every value bound: the same text for the same columns, so the
 * driver's prepared statement is reused (QueryBuilder writes some values into the text instead).
 */
export function updateById<Row extends object>(m: EntityManager, entity: string, id: number, set: Partial<Row>): Statement {
  const driver = m.connection.driver;
  const metadata = m.connection.getMetadata(entity);
  const parameters: unknown[] = [];
  const parameter = (value: unknown, column: (typeof metadata.columns)[number]) => {
    parameters.push(columnParameter(driver, column, value));
    return driver.createParameter(`p${parameters.length - 1}`, parameters.length - 1);
  };
  const assignments = metadata.columns
    .filter((c) => c.propertyName in set)
    .map((c) => `${driver.escape(c.databaseName)} = ${parameter((set as Record<string, unknown>)[c.propertyName], c)}`);
  const key = metadata.primaryColumns[0]!;
  const where = `${driver.escape(key.databaseName)} = ${parameter(id, key)}`;
  return { sql: `UPDATE ${driver.escape(metadata.tableName)} SET ${assignments.join(", ")} WHERE ${where}`, parameters };
}

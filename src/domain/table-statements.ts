/**
 * Statements against one entity's table written with the driver's quoting and placeholders, every
 * value bound with its column's type (store/statements.ts' columnParameter): the resource store's
 * writes and the held-change transitions (blocked-changes.ts) are built here, so the SQL Server
 * snapshot tests print what runs. Why not QueryBuilder: domain/resources/resource-queries.ts.
 */
import type { Driver, EntityManager, EntityMetadata } from "typeorm";
import { batchSize, columnParameter, type Statement } from "../store/statements.js";
import { dialectOfDriver } from "../store/dialects/index.js";
import { copyRows, runInBatches } from "../store/prepared-statements.js";

type ColumnMetadata = EntityMetadata["columns"][number];

/** Builds one statement against one entity's table: quoted names, and values bound with their column's type. */
export class TableWriter {
  readonly parameters: unknown[] = [];
  private readonly metadata: EntityMetadata;
  private readonly driver: Driver;

  constructor(m: EntityManager, entity: string) {
    this.driver = m.connection.driver;
    this.metadata = m.connection.getMetadata(entity);
  }

  get table(): string {
    return this.driver.escape(this.metadata.tableName);
  }

  private columnOf(property: string): ColumnMetadata {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (column === undefined) throw new Error(`${this.metadata.name} has no property ${property}`);
    return column;
  }

  /** A property's column, for convert(). */
  metadataOf(property: string): ColumnMetadata {
    return this.columnOf(property);
  }

  /** A value converted and typed as its column wants, without a placeholder (insertRows numbers its own). */
  convert(column: ColumnMetadata, value: unknown): unknown {
    return columnParameter(this.driver, column, value);
  }

  /** The driver's placeholder for parameter `index` (from 0). */
  placeholder(index: number): string {
    return this.driver.createParameter(`p${index}`, index);
  }

  /** A name quoted as the driver quotes identifiers (an alias). */
  quote(name: string): string {
    return this.driver.escape(name);
  }

  /** The quoted column name of a property. */
  column(property: string): string {
    return this.driver.escape(this.columnOf(property).databaseName);
  }

  /** The database type of a property's column, for a CAST. */
  typeOf(property: string): string {
    return this.driver.normalizeType(this.columnOf(property));
  }

  /** A placeholder for the value, converted and typed as its column wants. */
  bind(property: string, value: unknown): string {
    this.parameters.push(columnParameter(this.driver, this.columnOf(property), value));
    return this.driver.createParameter(`p${this.parameters.length - 1}`, this.parameters.length - 1);
  }

  /** `"col" IN (@0, @1, …)`; never called with an empty list. */
  in(property: string, values: readonly unknown[]): string {
    if (values.length === 0) throw new Error(`empty IN list for ${property}`);
    return `${this.column(property)} IN (${values.map((v) => this.bind(property, v)).join(", ")})`;
  }

  /** `"a" = @0 AND "b" = @1`, in the order of `equal`'s keys. */
  equal(equal: Readonly<Record<string, unknown>>): string {
    return Object.entries(equal).map(([property, value]) => `${this.column(property)} = ${this.bind(property, value)}`).join(" AND ");
  }

  statement(sql: string): Statement {
    return { sql, parameters: this.parameters };
  }
}

/** The texts of recent multi-row INSERTs: a bulk write's full batches all have the same. */
const INSERT_TEXTS = new Map<string, string>();

/**
 * `INSERT INTO t (…) VALUES (…), (…)`: the columns of the first row, every value bound with its type.
 * A generated column (an identity id) is left to the database; an id the table does not generate is written.
 */
export function insertRows<Row extends object>(m: EntityManager, entity: string, rows: readonly Row[]): Statement {
  const w = new TableWriter(m, entity);
  const { properties, parameters } = boundRows(m, w, entity, rows);
  const key = `${m.connection.driver.options.type}\u0000${entity}\u0000${properties.join(",")}\u0000${rows.length}`;
  let sql = INSERT_TEXTS.get(key);
  if (sql === undefined) {
    const tuples = rows.map((_, r) => `(${properties.map((_, c) => w.placeholder(r * properties.length + c)).join(", ")})`);
    sql = `INSERT INTO ${w.table} (${properties.map((p) => w.column(p)).join(", ")}) VALUES ${tuples.join(", ")}`;
    if (INSERT_TEXTS.size >= 64) INSERT_TEXTS.delete(INSERT_TEXTS.keys().next().value!);
    INSERT_TEXTS.set(key, sql);
  }
  return { sql, parameters };
}

/**
 * Inserts every row by the fastest path the database has: its bulk path where it has one
 * (PostgreSQL's COPY, one for all the rows), otherwise multi-row INSERTs of as many rows as the
 * parameter limit allows, each full one named. `afterBatch` after each statement.
 */
export async function insertAll<Row extends object>(
  m: EntityManager, entity: string, rows: readonly Row[], afterBatch?: () => void | Promise<void>,
): Promise<void> {
  if (rows.length === 0) return;
  const copied = await copyRows(m, () => {
    const w = new TableWriter(m, entity);
    const { properties, parameters } = boundRows(m, w, entity, rows);
    return { table: w.table, columns: properties.map((p) => w.column(p)), values: parameters };
  });
  if (copied) {
    await afterBatch?.();
    return;
  }
  const width = insertedProperties(m, entity, rows).length;
  await runInBatches(m, rows, batchSize(dialectOfDriver(m.connection.driver.options.type), width), (batch) => insertRows(m, entity, batch), afterBatch);
}

/** The properties of the rows that an INSERT writes: all but the generated ones (ids). */
function insertedProperties(m: EntityManager, entity: string, rows: readonly object[]): string[] {
  const generated = new Set(m.connection.getMetadata(entity).columns.filter((c) => c.isGenerated).map((c) => c.propertyName));
  return Object.keys(rows[0]!).filter((p) => !generated.has(p));
}

/** The rows' inserted properties, and their values row after row, each converted as its column binds it. */
function boundRows(m: EntityManager, w: TableWriter, entity: string, rows: readonly object[]): { properties: string[]; parameters: unknown[] } {
  if (rows.length === 0) throw new Error(`no ${entity} rows to insert`);
  const properties = insertedProperties(m, entity, rows);
  // Column metadata found once per statement, not once per value: bulk writes bind millions.
  const columns = properties.map((p) => w.metadataOf(p));
  const parameters: unknown[] = new Array(rows.length * properties.length);
  // A column's value is often the same in every row (a write's date, its job instance): converted once.
  const last = properties.map((): { value: unknown; converted: unknown } => ({ value: undefined, converted: undefined }));
  let n = 0;
  for (const row of rows) {
    for (let c = 0; c < properties.length; c++) {
      const value = (row as Record<string, unknown>)[properties[c]!];
      const seen = last[c]!;
      if (value !== seen.value || n < properties.length) {
        seen.value = value;
        seen.converted = w.convert(columns[c]!, value);
      }
      parameters[n++] = seen.converted;
    }
  }
  return { properties, parameters };
}

/** `UPDATE t SET … WHERE <where>`: the same text for the same properties, so prepared statements are reused. */
export function updateWhere<Row extends object>(m: EntityManager, entity: string, set: Partial<Row>, where: (w: TableWriter) => string): Statement {
  const w = new TableWriter(m, entity);
  const assignments = Object.entries(set).filter(([, v]) => v !== undefined).map(([p, v]) => `${w.column(p)} = ${w.bind(p, v)}`);
  if (assignments.length === 0) throw new Error(`nothing to set in ${entity}`);
  return w.statement(`UPDATE ${w.table} SET ${assignments.join(", ")} WHERE ${where(w)}`);
}

export function deleteByIds(m: EntityManager, entity: string, ids: readonly number[]): Statement {
  const w = new TableWriter(m, entity);
  return w.statement(`DELETE FROM ${w.table} WHERE ${w.in("id", ids)}`);
}

/**
 * Statements against one entity's table written with the driver's quoting and placeholders, every
 * value bound with its column's type (store/statements.ts' columnParameter): the resource store's
 * writes and the held-change transitions (blocked-changes.ts) are built here, so the SQL Server
 * snapshot tests print what runs. Why not QueryBuilder: domain/resources/resource-queries.ts.
 */
import type { Driver, EntityManager, EntityMetadata } from "typeorm";
import { columnParameter, type Statement } from "../store/statements.js";

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

  /** The quoted column name of a property. */
  column(property: string): string {
    return this.driver.escape(this.columnOf(property).databaseName);
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

/**
 * `INSERT INTO t (…) VALUES (…), (…)`: the columns of the first row, every value bound with its type.
 * A generated column (an identity id) is left to the database; an id the table does not generate is written.
 */
export function insertRows<Row extends object>(m: EntityManager, entity: string, rows: readonly Row[]): Statement {
  if (rows.length === 0) throw new Error(`no ${entity} rows to insert`);
  const w = new TableWriter(m, entity);
  const generated = new Set(m.connection.getMetadata(entity).columns.filter((c) => c.isGenerated).map((c) => c.propertyName));
  const properties = Object.keys(rows[0]!).filter((p) => !generated.has(p));
  const tuples = rows.map((row) => `(${properties.map((p) => w.bind(p, (row as Record<string, unknown>)[p])).join(", ")})`);
  return w.statement(`INSERT INTO ${w.table} (${properties.map((p) => w.column(p)).join(", ")}) VALUES ${tuples.join(", ")}`);
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

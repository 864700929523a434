/**
 * The set-based statements of the tasks that derive state from the resource store after a
 * synchronization: SetRecentlyModifiedFlagTask (dirty marks from the applied change rows) and
 * ResetValidFromTask (the first version of every resource valid from year 1). Each is one UPDATE or
 * DELETE over a keyset range of ids, however many rows it touches, so that the work scales with the
 * database rather than with round trips. The SQL Server snapshot test prints these same statements.
 *
 * Values are bound with their column's type (store/statements.ts columnParameter), as
 * resource-queries.ts does: year 1 cannot travel as SQL Server's legacy datetime, nor as a local-time
 * Date to PostgreSQL, and SQLite compares the text TypeORM writes for a Date.
 */
import type { Driver, EntityManager, EntityMetadata, QueryRunner, SelectQueryBuilder } from "typeorm";
import { ENTITY, type ResourceChangeRow } from "../../store/entities.js";
import { columnParameter, type Statement } from "../../store/statements.js";

type ChangeEntity = typeof ENTITY.resourceChange | typeof ENTITY.resourceLinkChange;
type Entity = (typeof ENTITY)[keyof typeof ENTITY];

/** ResetValidFromTask's date, the first day of year 1, UTC ("0001-01-01 00:00:00.00" in the reference). */
export const YEAR_ONE = new Date("0001-01-01T00:00:00.000Z");

/**
 * The state SetRecentlyModifiedFlagTask gives the applied rows it takes, inside its transaction only:
 * the rows it flags and deletes are exactly the rows it claimed, even when a synchronization commits
 * more applied rows in between. Never committed: the same transaction deletes them.
 */
export const CLAIMED = "flagging";

/** A range of ids: after `after`, up to and including `upto` (no upper bound when undefined). */
export interface IdRange {
  after: number;
  upto: number | undefined;
}

/** One statement over several tables: quoted names, one parameter sequence, values typed by their column. */
class Sql {
  readonly parameters: unknown[] = [];
  private readonly driver: Driver;

  constructor(private readonly m: EntityManager) {
    this.driver = m.connection.driver;
  }

  private metadata(entity: Entity): EntityMetadata {
    return this.m.connection.getMetadata(entity);
  }

  private columnOf(entity: Entity, property: string): EntityMetadata["columns"][number] {
    const column = this.metadata(entity).findColumnWithPropertyName(property);
    if (column === undefined) throw new Error(`${entity} has no property ${property}`);
    return column;
  }

  table(entity: Entity): string {
    return this.driver.escape(this.metadata(entity).tableName);
  }

  /** The quoted column, qualified by `alias` (an alias, or the quoted table name) when given. */
  column(entity: Entity, property: string, alias?: string): string {
    const name = this.driver.escape(this.columnOf(entity, property).databaseName);
    return alias === undefined ? name : `${alias}.${name}`;
  }

  bind(entity: Entity, property: string, value: unknown): string {
    this.parameters.push(columnParameter(this.driver, this.columnOf(entity, property), value));
    return this.driver.createParameter(`p${this.parameters.length - 1}`, this.parameters.length - 1);
  }

  /** `id > @a AND id <= @b`, the upper bound left out for the last range. */
  range(entity: Entity, range: IdRange, alias?: string): string {
    const id = this.column(entity, "id", alias);
    const lower = `${id} > ${this.bind(entity, "id", range.after)}`;
    return range.upto === undefined ? lower : `${lower} AND ${id} <= ${this.bind(entity, "id", range.upto)}`;
  }

  statement(sql: string): Statement {
    return { sql, parameters: this.parameters };
  }
}

/**
 * The id that ends the next range of `size` rows after `after` (the size-th id), or undefined when
 * fewer are left: the last range then has no upper bound. One row read, whatever the size.
 */
function nthId(query: SelectQueryBuilder<object>, alias: string, after: number, size: number): SelectQueryBuilder<object> {
  return query.select(`${alias}.id`, "id").andWhere(`${alias}.id > :after`, { after }).orderBy(`${alias}.id`, "ASC").offset(size - 1).limit(1);
}

/** Runs a statement on the runner (in its transaction, if any) and returns the number of rows it changed. */
export async function execute(runner: QueryRunner, statement: Statement): Promise<number> {
  const result = await runner.query(statement.sql, statement.parameters, true);
  return result.affected ?? 0;
}

// ---------------------------------------------------------------------------------------------
// SetRecentlyModifiedFlagTask

/** Where the next range of applied change rows ends (see nthId). */
export function selectAppliedChangeBound(m: EntityManager, entity: ChangeEntity, after: number, size: number): SelectQueryBuilder<object> {
  return nthId(m.createQueryBuilder<ResourceChangeRow>(entity, "c").where("c.state = :state", { state: "applied" }), "c", after, size);
}

/** Takes the applied change rows of a range (state CLAIMED, see above). */
export function claimAppliedChanges(m: EntityManager, entity: ChangeEntity, range: IdRange): Statement {
  const s = new Sql(m);
  return s.statement(`UPDATE ${s.table(entity)} SET ${s.column(entity, "state")} = ${s.bind(entity, "state", CLAIMED)}` +
    ` WHERE ${s.column(entity, "state")} = ${s.bind(entity, "state", "applied")} AND ${s.range(entity, range)}`);
}

/**
 * The ids of the current resources a range of claimed change rows names, by entity type and source
 * key: an applied insert does not record the id it got, a key names one resource at most, and a
 * resource deleted since has no row to join (nothing to flag). Driven from the change rows, through
 * the unique (entity_type, source_key) index, so the cost follows the changes, not the resources.
 */
function claimedEnds(s: Sql, entity: ChangeEntity, range: IdRange, ends: [entityType: string, sourceKey: string][]): string {
  const r = ENTITY.resource;
  return ends.map(([entityType, sourceKey]) =>
    `SELECT ${s.column(r, "id", "r")} FROM ${s.table(entity)} c INNER JOIN ${s.table(r)} r` +
    ` ON ${s.column(r, "entityType", "r")} = ${s.column(entity, entityType, "c")} AND ${s.column(r, "sourceKey", "r")} = ${s.column(entity, sourceKey, "c")}` +
    ` WHERE ${s.column(entity, "state", "c")} = ${s.bind(entity, "state", CLAIMED)} AND ${s.range(entity, range, "c")}`,
  ).join(" UNION ALL ");
}

/**
 * Sets dirty on the resources named by a range of claimed change rows: a resource change's resource,
 * both ends of a link change. Those already dirty are not written again, so the count is of the
 * resources this run marked.
 */
export function flagClaimedChanges(m: EntityManager, entity: ChangeEntity, range: IdRange): Statement {
  const s = new Sql(m);
  const r = ENTITY.resource;
  const ends: [string, string][] = entity === ENTITY.resourceChange
    ? [["entityType", "sourceKey"]]
    : [["fromEntityType", "fromSourceKey"], ["toEntityType", "toSourceKey"]];
  // Bound in the order they appear: SQLite's placeholders are positional.
  const set = `${s.column(r, "dirty")} = ${s.bind(r, "dirty", true)}`;
  const notYet = `${s.column(r, "dirty")} = ${s.bind(r, "dirty", false)}`;
  return s.statement(`UPDATE ${s.table(r)} SET ${set} WHERE ${notYet} AND ${s.column(r, "id")} IN (${claimedEnds(s, entity, range, ends)})`);
}

/** Deletes the claimed change rows of a range (after flagClaimedChanges, in the same transaction). */
export function deleteClaimedChanges(m: EntityManager, entity: ChangeEntity, range: IdRange): Statement {
  const s = new Sql(m);
  return s.statement(`DELETE FROM ${s.table(entity)} WHERE ${s.column(entity, "state")} = ${s.bind(entity, "state", CLAIMED)} AND ${s.range(entity, range)}`);
}

// ---------------------------------------------------------------------------------------------
// ResetValidFromTask

/** Where the next range of archived versions ends (see nthId). */
export function selectHistoryBound(m: EntityManager, after: number, size: number): SelectQueryBuilder<object> {
  return nthId(m.createQueryBuilder(ENTITY.resourceHistory, "h"), "h", after, size);
}

/** Where the next range of current resources ends (see nthId). */
export function selectResourceBound(m: EntityManager, after: number, size: number): SelectQueryBuilder<object> {
  return nthId(m.createQueryBuilder(ENTITY.resource, "r"), "r", after, size);
}

/**
 * In a range of archived versions, sets valid_from to year 1 on those that are their resource's
 * first: the start of its chain (no previous_id), which is also its earliest (versions are chained
 * in the order they are archived). A deleted resource's versions count: its history outlives it.
 * Rows already at year 1 are left out, so a second run changes nothing.
 */
export function resetFirstArchivedVersions(m: EntityManager, range: IdRange): Statement {
  const s = new Sql(m);
  const h = ENTITY.resourceHistory;
  // Bound in the order they appear: SQLite's placeholders are positional.
  const set = `${s.column(h, "validFrom")} = ${s.bind(h, "validFrom", YEAR_ONE)}`;
  const inRange = s.range(h, range);
  const changed = `${s.column(h, "validFrom")} <> ${s.bind(h, "validFrom", YEAR_ONE)}`;
  return s.statement(`UPDATE ${s.table(h)} SET ${set} WHERE ${inRange} AND ${changed} AND ${s.column(h, "previousId")} IS NULL`);
}

/** In a range of current resources, sets valid_from to year 1 on those without archived versions (their only version). */
export function resetUnarchivedResources(m: EntityManager, range: IdRange): Statement {
  const s = new Sql(m);
  const r = ENTITY.resource;
  const set = `${s.column(r, "validFrom")} = ${s.bind(r, "validFrom", YEAR_ONE)}`;
  const inRange = s.range(r, range);
  const changed = `${s.column(r, "validFrom")} <> ${s.bind(r, "validFrom", YEAR_ONE)}`;
  return s.statement(`UPDATE ${s.table(r)} SET ${set} WHERE ${inRange} AND ${changed} AND ${s.column(r, "historyId")} IS NULL`);
}

/**
 * Every statement of the resource store, as QueryBuilders or driver-quoted statements: the
 * synchronizer runs them and the SQL Server snapshot test prints them, so what is reviewed offline
 * is what runs. Tables and the reasons for their shape: store/migrations/0003-resource-store.ts.
 *
 * The writes are statements written here rather than store/statements.ts' bulkInsert/updateById,
 * because they bind every value with its column's type: on SQL Server a bare Date is sent as
 * `datetime` (1753 onwards, 1/300 s), which cannot carry ValidFrom 0001-01-01 into a datetime2
 * column; and on PostgreSQL pg writes a Date in the local time zone with a whole-minute offset, which
 * shifts dates before the zone's first standard time (the local mean time of 0001-01-01 in Paris is
 * +00:09:21). Dates therefore go to PostgreSQL as UTC ISO text, and to SQL Server typed datetime2.
 *
 * Lists of ids or keys are bound one parameter each: callers keep them within
 * `batchSize(dialect, n)` (SQL Server takes 2,100 parameters per statement). Multi-row inserts too.
 */
import type { EntityManager, InsertQueryBuilder, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { ENTITY, type DeletedResourceRow, type ResourceChangeRow, type ResourceHistoryRow, type ResourceLinkChangeRow, type ResourceLinkHistoryRow, type ResourceLinkRow, type ResourceRow, type SynchronizationRow } from "../../store/entities.js";
import { countQuery, moveByIdsStatement, moveStatement, removeStatement, type HeldChangeQueue } from "../blocked-changes.js";
import { deleteByIds, insertRows, TableWriter, updateWhere as update } from "../table-statements.js";
import { type ChangeState } from "../vocabulary.js";
import type { Statement } from "../../store/statements.js";
import { profileOfDriver } from "../../store/dialects/index.js";

type ChangeEntity = typeof ENTITY.resourceChange | typeof ENTITY.resourceLinkChange;

// ---------------------------------------------------------------------------------------------
// Resources

export type NewResource = Omit<ResourceRow, "id" | "historyId">;

/** Bound columns per row of the multi-row INSERTs below: one statement holds maxParameters / columns rows. */
export const INSERT_COLUMNS = { resources: 9, resourceChanges: 9, links: 5, linkChanges: 12 } as const;
export type InsertTable = keyof typeof INSERT_COLUMNS;

/** A batch of new resources (Initial mode, and the inserts of the other modes). */
export function insertResources(m: EntityManager, rows: readonly NewResource[]): Statement {
  return insertRows(m, ENTITY.resource, rows);
}

export type ResourceKey = Pick<ResourceRow, "id" | "sourceKey" | "hash">;

/**
 * One page of an entity type's resources in source key order, after `after` (keyset pagination: each
 * page is an index range scan, whatever the depth): id, key and hash only, what a Complete diff compares.
 */
export function selectResourceKeys(m: EntityManager, entityType: string, after: string | undefined, limit: number): SelectQueryBuilder<ResourceRow> {
  return keyPage(m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").select(["r.id", "r.sourceKey", "r.hash"]), entityType, after, limit);
}

/** The same pages with every column. */
export function selectResources(m: EntityManager, entityType: string, after: string | undefined, limit: number): SelectQueryBuilder<ResourceRow> {
  return keyPage(m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r"), entityType, after, limit);
}

function keyPage(query: SelectQueryBuilder<ResourceRow>, entityType: string, after: string | undefined, limit: number): SelectQueryBuilder<ResourceRow> {
  query.where("r.entityType = :entityType", { entityType });
  if (after !== undefined) query.andWhere("r.sourceKey > :after", { after });
  return query.orderBy("r.sourceKey", "ASC").limit(limit);
}

export function selectResourcesByIds(m: EntityManager, ids: readonly number[]): SelectQueryBuilder<ResourceRow> {
  return m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").where("r.id IN (:...ids)", { ids }).orderBy("r.id");
}

/** Only the stored properties of these resources, as raw rows `{ id, properties }`: no entity is built per row. */
export function selectPropertiesByIds(m: EntityManager, ids: readonly number[]): SelectQueryBuilder<ResourceRow> {
  return m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").select("r.id", "id").addSelect("r.properties", "properties").where("r.id IN (:...ids)", { ids });
}

/**
 * Resolves source keys to resource ids, with the hash an incremental change is compared with (links,
 * incremental changes): raw rows `{ id, sourceKey, hash }` (and `properties`, for an Incremental
 * synchronization that applies: its new versions keep the stored computed properties), written by hand because an incremental
 * run resolves every changed key (QueryBuilder's expansion of a list of keys and its entities cost
 * more than the lookup).
 */
export function selectResourceIdsByKeys(m: EntityManager, entityType: string, keys: readonly string[], withProperties = false): Statement {
  const w = new TableWriter(m, ENTITY.resource);
  const selected = withProperties ? (["id", "sourceKey", "hash", "properties"] as const) : (["id", "sourceKey", "hash"] as const);
  const columns = selected.map((p) => `${w.column(p)} AS ${w.quote(p)}`).join(", ");
  return w.statement(`SELECT ${columns} FROM ${w.table} WHERE ${w.column("entityType")} = ${w.bind("entityType", entityType)} AND ${w.in("sourceKey", keys)}`);
}

/** Current resources per entity type: the base of the percentage thresholds, and Initial mode's "nothing stored yet". */
export function countResources(m: EntityManager, entityTypes: readonly string[]): SelectQueryBuilder<ResourceRow> {
  return m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").select("r.entityType", "entityType").addSelect("COUNT(*)", "count")
    .where("r.entityType IN (:...entityTypes)", { entityTypes }).groupBy("r.entityType");
}

/**
 * Archives the current versions of these resources: copies each into idm_resource_history with
 * `validTo`, chained to the version archived before it (the resource's history_id), and returns each
 * new row's id with its resource_id (ArchivedVersion): updateResource then writes the new version with
 * history_id pointing at it (or deleteResources removes the resource, recordDeletedResources keeping
 * where its history ends), in the same transaction.
 */
export function archiveResources(m: EntityManager, ids: readonly number[], validTo: Date, archivedBy: number | null): Statement {
  const h = new TableWriter(m, ENTITY.resourceHistory);
  const r = new TableWriter(m, ENTITY.resource);
  const copied = ["entityType", "connector", "sourceKey", "hash", "validFrom", "changedByJobInstance", "properties"] as const;
  const target = ["resourceId", ...copied, "previousId", "validTo", "archivedByJobInstance"].map((p) => h.column(p));
  // Both writers number their placeholders from 0: one statement needs one sequence, so h binds everything.
  const source = [r.column("id"), ...copied.map((p) => r.column(p)), r.column("historyId"), h.bind("validTo", validTo), h.bind("archivedByJobInstance", archivedBy)];
  const where = `${r.column("id")} IN (${ids.map((id) => h.bind("resourceId", id)).join(", ")})`;
  const profile = profileOfDriver(m.connection.driver);
  return h.statement(profile.insertReturning(h.table, target, `SELECT ${source.join(", ")} FROM ${r.table} WHERE ${where}`, [h.column("id"), h.column("resourceId")]));
}

/** A row archiveResources returned, as each driver names and types it. */
export interface ArchivedVersion {
  id: number | string;
  resource_id: number | string;
}

/** Where deleted resources' histories end (resource id → its last archived version), written before they are deleted. */
export function recordDeletedResources(m: EntityManager, rows: readonly DeletedResourceRow[]): Statement {
  return insertRows(m, ENTITY.deletedResource, rows);
}

/**
 * For resources deleted without history: their last archived version, when they have one, is where
 * their history ends (recordDeletedResources when the deletion archives).
 */
export function recordUnarchivedDeletions(m: EntityManager, ids: readonly number[]): Statement {
  const d = new TableWriter(m, ENTITY.deletedResource);
  const r = new TableWriter(m, ENTITY.resource);
  const where = `${r.column("id")} IN (${ids.map((id) => d.bind("resourceId", id)).join(", ")}) AND ${r.column("historyId")} IS NOT NULL`;
  return d.statement(`INSERT INTO ${d.table} (${d.column("resourceId")}, ${d.column("historyId")}) SELECT ${r.column("id")}, ${r.column("historyId")} FROM ${r.table} WHERE ${where}`);
}

export type ResourceVersion = Pick<ResourceRow, "properties" | "hash" | "validFrom" | "changedByJobInstance"> & Partial<Pick<ResourceRow, "dirty">>;

/**
 * A resource's new properties, for updateResourceVersions, and their hash; without one the hash is
 * left as it is (computed values do not change the hash of the synchronized properties). historyId:
 * the version archiveResources just archived, absent when nothing was archived.
 */
export type VersionContent = Pick<ResourceRow, "id" | "properties"> & { hash?: string; historyId?: number | null };

/** What a batch of versions writes of its own: properties, and hash and historyId when they carry them (all or none do). */
function versionColumns(versions: readonly VersionContent[]): Array<"properties" | "hash" | "historyId"> {
  return (["properties", "hash", "historyId"] as const).filter((property) => property === "properties" || versions[0]?.[property] !== undefined);
}

/**
 * New versions of several resources in one statement (after archiveResources): a CASE on the id
 * picks each one's properties (and hash, and history_id); the other columns are the same for all.
 * Standard SQL on the three databases, and one statement instead of one per resource. Versions
 * either all carry a hash (a historyId) or none does.
 */
export function updateResourceVersions(
  m: EntityManager, versions: readonly VersionContent[], common: Omit<ResourceVersion, "properties" | "hash">,
): Statement {
  const w = new TableWriter(m, ENTITY.resource);
  const id = w.column("id");
  const pick = (property: "properties" | "hash" | "historyId") =>
    `CASE ${id} ${versions.map((v) => `WHEN ${w.bind("id", v.id)} THEN ${w.bind(property, v[property])}`).join(" ")} END`;
  // A CASE of bare parameters is typed as text: the integer column's is cast.
  const assignments = versionColumns(versions).map((p) => `${w.column(p)} = ${p === "historyId" ? `CAST(${pick(p)} AS ${w.typeOf(p)})` : pick(p)}`);
  for (const [property, value] of Object.entries(common)) if (value !== undefined) assignments.push(`${w.column(property)} = ${w.bind(property, value)}`);
  return w.statement(`UPDATE ${w.table} SET ${assignments.join(", ")} WHERE ${w.in("id", versions.map((v) => v.id))}`);
}

/**
 * The same new versions as updateResourceVersions, joined from a VALUES list of (id, properties[,
 * hash][, history_id]) where the dialect has UPDATE … FROM (PostgreSQL): the list is parsed once
 * whatever its length and the statement can be prepared, where the CASE form's WHENs were parsed,
 * planned and scanned for each of its rows (10,000 versions: 570 ms in CASE statements of 200).
 */
export function updateResourceVersionsFromValues(
  m: EntityManager, versions: readonly VersionContent[], common: Omit<ResourceVersion, "properties" | "hash">,
): Statement {
  const updateFrom = profileOfDriver(m.connection.driver).updateFromValues;
  if (updateFrom === undefined) throw new Error(`${m.connection.driver.options.type} has no UPDATE … FROM (VALUES …)`);
  const w = new TableWriter(m, ENTITY.resource);
  const own = versionColumns(versions);
  const source = w.quote("v");
  const assignments = own.map((p) => `${w.column(p)} = ${source}.${w.column(p)}`);
  for (const [property, value] of Object.entries(common)) if (value !== undefined) assignments.push(`${w.column(property)} = ${w.bind(property, value)}`);
  // The first row's casts type the list's columns; the other rows' parameters take those types.
  const listed = ["id", ...own] as const;
  const rows = versions.map((v, i) => `(${listed.map((p) => (i === 0 ? `CAST(${w.bind(p, v[p])} AS ${w.typeOf(p)})` : w.bind(p, v[p]))).join(", ")})`);
  const columns = listed.map((p) => w.column(p));
  return w.statement(updateFrom(w.table, assignments.join(", "), rows.join(", "), source, columns, `${w.table}.${w.column("id")} = ${source}.${w.column("id")}`));
}

/**
 * The same new versions as updateResourceVersions, as one single-row UPDATE and each version's
 * parameters (for store/prepared-statements.ts' runEach, on SQLite): there a prepared statement costs
 * no round trip, and a CASE of 200 WHENs is evaluated for every row written (1,000 versions: 13 ms
 * with the CASE, under 4 ms one by one).
 */
export function updateResourceVersionEach(
  m: EntityManager, versions: readonly VersionContent[], common: Omit<ResourceVersion, "properties" | "hash">,
): { sql: string; parameterSets: unknown[][] } {
  const w = new TableWriter(m, ENTITY.resource);
  const own = versionColumns(versions);
  const shared = Object.entries(common).filter(([, value]) => value !== undefined);
  const assigned = [...own, ...shared.map(([property]) => property)];
  const sql = `UPDATE ${w.table} SET ${assigned.map((property, i) => `${w.column(property)} = ${w.placeholder(i)}`).join(", ")} WHERE ${w.column("id")} = ${w.placeholder(assigned.length)}`;
  const columns = own.map((property) => [property, w.metadataOf(property)] as const);
  const id = w.metadataOf("id");
  const sharedValues = shared.map(([property, value]) => w.convert(w.metadataOf(property), value));
  const parameterSets = versions.map((v) => [...columns.map(([property, column]) => w.convert(column, v[property])), ...sharedValues, w.convert(id, v.id)]);
  return { sql, parameterSets };
}

/** Removes resources (after archiveResources, and after their links were ended: the foreign keys refuse otherwise). */
export function deleteResources(m: EntityManager, ids: readonly number[]): Statement {
  return deleteByIds(m, ENTITY.resource, ids);
}

/**
 * The ids of a resource's archived versions, newest first: its chain from its history_id (from
 * idm_deleted_resources once it is deleted) through each version's previous_id. Each step goes to
 * a smaller id, so a damaged chain cannot loop.
 */
export function selectHistoryChain(m: EntityManager, resourceId: number): Statement {
  const h = new TableWriter(m, ENTITY.resourceHistory);
  const r = new TableWriter(m, ENTITY.resource);
  const d = new TableWriter(m, ENTITY.deletedResource);
  const [chain, id] = [h.quote("chain"), h.column("id")];
  const current = `SELECT ${r.column("historyId")} FROM ${r.table} WHERE ${r.column("id")} = ${h.bind("resourceId", resourceId)} AND ${r.column("historyId")} IS NOT NULL`;
  const deleted = `SELECT ${d.column("historyId")} FROM ${d.table} WHERE ${d.column("resourceId")} = ${h.bind("resourceId", resourceId)}`;
  const previous = `SELECT ${h.column("previousId")} FROM ${h.table} JOIN ${chain} ON ${h.table}.${id} = ${chain}.${id} WHERE ${h.column("previousId")} < ${h.table}.${id}`;
  const profile = profileOfDriver(m.connection.driver);
  return h.statement(`${profile.withRecursive} ${chain} (${id}) AS (${current} UNION ALL ${deleted} UNION ALL ${previous}) SELECT ${id} FROM ${chain}`);
}

/** Archived versions by id (a stretch of a resource's chain). */
export function selectHistoryByIds(m: EntityManager, ids: readonly number[]): SelectQueryBuilder<ResourceHistoryRow> {
  return m.createQueryBuilder<ResourceHistoryRow>(ENTITY.resourceHistory, "h").where("h.id IN (:...ids)", { ids });
}

// Dirty: incremental synchronization marks what it changed; the Dirty-mode tasks read and clear it.

export function markDirty(m: EntityManager, ids: readonly number[]): Statement {
  return update<ResourceRow>(m, ENTITY.resource, { dirty: true }, (w) => w.in("id", ids));
}

// The dirty rows are found by the partial index IX_idm_resources_dirty (migration 0013): the predicate
// says the dialect's literal true, which every plan can match against the index's (a parameter's
// value is not known to a generic plan).

/** Clears an entity type's marks (when its Dirty-mode tasks are done), or only these resources'. */
export function clearDirty(m: EntityManager, entityType: string, ids?: readonly number[]): Statement {
  const dirty = profileOfDriver(m.connection.driver).trueLiteral;
  return update<ResourceRow>(m, ENTITY.resource, { dirty: false }, (w) =>
    `${w.column("entityType")} = ${w.bind("entityType", entityType)} AND ${w.column("dirty")} = ${dirty}` +
    (ids === undefined ? "" : ` AND ${w.in("id", ids)}`));
}

/** One page of an entity type's dirty resources in id order, after `afterId`. */
export function selectDirtyResources(m: EntityManager, entityType: string, afterId: number, limit: number): SelectQueryBuilder<ResourceRow> {
  const dirty = profileOfDriver(m.connection.driver).trueLiteral;
  return m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").where("r.entityType = :entityType", { entityType })
    .andWhere(`r.dirty = ${dirty}`).andWhere("r.id > :afterId", { afterId }).orderBy("r.id", "ASC").limit(limit);
}

// ---------------------------------------------------------------------------------------------
// Links

export type NewLink = Omit<ResourceLinkRow, "id">;

export function insertLinks(m: EntityManager, rows: readonly NewLink[]): Statement {
  return insertRows(m, ENTITY.resourceLink, rows);
}

export interface LinkPosition {
  fromResourceId: number;
  toResourceId: number;
}

/** One page of an association's links in (from, to) order, after `after` (keyset on the unique index). */
export function selectLinks(m: EntityManager, association: string, after: LinkPosition | undefined, limit: number): SelectQueryBuilder<ResourceLinkRow> {
  const query = m.createQueryBuilder<ResourceLinkRow>(ENTITY.resourceLink, "l").where("l.association = :association", { association });
  // No row-value comparison on SQL Server: (from, to) > (f, t) spelled out.
  if (after !== undefined) {
    query.andWhere("(l.fromResourceId > :from OR (l.fromResourceId = :from AND l.toResourceId > :to))", { from: after.fromResourceId, to: after.toResourceId });
  }
  return query.orderBy("l.fromResourceId", "ASC").addOrderBy("l.toResourceId", "ASC").limit(limit);
}

/** The links from or to these resources: what must be ended before they are deleted. */
export function selectLinksOfResources(m: EntityManager, ids: readonly number[]): SelectQueryBuilder<ResourceLinkRow> {
  return m.createQueryBuilder<ResourceLinkRow>(ENTITY.resourceLink, "l")
    .where("l.fromResourceId IN (:...ids) OR l.toResourceId IN (:...ids)", { ids }).orderBy("l.id");
}

/** Copies these links into idm_resource_link_history with `validTo`; deleteLinks then removes them. */
export function archiveLinks(m: EntityManager, ids: readonly number[], validTo: Date, archivedBy: number | null): Statement {
  const h = new TableWriter(m, ENTITY.resourceLinkHistory);
  const l = new TableWriter(m, ENTITY.resourceLink);
  const copied = ["association", "fromResourceId", "toResourceId", "validFrom", "createdByJobInstance"] as const;
  const target = ["linkId", ...copied, "validTo", "archivedByJobInstance"].map((p) => h.column(p));
  const source = [l.column("id"), ...copied.map((p) => l.column(p)), h.bind("validTo", validTo), h.bind("archivedByJobInstance", archivedBy)];
  const where = `${l.column("id")} IN (${ids.map((id) => h.bind("linkId", id)).join(", ")})`;
  return h.statement(`INSERT INTO ${h.table} (${target.join(", ")}) SELECT ${source.join(", ")} FROM ${l.table} WHERE ${where}`);
}

export function deleteLinks(m: EntityManager, ids: readonly number[]): Statement {
  return deleteByIds(m, ENTITY.resourceLink, ids);
}

/** The ended links from a resource, oldest first. */
export function selectLinkHistory(m: EntityManager, fromResourceId: number): SelectQueryBuilder<ResourceLinkHistoryRow> {
  return m.createQueryBuilder<ResourceLinkHistoryRow>(ENTITY.resourceLinkHistory, "h").where("h.fromResourceId = :fromResourceId", { fromResourceId })
    .orderBy("h.validFrom", "ASC").addOrderBy("h.id", "ASC");
}

// ---------------------------------------------------------------------------------------------
// Changes: computed by Complete and Incremental synchronizations, checked against the thresholds, then applied.

export function insertResourceChanges(m: EntityManager, rows: readonly Omit<ResourceChangeRow, "id">[]): Statement {
  return insertRows(m, ENTITY.resourceChange, rows);
}

export function insertLinkChanges(m: EntityManager, rows: readonly Omit<ResourceLinkChangeRow, "id">[]): Statement {
  return insertRows(m, ENTITY.resourceLinkChange, rows);
}

export interface ChangeFilter {
  connector?: string;
  state?: ChangeState;
}

/** One page of a job instance's changes in id order (the order they were computed and are applied in), after `afterId`. */
export function selectResourceChanges(m: EntityManager, jobInstanceId: number, filter: ChangeFilter, afterId: number, limit: number): SelectQueryBuilder<ResourceChangeRow> {
  return changePage(m.createQueryBuilder<ResourceChangeRow>(ENTITY.resourceChange, "c"), jobInstanceId, filter, afterId, limit);
}

export function selectLinkChanges(m: EntityManager, jobInstanceId: number, filter: ChangeFilter, afterId: number, limit: number): SelectQueryBuilder<ResourceLinkChangeRow> {
  return changePage(m.createQueryBuilder<ResourceLinkChangeRow>(ENTITY.resourceLinkChange, "c"), jobInstanceId, filter, afterId, limit);
}

function changePage<Row extends ObjectLiteral>(query: SelectQueryBuilder<Row>, jobInstanceId: number, filter: ChangeFilter, afterId: number, limit: number): SelectQueryBuilder<Row> {
  query.where("c.jobInstanceId = :jobInstanceId AND c.id > :afterId", { jobInstanceId, afterId });
  if (filter.connector !== undefined) query.andWhere("c.connector = :connector", { connector: filter.connector });
  if (filter.state !== undefined) query.andWhere("c.state = :state", { state: filter.state });
  return query.orderBy("c.id", "ASC").limit(limit);
}

/**
 * A synchronization's changes are a queue of held changes (blocked-changes.ts): a job instance's
 * resource and link changes for a connector are held, applied or discarded together.
 */
export const SYNCHRONIZATION_CHANGES: HeldChangeQueue = {
  tables: [
    { entity: ENTITY.resourceChange, countBy: ["entityType", "operation"] },
    { entity: ENTITY.resourceLinkChange, countBy: ["association", "operation"] },
  ],
  owner: "jobInstanceId",
  subject: "connector",
};
const [RESOURCE_CHANGES, LINK_CHANGES] = SYNCHRONIZATION_CHANGES.tables as [HeldChangeQueue["tables"][number], HeldChangeQueue["tables"][number]];

/** Changes per entity type and operation: what the thresholds count. */
export function countResourceChanges(m: EntityManager, jobInstanceId: number, connector: string, state: ChangeState): SelectQueryBuilder<ObjectLiteral> {
  return countQuery(m, RESOURCE_CHANGES, SYNCHRONIZATION_CHANGES, { owner: jobInstanceId, subject: connector }, state);
}

/** Link changes per association and operation. */
export function countLinkChanges(m: EntityManager, jobInstanceId: number, connector: string, state: ChangeState): SelectQueryBuilder<ObjectLiteral> {
  return countQuery(m, LINK_CHANGES, SYNCHRONIZATION_CHANGES, { owner: jobInstanceId, subject: connector }, state);
}

/** Moves a synchronization's changes from one state to another (pending → blocked, blocked → applied, …). */
export function setChangesState(m: EntityManager, entity: ChangeEntity, jobInstanceId: number, connector: string, from: ChangeState, to: ChangeState): Statement {
  return moveStatement(m, entity, SYNCHRONIZATION_CHANGES, { owner: jobInstanceId, subject: connector }, from, to);
}

/** Sets the state of these changes (a batch just applied). */
export function setChangeStateByIds(m: EntityManager, entity: ChangeEntity, ids: readonly number[], to: ChangeState): Statement {
  return moveByIdsStatement(m, entity, ids, to);
}

/** Deletes a synchronization's changes once applied (unless DoNotDeleteChanges). */
export function deleteChanges(m: EntityManager, entity: ChangeEntity, jobInstanceId: number, connector: string): Statement {
  return removeStatement(m, entity, SYNCHRONIZATION_CHANGES, { owner: jobInstanceId, subject: connector });
}

// ---------------------------------------------------------------------------------------------
// Synchronization history

export function insertSynchronization(m: EntityManager, row: Omit<SynchronizationRow, "id">): InsertQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().insert().into(ENTITY.synchronization).values(row);
}

export function updateSynchronization(m: EntityManager, id: number, set: Partial<Omit<SynchronizationRow, "id">>): Statement {
  return update<SynchronizationRow>(m, ENTITY.synchronization, set, (w) => `${w.column("id")} = ${w.bind("id", id)}`);
}

/** A connector's synchronizations, newest first (the last one says whether the connector is blocked). */
export function selectSynchronizations(m: EntityManager, connector: string, limit: number): SelectQueryBuilder<SynchronizationRow> {
  return m.createQueryBuilder<SynchronizationRow>(ENTITY.synchronization, "s").where("s.connector = :connector", { connector })
    .orderBy("s.id", "DESC").limit(limit);
}

export function selectSynchronizationOfTask(m: EntityManager, taskInstanceId: number): SelectQueryBuilder<SynchronizationRow> {
  return m.createQueryBuilder<SynchronizationRow>(ENTITY.synchronization, "s").where("s.taskInstanceId = :taskInstanceId", { taskInstanceId });
}

/**
 * The statements of UpdateEntityPropertyExpressionsTask beyond resource-queries.ts: the links and
 * linked resources a batch's expressions navigate, the dirty ids, and the write of computed values.
 * Lists of ids are bound one parameter each: callers keep them within `batchSize(dialect, n)`.
 * The SQL Server snapshot test prints these, so what is reviewed offline is what runs.
 */
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { ENTITY, type ResourceLinkRow, type ResourceRow } from "../store/entities.js";
import { columnParameter, type Statement } from "../store/statements.js";

export type LinkEnd = "from" | "to";
const END_PROPERTY = { from: "fromResourceId", to: "toResourceId" } as const;

/** An association's links whose `end` is one of `ids` (both ends returned). */
export function selectLinksByEnd(m: EntityManager, association: string, end: LinkEnd, ids: readonly number[]): SelectQueryBuilder<ResourceLinkRow> {
  return m.createQueryBuilder<ResourceLinkRow>(ENTITY.resourceLink, "l").select(["l.fromResourceId", "l.toResourceId"])
    .where("l.association = :association", { association })
    .andWhere(`l.${END_PROPERTY[end]} IN (:...ids)`, { ids });
}

/** The properties of linked resources (what a navigation reads). */
export function selectPropertiesByIds(m: EntityManager, ids: readonly number[]): SelectQueryBuilder<ResourceRow> {
  return m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").select(["r.id", "r.properties"]).where("r.id IN (:...ids)", { ids });
}

/** What a recompute reads of a resource: id, key (for messages and keyset pages) and properties. */
export type ComputedSubject = Pick<ResourceRow, "id" | "sourceKey" | "properties">;
const SUBJECT_COLUMNS = ["r.id", "r.sourceKey", "r.properties"];

/**
 * One page of an entity type's resources in source key order, after `after` (keyset pagination on
 * the unique (entity_type, source_key) index: each page is an index range scan, whatever the depth).
 */
export function selectSubjectsPage(m: EntityManager, entityType: string, after: string | undefined, limit: number): SelectQueryBuilder<ResourceRow> {
  const query = m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").select(SUBJECT_COLUMNS).where("r.entityType = :entityType", { entityType });
  if (after !== undefined) query.andWhere("r.sourceKey > :after", { after });
  return query.orderBy("r.sourceKey", "ASC").limit(limit);
}

/** These resources (Dirty mode reads its subset by id). */
export function selectSubjectsByIds(m: EntityManager, ids: readonly number[]): SelectQueryBuilder<ResourceRow> {
  return m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").select(SUBJECT_COLUMNS).where("r.id IN (:...ids)", { ids }).orderBy("r.id", "ASC");
}

/** One page of an entity type's dirty resource ids in id order, after `afterId` (index (entity_type, dirty, id)). */
export function selectDirtyIds(m: EntityManager, entityType: string, afterId: number, limit: number): SelectQueryBuilder<ResourceRow> {
  // The object form: TypeORM converts and types `true` for the column (1 on SQLite, bit on SQL Server).
  return m.createQueryBuilder<ResourceRow>(ENTITY.resource, "r").select(["r.id"]).where({ entityType, dirty: true })
    .andWhere("r.id > :afterId", { afterId }).orderBy("r.id", "ASC").limit(limit);
}

export interface ComputedVersion {
  properties: string;
  validFrom: Date;
  changedByJobInstance: number | null;
}

/**
 * A resource's new version with computed values, after archiveResources. `hash` is left alone: it
 * is the hash of the synchronized properties only, which computed values do not change.
 */
export function updateComputedProperties(m: EntityManager, id: number, version: ComputedVersion): Statement {
  const driver = m.connection.driver;
  const metadata = m.connection.getMetadata(ENTITY.resource);
  const parameters: unknown[] = [];
  const bind = (property: string, value: unknown): string => {
    const column = metadata.findColumnWithPropertyName(property)!;
    parameters.push(columnParameter(driver, column, value));
    return driver.createParameter(`p${parameters.length - 1}`, parameters.length - 1);
  };
  const column = (property: string): string => driver.escape(metadata.findColumnWithPropertyName(property)!.databaseName);
  const set = (["properties", "validFrom", "changedByJobInstance"] as const).map((p) => `${column(p)} = ${bind(p, version[p])}`);
  return { sql: `UPDATE ${driver.escape(metadata.tableName)} SET ${set.join(", ")} WHERE ${column("id")} = ${bind("id", id)}`, parameters };
}

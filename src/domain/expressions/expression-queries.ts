/**
 * The statements of UpdateEntityPropertyExpressionsTask beyond resource-queries.ts: the links and
 * linked resources a batch's expressions navigate, and the dirty ids (linked resources' properties and
 * the write of new versions are resource-queries.ts' selectPropertiesByIds and updateResourceVersions).
 * Lists of ids are bound one parameter each: callers keep them within `batchSize(dialect, n)`.
 * The SQL Server snapshot test prints these, so what is reviewed offline is what runs.
 */
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { selectDirtyResources, selectResources, selectResourcesByIds } from "../resources/resource-queries.js";
import { ENTITY, type ResourceLinkRow, type ResourceRow } from "../../store/entities.js";

export type LinkEnd = "from" | "to";
const END_PROPERTY = { from: "fromResourceId", to: "toResourceId" } as const;

/** An association's links whose `end` is one of `ids` (both ends returned). */
export function selectLinksByEnd(m: EntityManager, association: string, end: LinkEnd, ids: readonly number[]): SelectQueryBuilder<ResourceLinkRow> {
  return m.createQueryBuilder<ResourceLinkRow>(ENTITY.resourceLink, "l").select(["l.fromResourceId", "l.toResourceId"])
    .where("l.association = :association", { association })
    .andWhere(`l.${END_PROPERTY[end]} IN (:...ids)`, { ids });
}

/** What a recompute reads of a resource: id, key (for messages and keyset pages) and properties. */
export type ComputedSubject = Pick<ResourceRow, "id" | "sourceKey" | "properties">;
const SUBJECT_COLUMNS = ["r.id", "r.sourceKey", "r.properties"];

/** resource-queries' keyset page of an entity type's resources, with only what a recompute reads. */
export function selectSubjectsPage(m: EntityManager, entityType: string, after: string | undefined, limit: number): SelectQueryBuilder<ResourceRow> {
  return selectResources(m, entityType, after, limit).select(SUBJECT_COLUMNS);
}

/** These resources, with only what a recompute reads (Dirty mode reads its subset by id). */
export function selectSubjectsByIds(m: EntityManager, ids: readonly number[]): SelectQueryBuilder<ResourceRow> {
  return selectResourcesByIds(m, ids).select(SUBJECT_COLUMNS);
}

/** One page of an entity type's dirty resource ids in id order, after `afterId` (index (entity_type, dirty, id)). */
export function selectDirtyIds(m: EntityManager, entityType: string, afterId: number, limit: number): SelectQueryBuilder<ResourceRow> {
  return selectDirtyResources(m, entityType, afterId, limit).select(["r.id"]);
}

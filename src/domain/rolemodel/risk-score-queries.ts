/**
 * The statements ComputeRiskScoresTask reads its owners with: the owners of an entity type that have
 * identified risks or a score, page by page in owner order, and in Dirty mode those whose risks a job
 * instance wrote or archived. The assignment store runs them and the SQL Server snapshot test prints
 * them. Scores themselves are written by assignment-queries.ts (deleteRiskScores, insertRiskScores).
 */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { ENTITY } from "../../store/entities.js";

/** One page of the owners of `entityType` holding identified risks, after `afterOwnerId`, in owner order. */
export function selectRiskOwners(m: EntityManager, entityType: string, afterOwnerId: number, limit: number): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.identifiedRisk, "r").select("r.ownerId", "ownerId")
    .innerJoin(ENTITY.resource, "o", "o.id = r.ownerId")
    .where("o.entityType = :entityType AND r.ownerId > :afterOwnerId", { entityType, afterOwnerId })
    .groupBy("r.ownerId").orderBy("r.ownerId", "ASC").limit(limit);
}

/** One page of the owners of `entityType` with a score and no identified risk left, after `afterOwnerId`. */
export function selectScoredOwnersWithoutRisks(m: EntityManager, entityType: string, afterOwnerId: number, limit: number): SelectQueryBuilder<ObjectLiteral> {
  const query = m.createQueryBuilder(ENTITY.riskScore, "s").select("s.ownerId", "ownerId")
    .innerJoin(ENTITY.resource, "o", "o.id = s.ownerId")
    .where("o.entityType = :entityType AND s.ownerId > :afterOwnerId", { entityType, afterOwnerId });
  const risks = query.subQuery().select("1").from(ENTITY.identifiedRisk, "r").where("r.ownerId = s.ownerId").getQuery();
  return query.andWhere(`NOT EXISTS ${risks}`).orderBy("s.ownerId", "ASC").limit(limit);
}

/** The owners of `entityType` whose identified risks this job instance inserted or updated. */
export function selectOwnersOfRisksWrittenBy(m: EntityManager, entityType: string, jobInstanceId: number): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.identifiedRisk, "r").select("r.ownerId", "ownerId")
    .innerJoin(ENTITY.resource, "o", "o.id = r.ownerId")
    .where("o.entityType = :entityType AND r.updatedByJobInstance = :jobInstanceId", { entityType, jobInstanceId })
    .groupBy("r.ownerId");
}

/** The owners of `entityType` whose identified risks this job instance ended or deleted (their history). */
export function selectOwnersOfRisksArchivedBy(m: EntityManager, entityType: string, jobInstanceId: number): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.assignmentHistory, "h").select("h.ownerId", "ownerId")
    .innerJoin(ENTITY.resource, "o", "o.id = h.ownerId")
    .where("h.family = :family AND o.entityType = :entityType AND h.archivedByJobInstance = :jobInstanceId", { family: "risk", entityType, jobInstanceId })
    .groupBy("h.ownerId");
}

/**
 * Every statement deploy sends, as QueryBuilders over one EntityManager: the same functions run the
 * deploy and produce the SQL Server snapshots, so what is reviewed offline is what runs.
 */
import type { EntityManager, InsertQueryBuilder, ObjectLiteral, SelectQueryBuilder, UpdateQueryBuilder, DeleteQueryBuilder } from "typeorm";
import { ENTITY, type DeploymentRow, type ItemRow, type RevisionRow } from "../store/entities.js";
import type { Statement } from "../store/statements.js";
import { insertRows } from "../domain/table-statements.js";

export function selectAllItems(m: EntityManager): SelectQueryBuilder<ItemRow> {
  return m.createQueryBuilder<ItemRow>(ENTITY.item, "i").orderBy("i.id");
}

/**
 * What a plan needs of every stored item: no attributes, so that a large unchanged store reads fast
 * (nor contributions, added after the JSON columns: reading them would walk SQLite's overflow pages).
 */
export function selectItemKeys(m: EntityManager): SelectQueryBuilder<ItemRow> {
  return m.createQueryBuilder<ItemRow>(ENTITY.item, "i")
    .select(["i.id", "i.kind", "i.identifier", "i.hash", "i.sourceFile", "i.sourceLine", "i.sourceColumn", "i.generatedBy"])
    .orderBy("i.id");
}

/** The attributes and children of some items (those a plan changes). */
export function selectItemDetails(m: EntityManager, ids: number[]): SelectQueryBuilder<ItemRow> {
  return m.createQueryBuilder<ItemRow>(ENTITY.item, "i").select(["i.id", "i.attributes", "i.children", "i.contributions"]).where("i.id IN (:...ids)", { ids });
}

/** Rows as plain objects keyed by property: raw results skip the entity hydration, which costs more than the read. */
export async function rawRows(m: EntityManager, query: SelectQueryBuilder<ItemRow>): Promise<Partial<ItemRow>[]> {
  const raw = await query.getRawMany<Record<string, unknown>>();
  if (raw.length === 0) return [];
  const present = new Set(Object.keys(raw[0]!));
  const pairs = m.connection.getMetadata(ENTITY.item).columns
    .map((c) => [`i_${c.databaseName}`, c.propertyName] as const)
    .filter(([alias]) => present.has(alias));
  return raw.map((r) => {
    const row: Record<string, unknown> = {};
    for (const [alias, property] of pairs) row[property] = r[alias];
    return row as Partial<ItemRow>;
  });
}

/** The INSERT that deploy's insertAll sends on SQLite and SQL Server (PostgreSQL copies the rows): printed by the snapshots. */
export function insertItems(m: EntityManager, rows: Omit<ItemRow, "id">[]): Statement {
  return insertRows(m, ENTITY.item, rows);
}

export function updateItem(m: EntityManager, id: number, row: Partial<Omit<ItemRow, "id">>): UpdateQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().update(ENTITY.item).set(row).where("id = :id", { id }).updateEntity(false);
}

export function deleteItems(m: EntityManager, ids: number[]): DeleteQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().delete().from(ENTITY.item).where("id IN (:...ids)", { ids });
}

/** As insertItems, for the revisions. */
export function insertRevisions(m: EntityManager, rows: Omit<RevisionRow, "id">[]): Statement {
  return insertRows(m, ENTITY.revision, rows);
}

export function insertDeployment(m: EntityManager, row: Omit<DeploymentRow, "id">): InsertQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().insert().into(ENTITY.deployment).values(row);
}

export function finishDeployment(m: EntityManager, id: number, endedAt: Date): UpdateQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().update(ENTITY.deployment).set({ endedAt }).where("id = :id", { id }).updateEntity(false);
}

/** The newest deployment's state: the configuration it left and the fingerprint of its files. */
export function selectNewestDeployment(m: EntityManager): SelectQueryBuilder<DeploymentRow> {
  return m.createQueryBuilder<DeploymentRow>(ENTITY.deployment, "d")
    .select(["d.id", "d.configurationHash", "d.sourceFingerprint"]).orderBy("d.id", "DESC").limit(1);
}

/** Before any write to the items: no earlier deployment describes them any more. */
export function clearSourceFingerprints(m: EntityManager): UpdateQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().update(ENTITY.deployment).set({ sourceFingerprint: null }).where("source_fingerprint IS NOT NULL").updateEntity(false);
}

/** The ledger, newest first, without the plans (the largest column, not shown in a listing). */
export function selectDeployments(m: EntityManager): SelectQueryBuilder<DeploymentRow> {
  const columns = m.connection.getMetadata(ENTITY.deployment).columns
    .filter((c) => c.propertyName !== "plan")
    .map((c) => `d.${c.propertyName}`);
  return m.createQueryBuilder<DeploymentRow>(ENTITY.deployment, "d").select(columns).orderBy("d.id", "DESC");
}

/**
 * The revisions of the items a deployment's state needs, oldest first: every revision up to it, and
 * later ones too, whose `before` is the state an item kept until then.
 */
export function selectRevisions(m: EntityManager): SelectQueryBuilder<RevisionRow> {
  return m.createQueryBuilder<RevisionRow>(ENTITY.revision, "r").orderBy("r.id", "ASC");
}

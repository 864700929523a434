/**
 * Resources and their history: the current version of each resource in idm_resources, the versions
 * it replaced in idm_resource_history, and the Dirty marks of incremental work. A new version and a
 * deletion archive the current one first, in the same transaction.
 */
import type { EntityManager } from "typeorm";
import type { ResourceHistoryRow, ResourceRow } from "../../store/entities.js";
import { profileOfDriver } from "../../store/dialects/index.js";
import { runEach, runInBatches } from "../../store/prepared-statements.js";
import { chunks, run } from "../../store/statements.js";
import { hashProperties, storedText, type PropertiesInput } from "./properties.js";
import { ResourceLinks, type WriteContext } from "./resource-links.js";
import * as q from "./resource-queries.js";
import { DEFAULT_PAGE_SIZE, keysetPages, type StoreSession } from "./store-session.js";

export interface ResourceInput {
  entityType: string;
  /** null for resources the product creates itself */
  connector: string | null;
  sourceKey: string;
  properties: PropertiesInput;
}

export interface ResourceUpdate {
  id: number;
  properties: PropertiesInput;
  /** The synchronized properties' hash, when `properties` also holds computed ones; else the hash of `properties`. */
  hash?: string;
}

export type ResourceKey = q.ResourceKey;
/** A resource's key, id and hash, and its stored properties when they were asked for. */
export type StoredKey = ResourceKey & { properties?: string };

/** Resources per UPDATE … CASE statement: its CASE is scanned for each row it writes, so it stays short. */
export const VERSIONS_PER_UPDATE = 200;
/** Resources per UPDATE … FROM (VALUES …): at most 4 parameters each, with the 3 shared ones within maxParameters. */
export const VERSIONS_PER_VALUES_UPDATE = 1000;

/**
 * Archives the current versions of these resources (archiveResources) and returns resource id →
 * the archived version's id.
 */
async function archiveVersions(m: EntityManager, ids: readonly number[], validTo: Date, archivedBy: number | null): Promise<Map<number, number>> {
  const { sql, parameters } = q.archiveResources(m, ids, validTo, archivedBy);
  const rows = (await m.query(sql, parameters)) as q.ArchivedVersion[];
  return new Map(rows.map((row) => [Number(row.resource_id), Number(row.id)]));
}

/**
 * Replaces current versions in place, valid from `context.at`: each one replaced is archived first
 * (unless `withoutHistory`) and the new one points at it (historyId, set here on `versions`). On
 * SQLite one prepared single-row UPDATE per version (runEach), on PostgreSQL UPDATE … FROM a VALUES
 * list of VERSIONS_PER_VALUES_UPDATE (prepared, named, when full), on SQL Server UPDATE … CASE over
 * VERSIONS_PER_UPDATE of them (a statement per row would be a round trip each). Callers keep
 * `versions` within one statement's ids (batchSize(dialect, 1) - 2).
 */
export async function replaceVersions(m: EntityManager, versions: q.VersionContent[], context: WriteContext, dirty?: boolean): Promise<void> {
  if (context.withoutHistory !== true) {
    const archived = await archiveVersions(m, versions.map((v) => v.id), context.at, context.jobInstanceId);
    // null: no such resource, so the UPDATE changes nothing either.
    for (const version of versions) version.historyId = archived.get(version.id) ?? null;
  }
  const common = { validFrom: context.at, changedByJobInstance: context.jobInstanceId, ...(dirty === undefined ? {} : { dirty }) };
  if (await runEach(m, () => q.updateResourceVersionEach(m, versions, common))) return;
  if (profileOfDriver(m.connection.driver).updateFromValues !== undefined) {
    await runInBatches(m, versions, VERSIONS_PER_VALUES_UPDATE, (group) => q.updateResourceVersionsFromValues(m, group, common));
    return;
  }
  for (const group of chunks(versions, VERSIONS_PER_UPDATE)) await run(m, q.updateResourceVersions(m, group, common));
}

export class ResourceVersions {
  constructor(private readonly session: StoreSession) {}

  private get m() {
    return this.session.m;
  }

  /** Inserts new resources (first versions, valid from `at`); `dirty` marks them for the Dirty-mode tasks. */
  async insert(resources: readonly ResourceInput[], context: WriteContext, dirty = false): Promise<void> {
    const rows = resources.map((r): q.NewResource => {
      const properties = storedText(r.properties);
      return {
        entityType: r.entityType, connector: r.connector, sourceKey: r.sourceKey, hash: hashProperties(properties), validFrom: context.at, dirty,
        createdByJobInstance: context.jobInstanceId, changedByJobInstance: context.jobInstanceId, properties,
      };
    });
    await this.session.transaction(async (s) => {
      await runInBatches(s.m, rows, s.rowBatch(q.INSERT_COLUMNS.resources), (batch) => q.insertResources(s.m, batch));
    });
  }

  /** An entity type's resources in source key order (compareSourceKeys), `pageSize` at a time: id, key, hash. */
  keys(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceKey[]> {
    return keysetPages((after: string | undefined) => q.selectResourceKeys(this.m, entityType, after, pageSize).getMany(), (r) => r.sourceKey, pageSize);
  }

  /** The same pages with every column. */
  rows(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceRow[]> {
    return keysetPages((after: string | undefined) => q.selectResources(this.m, entityType, after, pageSize).getMany(), (r) => r.sourceKey, pageSize);
  }

  async byIds(ids: readonly number[]): Promise<ResourceRow[]> {
    const rows: ResourceRow[] = [];
    for (const batch of chunks(ids, this.session.idBatch())) rows.push(...(await q.selectResourcesByIds(this.m, batch).getMany()));
    return rows;
  }

  /** Resource id → its source key (without reading the properties). */
  async sourceKeysByIds(ids: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    for (const batch of chunks(ids, this.session.idBatch())) {
      for (const row of await q.selectResourcesByIds(this.m, batch).select(["r.id", "r.sourceKey"]).getMany()) found.set(row.id, row.sourceKey);
    }
    return found;
  }

  /** Resource id → its stored properties text. */
  async propertiesByIds(ids: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    for (const batch of chunks(ids, this.session.idBatch())) {
      for (const row of await q.selectPropertiesByIds(this.m, batch).getRawMany<{ id: number | string; properties: string }>()) found.set(Number(row.id), row.properties);
    }
    return found;
  }

  /** Source key → id and hash (and the stored properties `withProperties`), for the keys that have a current resource. */
  async keysByKeys(entityType: string, keys: readonly string[], withProperties = false): Promise<Map<string, StoredKey>> {
    const found = new Map<string, StoredKey>();
    for (const batch of chunks(keys, this.session.idBatch() - 1)) {
      const { sql, parameters } = q.selectResourceIdsByKeys(this.m, entityType, batch, withProperties);
      for (const row of (await this.m.query(sql, parameters)) as { id: number | string; sourceKey: string; hash: string; properties?: string }[]) {
        const key: StoredKey = { id: Number(row.id), sourceKey: row.sourceKey, hash: row.hash };
        if (row.properties !== undefined) key.properties = row.properties;
        found.set(row.sourceKey, key);
      }
    }
    return found;
  }

  /** Current resources per entity type (absent when none). */
  async count(entityTypes: readonly string[]): Promise<Map<string, number>> {
    if (entityTypes.length === 0) return new Map();
    const rows = await q.countResources(this.m, entityTypes).getRawMany<{ entityType: string; count: number | string }>();
    return new Map(rows.map((r) => [r.entityType, Number(r.count)]));
  }

  /** New versions: each current version is archived (valid until `at`, unless `withoutHistory`), the new one is valid from `at`. */
  async update(updates: readonly ResourceUpdate[], context: WriteContext, dirty?: boolean): Promise<void> {
    await this.session.transaction(async (s) => {
      for (const batch of chunks(updates, s.idBatch() - 2)) {
        const versions = batch.map((u): q.VersionContent => {
          const properties = storedText(u.properties);
          return { id: u.id, properties, hash: u.hash ?? hashProperties(properties) };
        });
        await replaceVersions(s.m, versions, context, dirty);
      }
    });
  }

  /** Deletes resources: their links are ended, their last versions archived (valid until `at`, unless `withoutHistory`). */
  async delete(ids: readonly number[], context: WriteContext): Promise<void> {
    await this.session.transaction(async (s) => {
      const links = new ResourceLinks(s);
      for (const batch of chunks(ids, Math.floor((s.idBatch() - 2) / 2))) {
        await links.end((await q.selectLinksOfResources(s.m, batch).getMany()).map((l) => l.id), context);
        if (context.withoutHistory === true) await run(s.m, q.recordUnarchivedDeletions(s.m, batch));
        else {
          const archived = await archiveVersions(s.m, batch, context.at, context.jobInstanceId);
          if (archived.size > 0) await run(s.m, q.recordDeletedResources(s.m, [...archived].map(([resourceId, historyId]) => ({ resourceId, historyId }))));
        }
        await run(s.m, q.deleteResources(s.m, batch));
      }
    });
  }

  /** A resource's archived versions, oldest first (the current one is in idm_resources); a deleted resource's too. */
  async history(resourceId: number): Promise<ResourceHistoryRow[]> {
    const { sql, parameters } = q.selectHistoryChain(this.m, resourceId);
    const ids = ((await this.m.query(sql, parameters)) as { id: number | string }[]).map((row) => Number(row.id));
    const versions: ResourceHistoryRow[] = [];
    for (const batch of chunks(ids, this.session.idBatch())) versions.push(...(await q.selectHistoryByIds(this.m, batch).getMany()));
    return versions.sort((a, b) => a.id - b.id);
  }

  // Dirty: incremental synchronization marks what it changed; the Dirty-mode tasks read and clear it.

  async markDirty(ids: readonly number[]): Promise<void> {
    for (const batch of chunks(ids, this.session.idBatch() - 1)) await run(this.m, q.markDirty(this.m, batch));
  }

  async clearDirty(entityType: string, ids?: readonly number[]): Promise<void> {
    if (ids === undefined) return run(this.m, q.clearDirty(this.m, entityType));
    for (const batch of chunks(ids, this.session.idBatch() - 3)) await run(this.m, q.clearDirty(this.m, entityType, batch));
  }

  /** An entity type's dirty resources in id order, `pageSize` at a time. */
  dirty(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceRow[]> {
    return keysetPages((afterId: number | undefined) => q.selectDirtyResources(this.m, entityType, afterId ?? 0, pageSize).getMany(), (r) => r.id, pageSize);
  }
}

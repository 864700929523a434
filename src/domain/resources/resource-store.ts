/**
 * A typed API over resource-queries.ts for the synchronizer and the tasks after it: batching within
 * each database's parameter limit, pages read by keyset, the multi-statement operations (a new
 * version, a deletion) in one transaction, and the properties' stored form.
 *
 * Properties are stored as canonical JSON (keys sorted, absent and null values left out, dates as
 * ISO 8601 UTC text) and `hash` is the SHA-256 of the synchronized properties' text: two resources
 * have the same synchronized properties exactly when their hashes are equal, which is all a Complete
 * diff compares. The stored text may also hold computed properties (UpdateEntityPropertyExpressions
 * writes them without changing the hash); a synchronization keeps them when it writes a new version.
 */
import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";
import { dialectOfDriver } from "../../store/column-types.js";
import type { Dialect } from "../../store/database-url.js";
import { ENTITY, type PropertyValue, type ResourceChangeRow, type ResourceHistoryRow, type ResourceLinkChangeRow, type ResourceLinkHistoryRow, type ResourceLinkRow, type ResourceRow, type SynchronizationRow } from "../../store/entities.js";
import { type ChangeState } from "../vocabulary.js";
import { batchSize, chunks, run } from "../../store/statements.js";
import * as q from "./resource-queries.js";

export type PropertyInput = PropertyValue | Date | null | undefined;
export type Properties = Record<string, PropertyValue>;

/** The stored form of a resource's properties (see the top of this file). */
export function encodeProperties(properties: Readonly<Record<string, PropertyInput>>): string {
  const sorted: Properties = {};
  for (const name of Object.keys(properties).sort()) {
    const value = properties[name];
    if (value === null || value === undefined) continue;
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`property ${name} is ${value}: only finite numbers can be stored`);
    sorted[name] = value instanceof Date ? value.toISOString() : value;
  }
  return JSON.stringify(sorted);
}

/** Properties already in their stored form (encodeProperties' text), written as they are. */
export class EncodedProperties {
  constructor(readonly text: string) {}
}

type PropertiesInput = Readonly<Record<string, PropertyInput>> | EncodedProperties;

function storedText(properties: PropertiesInput): string {
  return properties instanceof EncodedProperties ? properties.text : encodeProperties(properties);
}

export function decodeProperties(json: string): Properties {
  return JSON.parse(json) as Properties;
}

/** SHA-256 (hex) of the stored properties text. */
export function hashProperties(encoded: string): string {
  return createHash("sha256").update(encoded).digest("hex");
}

/**
 * The order the store reads source keys in: Unicode code point order (SQLite BINARY, PostgreSQL "C",
 * SQL Server BIN2). JavaScript's `<` compares UTF-16 code units instead, which puts the characters
 * above U+FFFF before U+E000–U+FFFF: a merge against the store's order must compare with this.
 */
export function compareSourceKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (U+D800–U+DFFF, the halves of code points above U+FFFF) moved after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

export interface ResourceInput {
  entityType: string;
  /** null for resources the product creates itself */
  connector: string | null;
  sourceKey: string;
  properties: PropertiesInput;
}

/** When a write happens and which job instance makes it (null outside jobs). */
export interface WriteContext {
  at: Date;
  jobInstanceId: number | null;
}

export interface ResourceUpdate {
  id: number;
  properties: PropertiesInput;
  /** The synchronized properties' hash, when `properties` also holds computed ones; else the hash of `properties`. */
  hash?: string;
}

export interface LinkInput {
  association: string;
  fromResourceId: number;
  toResourceId: number;
}

export type ResourceKey = q.ResourceKey;
export type NewResourceChange = Omit<ResourceChangeRow, "id">;
export type NewLinkChange = Omit<ResourceLinkChangeRow, "id">;
export type NewSynchronization = Pick<SynchronizationRow, "connector" | "taskInstanceId" | "jobInstanceId" | "mode" | "startedAt">;

export const DEFAULT_PAGE_SIZE = 1000;
/** Resources per UPDATE statement: its CASE is scanned for each row it writes, so it stays short. */
export const VERSIONS_PER_UPDATE = 200;

export class ResourceStore {
  readonly dialect: Dialect;

  /** `m` is a DataSource's manager or a transaction's. */
  constructor(private readonly m: EntityManager) {
    this.dialect = dialectOfDriver(m.connection.options.type);
  }

  /** Runs `work` in a transaction: this one when there is one, a new one otherwise. */
  async transaction<T>(work: (store: ResourceStore) => Promise<T>): Promise<T> {
    if (this.m.queryRunner?.isTransactionActive) return work(this);
    return this.m.transaction((tm) => work(new ResourceStore(tm)));
  }

  private idBatch(): number {
    return batchSize(this.dialect, 1);
  }

  // Resources -----------------------------------------------------------------------------------

  /** Inserts new resources (first versions, valid from `at`); `dirty` marks them for the Dirty-mode tasks. */
  async insertResources(resources: readonly ResourceInput[], context: WriteContext, dirty = false): Promise<void> {
    const rows = resources.map((r): q.NewResource => {
      const properties = storedText(r.properties);
      return {
        entityType: r.entityType, connector: r.connector, sourceKey: r.sourceKey, hash: hashProperties(properties), validFrom: context.at, dirty,
        createdByJobInstance: context.jobInstanceId, changedByJobInstance: context.jobInstanceId, properties,
      };
    });
    await this.transaction(async (store) => {
      for (const batch of chunks(rows, batchSize(this.dialect, 9))) await run(store.m, q.insertResources(store.m, batch));
    });
  }

  /** An entity type's resources in source key order (compareSourceKeys), `pageSize` at a time: id, key, hash. */
  async *resourceKeys(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceKey[]> {
    yield* this.pages((after) => q.selectResourceKeys(this.m, entityType, after, pageSize).getMany(), pageSize);
  }

  /** The same pages with every column. */
  async *resources(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceRow[]> {
    yield* this.pages((after) => q.selectResources(this.m, entityType, after, pageSize).getMany(), pageSize);
  }

  private async *pages<Row extends { sourceKey: string }>(page: (after: string | undefined) => Promise<Row[]>, pageSize: number): AsyncGenerator<Row[]> {
    let after: string | undefined;
    for (;;) {
      const rows = await page(after);
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.sourceKey;
    }
  }

  async resourcesByIds(ids: readonly number[]): Promise<ResourceRow[]> {
    const rows: ResourceRow[] = [];
    for (const batch of chunks(ids, this.idBatch())) rows.push(...(await q.selectResourcesByIds(this.m, batch).getMany()));
    return rows;
  }

  /** Resource id → its source key (without reading the properties). */
  async sourceKeysByIds(ids: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    for (const batch of chunks(ids, this.idBatch())) {
      for (const row of await q.selectResourcesByIds(this.m, batch).select(["r.id", "r.sourceKey"]).getMany()) found.set(row.id, row.sourceKey);
    }
    return found;
  }

  /** Resource id → its stored properties text. */
  async propertiesByIds(ids: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    for (const batch of chunks(ids, this.idBatch())) {
      for (const row of await q.selectPropertiesByIds(this.m, batch).getRawMany<{ id: number | string; properties: string }>()) found.set(Number(row.id), row.properties);
    }
    return found;
  }

  /** Source key → resource id, for the keys that have a current resource. */
  async idsByKeys(entityType: string, keys: readonly string[]): Promise<Map<string, number>> {
    return new Map([...(await this.keysByKeys(entityType, keys))].map(([key, row]) => [key, row.id]));
  }

  /** Source key → id and hash, for the keys that have a current resource. */
  async keysByKeys(entityType: string, keys: readonly string[]): Promise<Map<string, ResourceKey>> {
    const found = new Map<string, ResourceKey>();
    for (const batch of chunks(keys, this.idBatch() - 1)) {
      for (const row of await q.selectResourceIdsByKeys(this.m, entityType, batch).getMany()) found.set(row.sourceKey, row);
    }
    return found;
  }

  /** Current resources per entity type (absent when none). */
  async countResources(entityTypes: readonly string[]): Promise<Map<string, number>> {
    if (entityTypes.length === 0) return new Map();
    const rows = await q.countResources(this.m, entityTypes).getRawMany<{ entityType: string; count: number | string }>();
    return new Map(rows.map((r) => [r.entityType, Number(r.count)]));
  }

  /** New versions: each current version is archived (valid until `at`), the new one is valid from `at`. */
  async updateResources(updates: readonly ResourceUpdate[], context: WriteContext, dirty?: boolean): Promise<void> {
    await this.transaction(async (store) => {
      const common = { validFrom: context.at, changedByJobInstance: context.jobInstanceId, ...(dirty === undefined ? {} : { dirty }) };
      for (const batch of chunks(updates, this.idBatch() - 2)) {
        await run(store.m, q.archiveResources(store.m, batch.map((u) => u.id), context.at, context.jobInstanceId));
        const versions = batch.map((u): q.VersionContent => {
          const properties = storedText(u.properties);
          return { id: u.id, properties, hash: u.hash ?? hashProperties(properties) };
        });
        for (const group of chunks(versions, VERSIONS_PER_UPDATE)) await run(store.m, q.updateResourceVersions(store.m, group, common));
      }
    });
  }

  /** Deletes resources: their links are ended, their last versions archived (valid until `at`). */
  async deleteResources(ids: readonly number[], context: WriteContext): Promise<void> {
    await this.transaction(async (store) => {
      for (const batch of chunks(ids, Math.floor((this.idBatch() - 2) / 2))) {
        const links = await q.selectLinksOfResources(store.m, batch).getMany();
        await store.endLinks(links.map((l) => l.id), context);
        await run(store.m, q.archiveResources(store.m, batch, context.at, context.jobInstanceId));
        await run(store.m, q.deleteResources(store.m, batch));
      }
    });
  }

  /** A resource's archived versions, oldest first (the current one is in idm_resources). */
  async history(resourceId: number): Promise<ResourceHistoryRow[]> {
    return q.selectResourceHistory(this.m, resourceId).getMany();
  }

  // Dirty -------------------------------------------------------------------------------------

  async markDirty(ids: readonly number[]): Promise<void> {
    for (const batch of chunks(ids, this.idBatch() - 1)) await run(this.m, q.markDirty(this.m, batch));
  }

  async clearDirty(entityType: string, ids?: readonly number[]): Promise<void> {
    if (ids === undefined) return run(this.m, q.clearDirty(this.m, entityType));
    for (const batch of chunks(ids, this.idBatch() - 3)) await run(this.m, q.clearDirty(this.m, entityType, batch));
  }

  async *dirtyResources(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceRow[]> {
    let afterId = 0;
    for (;;) {
      const rows = await q.selectDirtyResources(this.m, entityType, afterId, pageSize).getMany();
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }

  // Links -------------------------------------------------------------------------------------

  async insertLinks(links: readonly LinkInput[], context: WriteContext): Promise<void> {
    const rows = links.map((l): q.NewLink => ({ ...l, validFrom: context.at, createdByJobInstance: context.jobInstanceId }));
    await this.transaction(async (store) => {
      for (const batch of chunks(rows, batchSize(this.dialect, 5))) await run(store.m, q.insertLinks(store.m, batch));
    });
  }

  /** An association's links in (from, to) order, `pageSize` at a time. */
  async *links(association: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceLinkRow[]> {
    let after: q.LinkPosition | undefined;
    for (;;) {
      const rows = await q.selectLinks(this.m, association, after, pageSize).getMany();
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      after = { fromResourceId: last.fromResourceId, toResourceId: last.toResourceId };
    }
  }

  /** Ends links: archived (valid until `at`), then removed. */
  async endLinks(ids: readonly number[], context: WriteContext): Promise<void> {
    if (ids.length === 0) return;
    await this.transaction(async (store) => {
      for (const batch of chunks(ids, this.idBatch() - 2)) {
        await run(store.m, q.archiveLinks(store.m, batch, context.at, context.jobInstanceId));
        await run(store.m, q.deleteLinks(store.m, batch));
      }
    });
  }

  async linkHistory(fromResourceId: number): Promise<ResourceLinkHistoryRow[]> {
    return q.selectLinkHistory(this.m, fromResourceId).getMany();
  }

  // Changes -----------------------------------------------------------------------------------

  async insertResourceChanges(rows: readonly NewResourceChange[]): Promise<void> {
    for (const batch of chunks(rows, batchSize(this.dialect, 9))) await run(this.m, q.insertResourceChanges(this.m, batch));
  }

  async insertLinkChanges(rows: readonly NewLinkChange[]): Promise<void> {
    for (const batch of chunks(rows, batchSize(this.dialect, 12))) await run(this.m, q.insertLinkChanges(this.m, batch));
  }

  async *resourceChanges(jobInstanceId: number, filter: q.ChangeFilter = {}, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceChangeRow[]> {
    yield* this.changePages((afterId) => q.selectResourceChanges(this.m, jobInstanceId, filter, afterId, pageSize).getMany(), pageSize);
  }

  async *linkChanges(jobInstanceId: number, filter: q.ChangeFilter = {}, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceLinkChangeRow[]> {
    yield* this.changePages((afterId) => q.selectLinkChanges(this.m, jobInstanceId, filter, afterId, pageSize).getMany(), pageSize);
  }

  private async *changePages<Row extends { id: number }>(page: (afterId: number) => Promise<Row[]>, pageSize: number): AsyncGenerator<Row[]> {
    let afterId = 0;
    for (;;) {
      const rows = await page(afterId);
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }

  /** Resource changes counted per entity type and operation: `{ "HR_Person": { insert: 3, update: 1 } }`. */
  async countResourceChanges(jobInstanceId: number, connector: string, state: ChangeState): Promise<Record<string, Record<string, number>>> {
    const rows = await q.countResourceChanges(this.m, jobInstanceId, connector, state).getRawMany<{ entityType: string; operation: string; count: number | string }>();
    return tally(rows.map((r) => [r.entityType, r.operation, r.count]));
  }

  /** Link changes counted per association and operation. */
  async countLinkChanges(jobInstanceId: number, connector: string, state: ChangeState): Promise<Record<string, Record<string, number>>> {
    const rows = await q.countLinkChanges(this.m, jobInstanceId, connector, state).getRawMany<{ association: string; operation: string; count: number | string }>();
    return tally(rows.map((r) => [r.association, r.operation, r.count]));
  }

  /** Moves a synchronization's resource and link changes from one state to another. */
  async setChangesState(jobInstanceId: number, connector: string, from: ChangeState, to: ChangeState): Promise<void> {
    await this.transaction(async (store) => {
      for (const entity of [ENTITY.resourceChange, ENTITY.resourceLinkChange] as const) {
        await run(store.m, q.setChangesState(store.m, entity, jobInstanceId, connector, from, to));
      }
    });
  }

  async setChangeStateByIds(entity: typeof ENTITY.resourceChange | typeof ENTITY.resourceLinkChange, ids: readonly number[], to: ChangeState): Promise<void> {
    for (const batch of chunks(ids, this.idBatch() - 1)) await run(this.m, q.setChangeStateByIds(this.m, entity, batch, to));
  }

  /** Deletes a synchronization's resource and link changes. */
  async deleteChanges(jobInstanceId: number, connector: string): Promise<void> {
    await this.transaction(async (store) => {
      for (const entity of [ENTITY.resourceChange, ENTITY.resourceLinkChange] as const) {
        await run(store.m, q.deleteChanges(store.m, entity, jobInstanceId, connector));
      }
    });
  }

  // Synchronization history ---------------------------------------------------------------------

  /** Records a synchronization as InProgress with zero counts; returns its id. */
  async startSynchronization(sync: NewSynchronization): Promise<number> {
    const row: Omit<SynchronizationRow, "id"> = {
      ...sync, state: "InProgress", endedAt: null, resourcesInserted: 0, resourcesUpdated: 0, resourcesDeleted: 0, linksInserted: 0, linksDeleted: 0, error: null,
    };
    const result = await q.insertSynchronization(this.m, row).execute();
    return Number((result.identifiers[0] as { id: number }).id);
  }

  async updateSynchronization(id: number, set: Partial<Omit<SynchronizationRow, "id">>): Promise<void> {
    await run(this.m, q.updateSynchronization(this.m, id, set));
  }

  async synchronizations(connector: string, limit: number): Promise<SynchronizationRow[]> {
    return q.selectSynchronizations(this.m, connector, limit).getMany();
  }

  async synchronizationOfTask(taskInstanceId: number): Promise<SynchronizationRow | undefined> {
    return (await q.selectSynchronizationOfTask(this.m, taskInstanceId).getOne()) ?? undefined;
  }
}

function tally(rows: [string, string, number | string][]): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const [group, operation, count] of rows) (result[group] ??= {})[operation] = Number(count);
  return result;
}

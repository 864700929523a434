/**
 * The resource store's one entry point, for the synchronizer and the tasks after it: a typed API
 * over resource-queries.ts, each method answered by the module of its tables —
 * resource-versions.ts (resources, history, Dirty), resource-links.ts (links and their history),
 * change-rows.ts (a synchronization's changes, held as blocked-changes.ts says) and
 * synchronization-history.ts. Those modules batch within each database's parameter limit, read
 * pages by keyset, and run the multi-statement operations (a new version, a deletion) in one
 * transaction. The properties' stored form and hash: properties.ts; the source key order:
 * source-key-order.ts.
 */
import type { EntityManager } from "typeorm";
import type { Dialect } from "../../store/database-url.js";
import type { ResourceChangeRow, ResourceHistoryRow, ResourceLinkChangeRow, ResourceLinkHistoryRow, ResourceLinkRow, ResourceRow, SynchronizationRow } from "../../store/entities.js";
import type { ChangeCounts } from "../blocked-changes.js";
import type { ChangeState } from "../vocabulary.js";
import { ChangeRows, type ChangeEntity, type NewLinkChange, type NewResourceChange } from "./change-rows.js";
import { ResourceLinks, type LinkInput, type WriteContext } from "./resource-links.js";
import { INSERT_COLUMNS, type ChangeFilter, type InsertTable } from "./resource-queries.js";
import { ResourceVersions, type ResourceInput, type ResourceKey, type ResourceUpdate, type StoredKey } from "./resource-versions.js";
import { DEFAULT_PAGE_SIZE, StoreSession } from "./store-session.js";
import { SynchronizationHistory, type NewSynchronization } from "./synchronization-history.js";

export type { ChangeEntity, LinkInput, NewLinkChange, NewResourceChange, NewSynchronization, ResourceInput, ResourceKey, ResourceUpdate, StoredKey, WriteContext };
export type { PropertyInput, Properties } from "./properties.js";

export class ResourceStore {
  readonly dialect: Dialect;
  readonly #session: StoreSession;
  readonly #resources: ResourceVersions;
  readonly #links: ResourceLinks;
  readonly #changes: ChangeRows;
  readonly #synchronizations: SynchronizationHistory;

  /** `m` is a DataSource's manager or a transaction's. */
  constructor(m: EntityManager) {
    this.#session = new StoreSession(m);
    this.dialect = this.#session.dialect;
    this.#resources = new ResourceVersions(this.#session);
    this.#links = new ResourceLinks(this.#session);
    this.#changes = new ChangeRows(this.#session);
    this.#synchronizations = new SynchronizationHistory(this.#session);
  }

  /** Runs `work` in a transaction: this one when there is one, a new one otherwise. */
  async transaction<T>(work: (store: ResourceStore) => Promise<T>): Promise<T> {
    return this.#session.transaction((session) => work(session === this.#session ? this : new ResourceStore(session.m)));
  }

  /**
   * Rows per INSERT of a table's bulk writes. Callers that buffer rows flush at this size, so that
   * every statement but the last is a full one, prepared once per connection (store/prepared-statements.ts).
   */
  insertBatch(table: InsertTable): number {
    return this.#session.rowBatch(INSERT_COLUMNS[table]);
  }

  // Resources (resource-versions.ts) ------------------------------------------------------------

  insertResources(resources: readonly ResourceInput[], context: WriteContext, dirty = false): Promise<void> {
    return this.#resources.insert(resources, context, dirty);
  }
  resourceKeys(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceKey[]> {
    return this.#resources.keys(entityType, pageSize);
  }
  resources(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceRow[]> {
    return this.#resources.rows(entityType, pageSize);
  }
  resourcesByIds(ids: readonly number[]): Promise<ResourceRow[]> {
    return this.#resources.byIds(ids);
  }
  sourceKeysByIds(ids: readonly number[]): Promise<Map<number, string>> {
    return this.#resources.sourceKeysByIds(ids);
  }
  propertiesByIds(ids: readonly number[]): Promise<Map<number, string>> {
    return this.#resources.propertiesByIds(ids);
  }
  /** Source key → resource id, for the keys that have a current resource. */
  async idsByKeys(entityType: string, keys: readonly string[]): Promise<Map<string, number>> {
    return new Map([...(await this.#resources.keysByKeys(entityType, keys))].map(([key, row]) => [key, row.id]));
  }
  keysByKeys(entityType: string, keys: readonly string[], withProperties = false): Promise<Map<string, StoredKey>> {
    return this.#resources.keysByKeys(entityType, keys, withProperties);
  }
  countResources(entityTypes: readonly string[]): Promise<Map<string, number>> {
    return this.#resources.count(entityTypes);
  }
  updateResources(updates: readonly ResourceUpdate[], context: WriteContext, dirty?: boolean): Promise<void> {
    return this.#resources.update(updates, context, dirty);
  }
  deleteResources(ids: readonly number[], context: WriteContext): Promise<void> {
    return this.#resources.delete(ids, context);
  }
  history(resourceId: number): Promise<ResourceHistoryRow[]> {
    return this.#resources.history(resourceId);
  }
  markDirty(ids: readonly number[]): Promise<void> {
    return this.#resources.markDirty(ids);
  }
  clearDirty(entityType: string, ids?: readonly number[]): Promise<void> {
    return this.#resources.clearDirty(entityType, ids);
  }
  dirtyResources(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceRow[]> {
    return this.#resources.dirty(entityType, pageSize);
  }

  // Links (resource-links.ts) -------------------------------------------------------------------

  insertLinks(links: readonly LinkInput[], context: WriteContext): Promise<void> {
    return this.#links.insert(links, context);
  }
  links(association: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceLinkRow[]> {
    return this.#links.pages(association, pageSize);
  }
  /** The links from or to these resources. */
  linksOfResources(ids: readonly number[]): Promise<ResourceLinkRow[]> {
    return this.#links.ofResources(ids);
  }
  endLinks(ids: readonly number[], context: WriteContext): Promise<void> {
    return this.#links.end(ids, context);
  }
  linkHistory(fromResourceId: number): Promise<ResourceLinkHistoryRow[]> {
    return this.#links.history(fromResourceId);
  }

  // Changes (change-rows.ts) --------------------------------------------------------------------

  insertResourceChanges(rows: readonly NewResourceChange[]): Promise<void> {
    return this.#changes.insertResourceChanges(rows);
  }
  insertLinkChanges(rows: readonly NewLinkChange[]): Promise<void> {
    return this.#changes.insertLinkChanges(rows);
  }
  resourceChanges(jobInstanceId: number, filter: ChangeFilter = {}, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceChangeRow[]> {
    return this.#changes.resourceChanges(jobInstanceId, filter, pageSize);
  }
  linkChanges(jobInstanceId: number, filter: ChangeFilter = {}, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceLinkChangeRow[]> {
    return this.#changes.linkChanges(jobInstanceId, filter, pageSize);
  }
  countResourceChanges(jobInstanceId: number, connector: string, state: ChangeState): Promise<ChangeCounts> {
    return this.#changes.countResourceChanges(jobInstanceId, connector, state);
  }
  countLinkChanges(jobInstanceId: number, connector: string, state: ChangeState): Promise<ChangeCounts> {
    return this.#changes.countLinkChanges(jobInstanceId, connector, state);
  }
  setChangesState(jobInstanceId: number, connector: string, from: ChangeState, to: ChangeState): Promise<void> {
    return this.#changes.setChangesState(jobInstanceId, connector, from, to);
  }
  setChangeStateByIds(entity: ChangeEntity, ids: readonly number[], to: ChangeState): Promise<void> {
    return this.#changes.setChangeStateByIds(entity, ids, to);
  }
  deleteChanges(jobInstanceId: number, connector: string): Promise<void> {
    return this.#changes.deleteChanges(jobInstanceId, connector);
  }

  // Synchronization history (synchronization-history.ts) ---------------------------------------

  startSynchronization(sync: NewSynchronization): Promise<number> {
    return this.#synchronizations.start(sync);
  }
  updateSynchronization(id: number, set: Partial<Omit<SynchronizationRow, "id">>): Promise<void> {
    return this.#synchronizations.update(id, set);
  }
  synchronizations(connector: string, limit: number): Promise<SynchronizationRow[]> {
    return this.#synchronizations.ofConnector(connector, limit);
  }
  synchronizationOfTask(taskInstanceId: number): Promise<SynchronizationRow | undefined> {
    return this.#synchronizations.ofTask(taskInstanceId);
  }
}

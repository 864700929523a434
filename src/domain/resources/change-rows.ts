/**
 * A synchronization's change rows (idm_resource_changes, idm_resource_link_changes): written by the
 * Complete and Incremental diffs, read page by page to be applied or reviewed (`idm sync changes`).
 * Their states move as a queue of held changes (blocked-changes.ts, SYNCHRONIZATION_CHANGES).
 */
import type { ResourceChangeRow, ResourceLinkChangeRow } from "../../store/entities.js";
import { ENTITY } from "../../store/entities.js";
import { runInBatches } from "../../store/prepared-statements.js";
import { chunks, run } from "../../store/statements.js";
import { HeldChanges, type ChangeCounts } from "../blocked-changes.js";
import type { ChangeState } from "../vocabulary.js";
import * as q from "./resource-queries.js";
import { DEFAULT_PAGE_SIZE, keysetPages, type StoreSession } from "./store-session.js";

export type NewResourceChange = Omit<ResourceChangeRow, "id">;
export type NewLinkChange = Omit<ResourceLinkChangeRow, "id">;
export type ChangeEntity = typeof ENTITY.resourceChange | typeof ENTITY.resourceLinkChange;

export class ChangeRows {
  constructor(private readonly session: StoreSession) {}

  /** The state transitions of a synchronization's changes (hold, apply, discard). */
  get held(): HeldChanges {
    return new HeldChanges(this.session.m, q.SYNCHRONIZATION_CHANGES);
  }

  async insertResourceChanges(rows: readonly NewResourceChange[]): Promise<void> {
    await runInBatches(this.session.m, rows, this.session.rowBatch(q.INSERT_COLUMNS.resourceChanges), (batch) => q.insertResourceChanges(this.session.m, batch));
  }

  async insertLinkChanges(rows: readonly NewLinkChange[]): Promise<void> {
    await runInBatches(this.session.m, rows, this.session.rowBatch(q.INSERT_COLUMNS.linkChanges), (batch) => q.insertLinkChanges(this.session.m, batch));
  }

  /** A job instance's resource changes in id order (the order they were computed and are applied in), `pageSize` at a time. */
  resourceChanges(jobInstanceId: number, filter: q.ChangeFilter = {}, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceChangeRow[]> {
    return keysetPages(
      (afterId: number | undefined) => q.selectResourceChanges(this.session.m, jobInstanceId, filter, afterId ?? 0, pageSize).getMany(), (c) => c.id, pageSize,
    );
  }

  linkChanges(jobInstanceId: number, filter: q.ChangeFilter = {}, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceLinkChangeRow[]> {
    return keysetPages(
      (afterId: number | undefined) => q.selectLinkChanges(this.session.m, jobInstanceId, filter, afterId ?? 0, pageSize).getMany(), (c) => c.id, pageSize,
    );
  }

  /** Resource changes counted per entity type and operation: `{ "HR_Person": { insert: 3, update: 1 } }`. */
  countResourceChanges(jobInstanceId: number, connector: string, state: ChangeState): Promise<ChangeCounts> {
    return this.held.count(ENTITY.resourceChange, { owner: jobInstanceId, subject: connector }, state);
  }

  /** Link changes counted per association and operation. */
  countLinkChanges(jobInstanceId: number, connector: string, state: ChangeState): Promise<ChangeCounts> {
    return this.held.count(ENTITY.resourceLinkChange, { owner: jobInstanceId, subject: connector }, state);
  }

  /** Moves a synchronization's resource and link changes from one state to another. */
  setChangesState(jobInstanceId: number, connector: string, from: ChangeState, to: ChangeState): Promise<void> {
    return this.held.move({ owner: jobInstanceId, subject: connector }, from, to);
  }

  setChangeStateByIds(entity: ChangeEntity, ids: readonly number[], to: ChangeState): Promise<void> {
    return this.held.moveByIds(entity, ids, to);
  }

  /** Deletes a synchronization's resource and link changes. */
  deleteChanges(jobInstanceId: number, connector: string): Promise<void> {
    return this.held.remove({ owner: jobInstanceId, subject: connector });
  }
}

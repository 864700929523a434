/**
 * The assignment store's one entry point, for the role model tasks and the CLI: a typed API over
 * the statements of assignment-queries.ts (assignments, history, risk scores), key-queries.ts
 * (correlation keys) and order-queries.ts (provisioning orders). Reads go by owner batch or by
 * keyset pages; a delta is written in one transaction (assignment-writes.ts); every list of ids is
 * cut to the dialect's parameter limit. Tables and the reasons for their shape:
 * store/migrations/0007-assignments.ts.
 */
import type { EntityManager } from "typeorm";
import type { Dialect } from "../../store/database-url.js";
import type { AssignmentHistoryRow, RiskScoreRow } from "../../store/entities.js";
import { chunks, run } from "../../store/statements.js";
import { DEFAULT_PAGE_SIZE, keysetPages, StoreSession } from "../resources/store-session.js";
import type { ChangeState } from "../vocabulary.js";
import type {
  ContextRow, CorrelationKeyRow, NewCorrelationKey, NewOrder, OrderDecision, OrderRow, OwnerAssignments, ResourceTypeRow, ResourceTypeWithValues,
  RiskRow, RoleRow, ValueRow,
} from "./assignment-rows.js";
import * as q from "./assignment-queries.js";
import * as r from "./risk-score-queries.js";
import { writeDelta, type AssignmentDelta, type DeltaResult, type WriteContext } from "./assignment-writes.js";
import * as k from "./key-queries.js";
import * as o from "./order-queries.js";
import type { OrderChangeType, ProvisioningState } from "./states.js";

/** The change a Pending assignment waits for: its change_type, or without one Added when it has no target yet and Modified when it has. */
export function pendingChange(changeType: OrderChangeType | null, withoutTarget: boolean): OrderChangeType {
  return changeType ?? (withoutTarget ? "Added" : "Modified");
}

export type { AssignmentDelta, DeltaResult, FamilyDelta, RowEnd, RowUpdate, WriteContext } from "./assignment-writes.js";
export type { Family } from "./assignment-queries.js";
export type { OrderFilter } from "./order-queries.js";

/** An owner and a target whose keys are equal under one correlation rule of a resource type. */
export interface CorrelationMatch {
  ownerId: number;
  targetId: number;
  ruleIdentifier: string;
}

/** Owner ids of raw rows (PostgreSQL may return integers of an aggregate as text). */
function ownerIds(rows: readonly { ownerId: unknown }[]): number[] {
  return rows.map((row) => Number(row.ownerId));
}

/** When an assignment's newest order was written (it went Transmitted) and fulfilled (Executed or Errored). */
export interface OrderTimes {
  createdAt: Date;
  fulfilledAt: Date | null;
}

export class AssignmentStore {
  readonly dialect: Dialect;
  readonly #session: StoreSession;

  /** `m` is a DataSource's manager or a transaction's. */
  constructor(m: EntityManager) {
    this.#session = new StoreSession(m);
    this.dialect = this.#session.dialect;
  }

  private get m(): EntityManager {
    return this.#session.m;
  }

  /** Runs `work` in a transaction: this one when there is one, a new one otherwise. */
  async transaction<T>(work: (store: AssignmentStore) => Promise<T>): Promise<T> {
    return this.#session.transaction((session) => work(session === this.#session ? this : new AssignmentStore(session.m)));
  }

  // Assignments -----------------------------------------------------------------------------------

  /** Everything these owners hold, each listed owner present (empty when it holds nothing). */
  async readOwners(ownerIds: readonly number[]): Promise<Map<number, OwnerAssignments>> {
    const owners = new Map<number, OwnerAssignments>(ownerIds.map((id) => [id, { contexts: [], roles: [], resourceTypes: [], risks: [] }]));
    const ofOwner = (id: number) => owners.get(id)!;
    for (const batch of chunks(ownerIds, this.#session.idBatch())) {
      for (const row of await q.selectByOwners(this.m, "context", batch).getMany()) ofOwner(row.ownerId).contexts.push(row as ContextRow);
      for (const row of await q.selectByOwners(this.m, "role", batch).getMany()) ofOwner(row.ownerId).roles.push(row as RoleRow);
      for (const row of await q.selectByOwners(this.m, "risk", batch).getMany()) ofOwner(row.ownerId).risks.push(row as RiskRow);
      const types = (await q.selectByOwners(this.m, "resource-type", batch).getMany()) as ResourceTypeRow[];
      for (const type of await this.withValues(types)) ofOwner(type.ownerId!).resourceTypes.push(type);
    }
    return owners;
  }

  async resourceTypesByIds(ids: readonly number[]): Promise<ResourceTypeWithValues[]> {
    const rows: ResourceTypeRow[] = [];
    for (const batch of chunks(ids, this.#session.idBatch())) rows.push(...((await q.selectByIds(this.m, "resource-type", batch).getMany()) as ResourceTypeRow[]));
    return this.withValues(rows);
  }

  /** The resource type assignments whose target is one of these resources (owned and found ones). */
  async resourceTypesByTargets(targetIds: readonly number[]): Promise<ResourceTypeRow[]> {
    const rows: ResourceTypeRow[] = [];
    for (const batch of chunks(targetIds, this.#session.idBatch())) {
      rows.push(...((await q.selectResourceTypesByTargets(this.m, batch).getMany()) as ResourceTypeRow[]));
    }
    return rows;
  }

  /** A resource type's assignments in one provisioning state, with their values, `pageSize` at a time in id order. */
  resourceTypesInState(resourceType: string, state: ProvisioningState, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<ResourceTypeWithValues[]> {
    return keysetPages(async (afterId: number | undefined) => {
      const rows = (await q.selectResourceTypesInState(this.m, resourceType, state, afterId ?? 0, pageSize).getMany()) as ResourceTypeRow[];
      return this.withValues(rows);
    }, (row) => row.id, pageSize);
  }

  /** Assignments in a provisioning state per resource type (absent when none). */
  async countResourceTypesInState(resourceTypes: readonly string[], state: ProvisioningState): Promise<Map<string, number>> {
    if (resourceTypes.length === 0) return new Map();
    const rows = await q.countResourceTypesInState(this.m, resourceTypes, state).getRawMany<{ resourceType: string; count: number | string }>();
    return new Map(rows.map((r) => [r.resourceType, Number(r.count)]));
  }

  /** The orders a resource type's Pending assignments would make, per change type (held-back ones make none yet). */
  async countOrdersToSend(resourceType: string): Promise<Record<OrderChangeType, number>> {
    const counts: Record<OrderChangeType, number> = { Added: 0, Modified: 0, Deleted: 0 };
    for (const row of await q.countOrdersToSend(this.m, resourceType).getRawMany<Record<string, unknown>>()) {
      const type = pendingChange(row.changeType as OrderChangeType | null, Number(row.creation) === 1);
      counts[type] += Number(row.count);
    }
    return counts;
  }

  /** The owner-less found assignments of these resource types (id and target), `pageSize` at a time. */
  ownerlessFound(resourceTypes: readonly string[], pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<Pick<ResourceTypeRow, "id" | "targetId">[]> {
    return keysetPages(async (afterId: number | undefined) => {
      if (resourceTypes.length === 0) return [];
      return (await q.selectOwnerlessFound(this.m, resourceTypes, afterId ?? 0, pageSize).getMany()) as Pick<ResourceTypeRow, "id" | "targetId">[];
    }, (row) => row.id, pageSize);
  }

  private async withValues(types: ResourceTypeRow[]): Promise<ResourceTypeWithValues[]> {
    const values = new Map<number, ValueRow[]>(types.map((t) => [t.id, []]));
    for (const batch of chunks(types.map((t) => t.id), this.#session.idBatch())) {
      for (const row of (await q.selectValuesOfTypes(this.m, batch).getMany()) as ValueRow[]) values.get(row.assignedResourceTypeId)!.push(row);
    }
    return types.map((t) => ({ ...t, values: values.get(t.id)! }));
  }

  /** Inserts, updates and deletes assignments in one transaction, historizing what it replaces (assignment-writes.ts). */
  writeDelta(delta: AssignmentDelta, context: WriteContext): Promise<DeltaResult> {
    return writeDelta(this.#session, delta, context);
  }

  /**
   * Moves resource type assignments from one provisioning state to another, and their values that
   * are in the same state: the lifecycle of one version (Pending → Transmitted), not a new one.
   */
  async moveProvisioningState(resourceTypeIds: readonly number[], from: ProvisioningState, to: ProvisioningState): Promise<void> {
    await this.#session.transaction(async (s) => {
      for (const batch of chunks(resourceTypeIds, s.idBatch() - 2)) {
        // Only the values of assignments that move: those of a Verified one stay as they are.
        const moving = (await q.selectByIds(s.m, "resource-type", batch).select(["a.id"]).andWhere("a.provisioningState = :from", { from }).getMany()).map((r) => Number(r.id));
        if (moving.length === 0) continue;
        await run(s.m, q.moveValuesOfTypes(s.m, moving, from, to));
        await run(s.m, q.moveProvisioningState(s.m, "resource-type", moving, from, to));
      }
    });
  }

  /** The archived versions of one row, oldest first. */
  history(family: q.Family, rowId: number): Promise<AssignmentHistoryRow[]> {
    return q.selectRowHistory(this.m, family, rowId).getMany();
  }

  /** The archived versions of what an owner held, oldest first. */
  ownerHistory(ownerId: number): Promise<AssignmentHistoryRow[]> {
    return q.selectOwnerHistory(this.m, ownerId).getMany();
  }

  // Risk scores -----------------------------------------------------------------------------------

  /** Replaces the scores of these owners and removes those of `removed`, in one transaction. */
  async writeRiskScores(scores: readonly { ownerId: number; score: number }[], context: Pick<WriteContext, "at" | "jobInstanceId">, removed: readonly number[] = []): Promise<void> {
    await this.#session.transaction(async (s) => {
      for (const batch of chunks(removed, s.idBatch())) await run(s.m, q.deleteRiskScores(s.m, batch));
      for (const batch of chunks(scores, s.rowBatch(4))) {
        await run(s.m, q.deleteRiskScores(s.m, batch.map((b) => b.ownerId)));
        await run(s.m, q.insertRiskScores(s.m, batch.map((b) => ({ ownerId: b.ownerId, score: b.score, computedAt: context.at, updatedByJobInstance: context.jobInstanceId }))));
      }
    });
  }

  async riskScores(ownerIds: readonly number[]): Promise<RiskScoreRow[]> {
    const rows: RiskScoreRow[] = [];
    for (const batch of chunks(ownerIds, this.#session.idBatch())) rows.push(...(await q.selectRiskScores(this.m, batch).getMany()));
    return rows;
  }

  /** The identified risks of these owners, in id order. */
  async risksOf(ownerIds: readonly number[]): Promise<RiskRow[]> {
    const rows: RiskRow[] = [];
    for (const batch of chunks(ownerIds, this.#session.idBatch())) rows.push(...((await q.selectByOwners(this.m, "risk", batch).getMany()) as RiskRow[]));
    return rows;
  }

  /** The owners of an entity type holding identified risks, `pageSize` at a time in owner order. */
  riskOwners(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<number[]> {
    return keysetPages(async (after: number | undefined) => ownerIds(await r.selectRiskOwners(this.m, entityType, after ?? 0, pageSize).getRawMany()), (id) => id, pageSize);
  }

  /** The owners of an entity type with a score but no identified risk, `pageSize` at a time in owner order. */
  scoredOwnersWithoutRisks(entityType: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<number[]> {
    return keysetPages(async (after: number | undefined) => ownerIds(await r.selectScoredOwnersWithoutRisks(this.m, entityType, after ?? 0, pageSize).getRawMany()), (id) => id, pageSize);
  }

  /** The owners of an entity type whose identified risks a job instance inserted, updated, ended or deleted. */
  async ownersOfRisksChangedBy(entityType: string, jobInstanceId: number): Promise<number[]> {
    const written = ownerIds(await r.selectOwnersOfRisksWrittenBy(this.m, entityType, jobInstanceId).getRawMany());
    const archived = ownerIds(await r.selectOwnersOfRisksArchivedBy(this.m, entityType, jobInstanceId).getRawMany());
    return [...new Set([...written, ...archived])].sort((a, b) => a - b);
  }

  // Correlation keys --------------------------------------------------------------------------------

  /** Replaces every key of these resources by `keys` (which name only these resources), in one transaction. */
  async replaceKeys(resourceIds: readonly number[], keys: readonly NewCorrelationKey[]): Promise<void> {
    await this.#session.transaction(async (s) => {
      for (const batch of chunks(resourceIds, s.idBatch())) await run(s.m, k.deleteKeysOfResources(s.m, batch));
      for (const batch of chunks(keys, s.rowBatch(6))) await run(s.m, k.insertKeys(s.m, batch));
    });
  }

  async keysOf(resourceIds: readonly number[]): Promise<CorrelationKeyRow[]> {
    const rows: CorrelationKeyRow[] = [];
    for (const batch of chunks(resourceIds, this.#session.idBatch())) rows.push(...((await k.selectKeysOfResources(this.m, batch).getMany()) as CorrelationKeyRow[]));
    return rows;
  }

  /** The (resource type, rule) pairs that have keys. */
  async keyRules(): Promise<{ resourceType: string; ruleIdentifier: string }[]> {
    return k.selectKeyRules(this.m).getRawMany<{ resourceType: string; ruleIdentifier: string }>();
  }

  async deleteKeysOfRule(resourceType: string, ruleIdentifier: string): Promise<void> {
    await run(this.m, k.deleteKeysOfRule(this.m, resourceType, ruleIdentifier));
  }

  /** The targets whose key equals a key of these owners under the same rule of the resource type. */
  async correlationMatches(resourceType: string, ownerIds: readonly number[]): Promise<CorrelationMatch[]> {
    const matches: CorrelationMatch[] = [];
    for (const batch of chunks(ownerIds, this.#session.idBatch() - 3)) {
      for (const row of await k.selectKeyMatches(this.m, resourceType, batch).getRawMany<Record<string, unknown>>()) {
        matches.push({ ownerId: Number(row.ownerId), targetId: Number(row.targetId), ruleIdentifier: String(row.ruleIdentifier) });
      }
    }
    return matches;
  }

  // Provisioning orders -----------------------------------------------------------------------------

  async insertOrders(rows: readonly NewOrder[]): Promise<void> {
    await this.#session.transaction(async (s) => {
      for (const batch of chunks(rows, s.rowBatch(15))) await run(s.m, o.insertOrders(s.m, batch));
    });
  }

  /** Orders in id order, filtered, `pageSize` at a time. */
  orders(filter: o.OrderFilter = {}, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<OrderRow[]> {
    return keysetPages(async (afterId: number | undefined) => (await o.selectOrders(this.m, filter, afterId ?? 0, pageSize).getMany()) as OrderRow[], (r) => r.id, pageSize);
  }

  /** Every order the filter selects, in id order (its pages read one after the other). */
  async allOrders(filter: o.OrderFilter = {}): Promise<OrderRow[]> {
    const rows: OrderRow[] = [];
    for await (const page of this.orders(filter)) rows.push(...page);
    return rows;
  }

  /** The times of the newest order of each of these assignments (absent: no order was ever written for it). */
  async latestOrderTimes(assignedResourceTypeIds: readonly number[]): Promise<Map<number, OrderTimes>> {
    const times = new Map<number, OrderTimes>();
    for (const batch of chunks(assignedResourceTypeIds, this.#session.idBatch())) {
      for (const row of await o.selectOrderTimes(this.m, batch).getMany()) times.set(row.assignedResourceTypeId, { createdAt: row.createdAt, fulfilledAt: row.fulfilledAt });
    }
    return times;
  }

  /** The orders with these ids, or (`by: "assignment"`) of these assignments, further filtered; in id order. */
  async ordersOf(by: "id" | "assignment", ids: readonly number[], filter: o.OrderFilter = {}): Promise<OrderRow[]> {
    const rows: OrderRow[] = [];
    for (const batch of chunks(ids, this.#session.idBatch() - 6)) rows.push(...(await this.allOrders({ ...filter, ...(by === "id" ? { ids: batch } : { assignments: batch }) })));
    return rows.sort((a, b) => a.id - b.id);
  }

  async setOrderFile(ids: readonly number[], file: string, state: ChangeState): Promise<void> {
    for (const batch of chunks(ids, this.#session.idBatch() - 2)) await run(this.m, o.setOrderFile(this.m, batch, file, state));
  }

  /** Discards orders a review declined. */
  async discardOrders(ids: readonly number[]): Promise<void> {
    for (const batch of chunks(ids, this.#session.idBatch() - 1)) await run(this.m, o.discardOrders(this.m, batch));
  }

  /** Records the review of blocked orders (who, when, why); releasing or discarding them is the held-change queue's. */
  async recordDecision(ids: readonly number[], decision: { decision: OrderDecision; by: string; at: Date; comment: string | null }): Promise<void> {
    for (const batch of chunks(ids, this.#session.idBatch() - 4)) await run(this.m, o.recordOrderDecision(this.m, batch, decision));
  }
}

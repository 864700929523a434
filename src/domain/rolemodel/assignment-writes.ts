/**
 * Writes a delta of assignments in one transaction: ends and deletions, then updates, then
 * insertions, each family batched within the dialect's parameter limit. A row the delta updates or
 * deletes has its previous version copied into idm_assignment_history first (operation update or
 * delete), and a row that ends its last version with its end (operation end), unless the run ignores
 * historization (ComputeRoleModelTask's IgnoreHistorization). Provisioning-state moves made by the order
 * generation are progress of the same version, not new versions: they go through moveProvisioning.
 *
 * A new resource type assignment gets its id from idm_id_sequences before it is inserted, so that
 * its values, inserted in the same delta, can name it (portable multi-row INSERTs cannot say which
 * id each row got).
 */
import type { ObjectLiteral } from "typeorm";
import type { AssignmentHistoryRow } from "../../store/entities.js";
import { chunks, run } from "../../store/statements.js";
import type { StoreSession } from "../resources/store-session.js";
import type {
  ContextRow, NewContext, NewResourceType, NewRisk, NewRole, NewValue, ResourceTypeRow, RiskRow, RoleRow, ValueRow,
} from "./assignment-rows.js";
import * as q from "./assignment-queries.js";
import type { Family } from "./assignment-queries.js";

/** Who writes, when, and whether replaced versions are kept. */
export interface WriteContext {
  at: Date;
  jobInstanceId: number | null;
  /** Keep the previous version of each updated or deleted row (default true). */
  historize?: boolean;
}

export interface RowUpdate<Row> {
  id: number;
  set: Partial<Omit<Row, "id" | "updatedByJobInstance">>;
}

/** A row that ends: its last version, valid until `validTo`, goes to the history, and it leaves the live rows. */
export interface RowEnd {
  id: number;
  validTo: Date;
}

export interface FamilyDelta<New, Row> {
  insert?: readonly New[];
  update?: readonly RowUpdate<Row>[];
  /** Rows that expired (Evaluate Policy's purge): historized with their end, then removed. An ended resource type assignment ends its values. */
  end?: readonly RowEnd[];
  /** Ids of rows removed (declined, cancelled): historized as they were. A deleted resource type assignment takes its values with it. */
  delete?: readonly number[];
}

export interface AssignmentDelta {
  contexts?: FamilyDelta<NewContext, ContextRow>;
  roles?: FamilyDelta<NewRole, RoleRow>;
  resourceTypes?: FamilyDelta<NewResourceType, ResourceTypeRow>;
  values?: FamilyDelta<NewValue, ValueRow>;
  risks?: FamilyDelta<NewRisk, RiskRow>;
}

export type FamilyCounts = Record<Family, number>;

export interface DeltaResult {
  inserted: FamilyCounts;
  updated: FamilyCounts;
  ended: FamilyCounts;
  deleted: FamilyCounts;
  /** The ids given to `resourceTypes.insert`, in its order. */
  resourceTypeIds: number[];
}

const DELTA_KEYS: Record<Family, keyof AssignmentDelta> = { context: "contexts", role: "roles", "resource-type": "resourceTypes", value: "values", risk: "risks" };
const FAMILY_NAMES = Object.keys(DELTA_KEYS) as Family[];
const zero = (): FamilyCounts => ({ context: 0, role: 0, "resource-type": 0, value: 0, risk: 0 });

export const ASSIGNED_RESOURCE_TYPE_SEQUENCE = "idm_assigned_resource_types";

export async function writeDelta(session: StoreSession, delta: AssignmentDelta, context: WriteContext): Promise<DeltaResult> {
  return session.transaction(async (s) => {
    const writer = new DeltaWriter(s, context);
    await writer.deletions(delta);
    for (const family of FAMILY_NAMES) await writer.updates(family, (delta[DELTA_KEYS[family]]?.update ?? []) as readonly RowUpdate<object>[]);
    await writer.insertions(delta);
    return writer.result;
  });
}

/** Takes `count` consecutive ids of a sequence, in the session's transaction. */
export async function reserveIds(session: StoreSession, name: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  return session.transaction(async (s) => {
    await run(s.m, q.advanceSequence(s.m, name, count));
    const row = await q.selectSequence(s.m, name).getOne();
    if (row === null) throw new Error(`the id sequence ${name} is missing (migrations/0007 creates it)`);
    const first = Number(row.nextId) - count;
    return Array.from({ length: count }, (_, i) => first + i);
  });
}

class DeltaWriter {
  readonly result: DeltaResult = { inserted: zero(), updated: zero(), ended: zero(), deleted: zero(), resourceTypeIds: [] };

  constructor(private readonly s: StoreSession, private readonly context: WriteContext) {}

  private get historize(): boolean {
    return this.context.historize ?? true;
  }

  async deletions(delta: AssignmentDelta): Promise<void> {
    const ended = delta.resourceTypes?.end ?? [];
    const deleted = delta.resourceTypes?.delete ?? [];
    // Values first: they name their resource type assignment (a foreign key). They end, or go, with it.
    const valueEnds = new Map((delta.values?.end ?? []).map((e) => [e.id, e.validTo]));
    for (const batch of chunks(ended, this.s.idBatch())) {
      const validTo = new Map(batch.map((e) => [e.id, e.validTo]));
      for (const value of await q.selectValuesOfTypes(this.s.m, batch.map((e) => e.id)).select(["v.id", "v.assignedResourceTypeId"]).getMany()) {
        valueEnds.set(Number(value.id), validTo.get(Number(value.assignedResourceTypeId))!);
      }
    }
    const valueIds = new Set(delta.values?.delete ?? []);
    for (const batch of chunks(deleted, this.s.idBatch())) {
      for (const value of await q.selectValuesOfTypes(this.s.m, batch).select(["v.id"]).getMany()) valueIds.add(Number(value.id));
    }
    await this.end("value", [...valueEnds].map(([id, validTo]) => ({ id, validTo })));
    await this.delete("value", [...valueIds].filter((id) => !valueEnds.has(id)));
    await this.end("resource-type", ended);
    await this.delete("resource-type", deleted);
    for (const family of ["context", "role", "risk"] as const) {
      await this.end(family, delta[DELTA_KEYS[family]]?.end ?? []);
      await this.delete(family, delta[DELTA_KEYS[family]]?.delete ?? []);
    }
  }

  private async end(family: Family, ends: readonly RowEnd[]): Promise<void> {
    for (const batch of chunks(ends, this.s.idBatch())) {
      const ids = batch.map((e) => e.id);
      await this.archive(family, ids, "end", new Map(batch.map((e) => [e.id, e.validTo])));
      await run(this.s.m, q.deleteAssignments(this.s.m, family, ids));
      this.result.ended[family] += batch.length;
    }
  }

  private async delete(family: Family, ids: readonly number[]): Promise<void> {
    for (const batch of chunks(ids, this.s.idBatch())) {
      await this.archive(family, batch, "delete");
      await run(this.s.m, q.deleteAssignments(this.s.m, family, batch));
      this.result.deleted[family] += batch.length;
    }
  }

  /** Updates grouped by what they set: rows moved to the same values share one statement. */
  async updates(family: Family, updates: readonly RowUpdate<object>[]): Promise<void> {
    const groups = new Map<string, { set: Record<string, unknown>; ids: number[] }>();
    for (const update of updates) {
      const set: Record<string, unknown> = { ...update.set, updatedByJobInstance: this.context.jobInstanceId };
      const key = JSON.stringify(Object.keys(set).sort().map((k) => [k, set[k]]));
      const group = groups.get(key);
      if (group) group.ids.push(update.id);
      else groups.set(key, { set, ids: [update.id] });
    }
    for (const { set, ids } of groups.values()) {
      for (const batch of chunks(ids, this.s.idBatch() - Object.keys(set).length)) {
        await this.archive(family, batch, "update");
        await run(this.s.m, q.updateByIds(this.s.m, family, set, batch));
        this.result.updated[family] += batch.length;
      }
    }
  }

  async insertions(delta: AssignmentDelta): Promise<void> {
    const stamp = { updatedByJobInstance: this.context.jobInstanceId };
    const types = delta.resourceTypes?.insert ?? [];
    const ids = await reserveIds(this.s, ASSIGNED_RESOURCE_TYPE_SEQUENCE, types.length);
    this.result.resourceTypeIds = ids;
    const typeRows = types.map(({ values: _, ...row }, i) => ({ id: ids[i]!, ...row, ...stamp }));
    const values: object[] = types.flatMap((t, i) => (t.values ?? []).map((v) => ({ ...v, assignedResourceTypeId: ids[i]!, ...stamp })));
    for (const v of delta.values?.insert ?? []) values.push({ ...v, ...stamp });
    await this.insert("resource-type", typeRows);
    await this.insert("value", values);
    for (const family of ["context", "role", "risk"] as const) {
      await this.insert(family, (delta[DELTA_KEYS[family]]?.insert ?? []).map((row) => ({ ...row, ...stamp })));
    }
  }

  private async insert(family: Family, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    for (const batch of chunks(rows, this.s.rowBatch(Object.keys(rows[0]!).length))) await run(this.s.m, q.insertAssignments(this.s.m, family, batch));
    this.result.inserted[family] += rows.length;
  }

  /** Copies the current versions of these rows into the history (unless historization is ignored), an ended row with its end. */
  private async archive(family: Family, ids: readonly number[], operation: "update" | "end" | "delete", validTo?: ReadonlyMap<number, Date>): Promise<void> {
    if (!this.historize || ids.length === 0) return;
    const rows = (await q.selectByIds(this.s.m, family, ids).getMany()).map((row) => (validTo?.has(Number(row.id)) ? { ...row, validTo: validTo.get(Number(row.id)) } : row));
    const owners = family === "value" ? await this.ownersOfValues(rows) : new Map<number, number | null>();
    const history = rows.map((row): Omit<AssignmentHistoryRow, "id"> => ({
      family, rowId: Number(row.id), ownerId: family === "value" ? owners.get(Number(row.assignedResourceTypeId)) ?? null : (row.ownerId ?? null),
      operation, archivedAt: this.context.at, archivedByJobInstance: this.context.jobInstanceId, previous: JSON.stringify(row),
    }));
    for (const batch of chunks(history, this.s.rowBatch(7))) await run(this.s.m, q.insertHistory(this.s.m, batch));
  }

  /** Resource type assignment id → its owner, for the history of values. */
  private async ownersOfValues(values: readonly ObjectLiteral[]): Promise<Map<number, number | null>> {
    const typeIds = [...new Set(values.map((v) => Number(v.assignedResourceTypeId)))];
    const owners = new Map<number, number | null>();
    for (const batch of chunks(typeIds, this.s.idBatch())) {
      for (const row of await q.selectByIds(this.s.m, "resource-type", batch).select(["a.id", "a.ownerId"]).getMany()) owners.set(Number(row.id), row.ownerId ?? null);
    }
    return owners;
  }
}

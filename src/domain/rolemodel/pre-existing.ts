/**
 * SavePreExistingAccessRightsTask (reference tasks.md §3.15; README "SavePreExistingAccessRightsTask"):
 * after a first installation, the access rights the managed systems already held are requalified as
 * pre-existing, so that reviewers and the role model stop treating them as non-conforming rights to
 * remove: origin `pre-existing`, WorkflowState Historic (3, "pre-existing: found at the first sync,
 * before go-live", states.ts), ProvisioningState Verified (the synchronized data shows them: nothing
 * is to be provisioned), no change type, nothing held back. Validity is kept: current and past rows
 * alike. Each requalified row's previous version goes into the history, as any update does.
 *
 * Which rows, per table (the reference's three: resource types, scalar values, navigation values):
 * - by default, the rows of owned resource type assignments that are found (origin `found`), or
 *   automatic (rule, inferred) and waiting to remove what exists (a Deleted change, Pending or
 *   AwaitingApproval: the product's "automatic, provisioning state pending or blocked");
 * - with the table's SQL attribute, the rows whose ids its query returns (first column), instead.
 *   The query runs read-only (store/read-only-query.ts); ids that name no row of that table and
 *   kind, or a row already pre-existing, are counted as ignored.
 * Every selection is read before anything is written, so a failing query changes nothing; rows
 * already pre-existing are never selected again, so a second run writes nothing.
 */
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { readOnlyFirstColumn } from "../../store/read-only-query.js";
import { chunks } from "../../store/statements.js";
import { DEFAULT_PAGE_SIZE, keysetPages, StoreSession } from "../resources/store-session.js";
import type { WorkContext } from "../work-context.js";
import type { ResourceTypeRow, ValueKind, ValueRow } from "./assignment-rows.js";
import { AssignmentStore, type RowUpdate } from "./assignment-store.js";
import * as p from "./pre-existing-queries.js";

export const PRE_EXISTING_BATCH_SIZE = 5000;

/** The three tables the reference names, by their SQL attribute. */
export const PRE_EXISTING_SELECTIONS = {
  AssignedResourceTypeSQL: "resource-type",
  AssignedResourceScalarSQL: "scalar",
  AssignedResourceNavigationSQL: "navigation",
} as const;
export type PreExistingAttribute = keyof typeof PRE_EXISTING_SELECTIONS;
type Selection = (typeof PRE_EXISTING_SELECTIONS)[PreExistingAttribute];

export interface PreExistingCounters {
  resourceTypes: number;
  scalars: number;
  navigations: number;
  /** Ids a configured query returned that name no row of its table, or one already pre-existing. */
  ignored: number;
  [name: string]: number;
}

export interface PreExistingOptions extends Pick<WorkContext<PreExistingCounters>, "store" | "signal" | "log" | "progress"> {
  /** The SQL attributes given (a blank one is absent). */
  sql: Partial<Record<PreExistingAttribute, string>>;
  jobInstanceId: number | null;
  /** The time written into the history (now). */
  at?: Date;
}

/** A configured query that could not select: its attribute and why. */
export class PreExistingSelectionError extends Error {
  constructor(readonly attribute: PreExistingAttribute, message: string, options?: ErrorOptions) {
    super(`${attribute}: ${message}`, options);
  }
}

const REQUALIFIED = { origin: "pre-existing", workflowState: "Historic", provisioningState: "Verified", changeType: null } as const;
const COUNTER: Record<Selection, "resourceTypes" | "scalars" | "navigations"> = { "resource-type": "resourceTypes", scalar: "scalars", navigation: "navigations" };

export async function savePreExistingAccessRights(options: PreExistingOptions): Promise<PreExistingCounters> {
  const m = options.store.dataSource.manager;
  const counters: PreExistingCounters = { resourceTypes: 0, scalars: 0, navigations: 0, ignored: 0 };
  const selected = new Map<Selection, number[]>();
  for (const [attribute, selection] of Object.entries(PRE_EXISTING_SELECTIONS) as [PreExistingAttribute, Selection][]) {
    options.signal.throwIfAborted();
    const sql = options.sql[attribute];
    if (sql === undefined) {
      selected.set(selection, await defaultSelection(m, selection));
      continue;
    }
    const returned = await configuredIds(options, attribute, sql);
    const ids = await requalifiable(m, selection, returned);
    counters.ignored += returned.length - ids.length;
    options.log("Information", `${attribute}: the query returned ${returned.length} ids, ${ids.length} of rows to requalify`);
    selected.set(selection, ids);
  }

  const assignments = new AssignmentStore(m);
  const write = { at: options.at ?? new Date(), jobInstanceId: options.jobInstanceId };
  for (const [selection, ids] of selected) {
    for (const batch of chunks(ids, PRE_EXISTING_BATCH_SIZE)) {
      options.signal.throwIfAborted();
      if (selection === "resource-type") {
        const update = batch.map((id): RowUpdate<ResourceTypeRow> => ({ id, set: { ...REQUALIFIED, heldBack: null } }));
        await assignments.writeDelta({ resourceTypes: { update } }, write);
      } else {
        await assignments.writeDelta({ values: { update: batch.map((id): RowUpdate<ValueRow> => ({ id, set: { ...REQUALIFIED } })) } }, write);
      }
      counters[COUNTER[selection]] += batch.length;
      options.progress({ ...counters });
    }
  }
  return counters;
}

async function defaultSelection(m: EntityManager, selection: Selection): Promise<number[]> {
  const ids: number[] = [];
  const page = (afterId: number | undefined): SelectQueryBuilder<ObjectLiteral> => (selection === "resource-type"
    ? p.selectPreExistingResourceTypes(m, afterId ?? 0, DEFAULT_PAGE_SIZE)
    : p.selectPreExistingValues(m, selection, afterId ?? 0, DEFAULT_PAGE_SIZE));
  for await (const rows of keysetPages(async (after: number | undefined) => idsOf(await page(after).getRawMany()), (id) => id, DEFAULT_PAGE_SIZE)) ids.push(...rows);
  return ids;
}

/** The ids a configured query returns: integers, each once. */
async function configuredIds(options: PreExistingOptions, attribute: PreExistingAttribute, sql: string): Promise<number[]> {
  let values: unknown[];
  try {
    values = await readOnlyFirstColumn(options.store.dataSource, sql);
  } catch (error) {
    throw new PreExistingSelectionError(attribute, (error as Error).message, { cause: error });
  }
  const ids = new Set<number>();
  for (const value of values) {
    const id = typeof value === "bigint" ? Number(value) : typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof id !== "number" || !Number.isSafeInteger(id)) {
      throw new PreExistingSelectionError(attribute, `the query must return row ids in its first column, and returned ${JSON.stringify(String(value))}`);
    }
    ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Of the ids a query returned, those of rows of the selection's table and kind not pre-existing yet. */
async function requalifiable(m: EntityManager, selection: Selection, ids: readonly number[]): Promise<number[]> {
  const kept: number[] = [];
  for (const batch of chunks(ids, new StoreSession(m).idBatch() - 2)) {
    const query = selection === "resource-type" ? p.selectRequalifiableResourceTypes(m, batch) : p.selectRequalifiableValues(m, selection as ValueKind, batch);
    kept.push(...idsOf(await query.getRawMany()));
  }
  return kept;
}

function idsOf(rows: readonly { id: unknown }[]): number[] {
  return rows.map((row) => Number(row.id));
}

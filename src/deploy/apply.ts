/**
 * `idm deploy`: applies a plan in one transaction under the "deploy" lease, with a ledger row and
 * item revisions written in that same transaction, so that a deploy is all or nothing.
 */
import { hostname } from "node:os";
import type { EntityManager } from "typeorm";
import { acquireLease, type LeaseOptions } from "../store/lease.js";
import type { Store } from "../store/store.js";
import { checkDeletionGuard, type DeletionGuard } from "./deletion-guard.js";
import { DeployError } from "./deploy-error.js";
import { osUser } from "./os-user.js";
import { canonicalJson, setHash, type Item } from "../config/items.js";
import { batchSize } from "../store/statements.js";
import { ENTITY } from "../store/entities.js";
import { insertAll } from "../domain/table-statements.js";
import { clearSourceFingerprints, deleteItems, finishDeployment, insertDeployment, selectNewestDeployment, updateItem } from "./item-queries.js";
import { emptyPlan, hasChanges, ledgerPlan, planDeploy, PLAN_VERSION, type Plan } from "./plan.js";
import { fingerprintOf, itemsOf, type DesiredItems } from "./desired-items.js";
import { type StoredItem } from "../domain/stored-items.js";
import { readStoredForPlan } from "./read-stored.js";
import { contributionsColumn, revisionState, sourceColumns, toItemRow } from "./stored-items.js";

export interface DeployOptions {
  sourceFolder: string;
  scope?: string;
  /** Apply this saved plan exactly, if the stored state still is its basis. */
  plan?: Plan;
  allowDeletes?: boolean;
  guard: DeletionGuard;
  lease: LeaseOptions;
  kind?: "deploy" | "rollback";
  rollbackOf?: number;
  /** Called when the transaction starts: progress output for long deploys. */
  onApply?: (plan: Plan) => void;
  /** Called after each batch written inside the transaction (tests inject failures here). */
  afterBatch?: () => void | Promise<void>;
}

export interface DeployResult {
  plan: Plan;
  /** Absent when there was nothing to apply. */
  deploymentId?: number;
}

export async function deploy(store: Store, desired: DesiredItems, options: DeployOptions): Promise<DeployResult> {
  const lease = await acquireLease(store, "deploy", options.lease);
  try {
    // Only a whole folder's deploy records its fingerprint, and only such a deploy may skip the comparison.
    const fingerprint = options.scope === undefined && (options.kind ?? "deploy") === "deploy" ? fingerprintOf(desired) : undefined;
    const unchanged = fingerprint !== undefined && !options.plan ? await unchangedSince(store, fingerprint) : undefined;
    if (unchanged) return { plan: unchanged };
    const items = itemsOf(desired);
    const stored = await readStoredForPlan(store.dataSource.manager, store.dialect, items);
    const plan = planDeploy(items, stored, options.scope ? { scope: options.scope } : {});
    if (options.plan) checkSavedPlan(options.plan, plan, stored);
    if (!options.allowDeletes) checkDeletionGuard(plan, stored, options.guard);
    if (!hasChanges(plan)) return { plan };
    options.onApply?.(plan);
    const deploymentId = await store.dataSource.transaction((manager) => applyPlan(store, manager, plan, stored, options, fingerprint));
    return { plan, ...(deploymentId === undefined ? {} : { deploymentId }) };
  } finally {
    await lease.release();
  }
}

/**
 * The empty plan, when the newest deployment was made from files with this very fingerprint: the
 * stored items are then that folder's items, sources included (only deploys write them, and every
 * deploy that writes any clears the fingerprints it does not record), so there is nothing to compare.
 */
async function unchangedSince(store: Store, fingerprint: string): Promise<Plan | undefined> {
  const newest = await selectNewestDeployment(store.dataSource.manager).getOne();
  return newest?.sourceFingerprint === fingerprint ? emptyPlan(newest.configurationHash) : undefined;
}

/**
 * A saved plan is applied only when it is exactly the plan that this folder and this database give
 * now: made from the same configuration (its hash), on the same stored state (its basis), and not
 * edited since. The recomputed plan is the one applied, so nothing in the file is trusted.
 */
function checkSavedPlan(saved: Plan, fresh: Plan, stored: StoredItem[]): void {
  if (saved.version !== PLAN_VERSION) throw new DeployError("stale-plan", `the plan was written by another version (format ${saved.version}, expected ${PLAN_VERSION})`);
  if (saved.basis !== setHash(stored)) {
    throw new DeployError("stale-plan", "the stored configuration changed since the plan was made: run idm plan again");
  }
  if (saved.configurationHash !== fresh.configurationHash) {
    throw new DeployError("stale-plan", "the plan was made from another configuration than this folder: run idm plan on this folder");
  }
  if (canonicalJson(saved) !== canonicalJson(JSON.parse(JSON.stringify(fresh)))) {
    throw new DeployError("stale-plan", "the plan does not match what this folder and the database give (edited by hand, or made with another --scope): run idm plan again");
  }
}

/** Writes the plan; returns the ledger id, or undefined when only sources moved (no change to record). */
async function applyPlan(
  store: Store, manager: EntityManager, plan: Plan, stored: StoredItem[], options: DeployOptions, fingerprint: string | undefined,
): Promise<number | undefined> {
  await clearSourceFingerprints(manager).execute();
  const ids = new Map(stored.map((s) => [`${s.kind}\u0000${s.identifier}`, s]));
  const storedOf = (kind: string, identifier: string): StoredItem => ids.get(`${kind}\u0000${identifier}`)!;
  for (const move of plan.moves) {
    const row = { ...sourceColumns(move.to), contributions: contributionsColumn(move.contributions) };
    await updateItem(manager, storedOf(move.kind, move.identifier).id, row).execute();
  }
  const { insert, update, delete: deleted } = plan.summary;
  if (insert + update + deleted === 0) return undefined;

  const started = new Date();
  const inserted = await insertDeployment(manager, {
    kind: options.kind ?? "deploy",
    status: "applied",
    startedAt: started,
    endedAt: null,
    user: osUser(),
    host: hostname(),
    sourceFolder: options.sourceFolder,
    configurationHash: plan.configurationHash,
    inserted: insert,
    updated: update,
    deleted,
    plan: ledgerPlan(plan),
    error: null,
    rollbackOf: options.rollbackOf ?? null,
    sourceFingerprint: fingerprint ?? null,
  }).execute();
  const deploymentId = Number(inserted.identifiers[0]!.id);

  await insertAll(manager, ENTITY.item, plan.inserts.map((item) => toItemRow(item, deploymentId)), options.afterBatch);
  for (const { item } of plan.updates) {
    const { createdBy: _, ...row } = toItemRow(item, deploymentId);
    await updateItem(manager, storedOf(item.kind, item.identifier).id, row).execute();
  }
  const deleteIds = plan.deletes.map((d) => storedOf(d.kind, d.identifier).id);
  const idBatch = batchSize(store.dialect, 1);
  for (let i = 0; i < deleteIds.length; i += idBatch) {
    await deleteItems(manager, deleteIds.slice(i, i + idBatch)).execute();
    await options.afterBatch?.();
  }

  // A revision keeps the state before its change: the state after it is in the next revision, or in
  // idm_items (history.ts itemsAfter), so each item's JSON is written once per deployment.
  const revisions = [
    ...plan.inserts.map((item) => ({ deploymentId, kind: item.kind, identifier: item.identifier, operation: "insert" as const, before: null, after: null })),
    ...plan.updates.map(({ item }) => ({ deploymentId, kind: item.kind, identifier: item.identifier, operation: "update" as const, before: revisionState(storedOf(item.kind, item.identifier)), after: null })),
    ...plan.deletes.map((d) => ({ deploymentId, kind: d.kind, identifier: d.identifier, operation: "delete" as const, before: revisionState(storedOf(d.kind, d.identifier)), after: null })),
  ];
  await insertAll(manager, ENTITY.revision, revisions, options.afterBatch);
  await finishDeployment(manager, deploymentId, new Date()).execute();
  return deploymentId;
}

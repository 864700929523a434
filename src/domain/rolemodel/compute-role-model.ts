/**
 * ComputeRoleModelTask (reference model.md §C.12, Evaluate Policy): for each owner entity type (the
 * TaskEntityType children, else every SourceEntityType of the ContextRules and ResourceTypes), its
 * owners in batches (all of them by keyset pages of BatchSelectSize, or in Dirty mode the dirty ones,
 * those reaching a dirty resource through what the rules read, and those holding a dirty target):
 * each owner's input loaded (compute/owner-inputs.ts), its expected assignments computed and
 * reconciled with the stored ones by the pure engine (evaluate/), the delta written in one
 * transaction per batch. The policy model and the rules' expressions are compiled once per run.
 */
import { DirtyIds } from "../expressions/dirty-subjects.js";
import { readEntityModel } from "../resources/entity-model.js";
import type { EntityTypeRun } from "../work-context.js";
import { AssignmentStore } from "./assignment-store.js";
import { emptyDelta } from "./compute/assignment-adapter.js";
import { prepareOwnerLoader } from "./compute/owner-loader.js";
import { ResourceKeys } from "./compute/resource-keys.js";
import { compilePolicy } from "./evaluate/compile.js";
import { expectedAssignments } from "./evaluate/expected.js";
import { reconcile } from "./evaluate/reconcile.js";
import { LimitedWarnings } from "./limited-warnings.js";
import { loadPolicyModel } from "./policy-loader.js";
import { loadContext, subjectBatches } from "./rule-subjects.js";

export const DEFAULT_ROLE_MODEL_BATCH_SIZE = 2000;

export interface RoleModelCounters {
  owners: number;
  roles: number;
  resourceTypes: number;
  values: number;
  inserted: number;
  updated: number;
  ended: number;
  deleted: number;
  pending: number;
  awaitingApproval: number;
  verified: number;
  errors: number;
  [name: string]: number;
}

/** batchSize: owners per batch; 0: DEFAULT_ROLE_MODEL_BATCH_SIZE. */
export interface RoleModelOptions extends EntityTypeRun<RoleModelCounters> {
  jobInstanceId: number | null;
  blockProvisioning: boolean;
  blockAllResourceTypeProvisioning: boolean;
  ignoreHistorization: boolean;
  /** The evaluation instant; default now. */
  at?: Date;
}

const FAMILIES = ["context", "role", "resource-type", "value", "risk"] as const;

export async function computeRoleModel(options: RoleModelOptions): Promise<RoleModelCounters> {
  const { store, log } = options;
  const now = options.at ?? new Date();
  const entities = await readEntityModel(store);
  const policy = await loadPolicyModel(store);
  const assignments = new AssignmentStore(store.dataSource.manager);
  const load = loadContext(store, entities);
  const keys = new ResourceKeys(load);
  const warnings = new LimitedWarnings(log);
  const dirty = options.dirty ? new DirtyIds(load) : undefined;
  const size = options.batchSize > 0 ? options.batchSize : DEFAULT_ROLE_MODEL_BATCH_SIZE;
  const counters: RoleModelCounters = { owners: 0, roles: 0, resourceTypes: 0, values: 0, inserted: 0, updated: 0, ended: 0, deleted: 0, pending: 0, awaitingApproval: 0, verified: 0, errors: 0 };
  for (const w of compilePolicy(policy).warnings) warnings.warn(w);
  const owned = [...new Set([...policy.contextRules.map((r) => r.sourceEntityType), ...policy.resourceTypes.map((r) => r.sourceEntityType)])].sort();

  for (const entityType of options.entityTypes ?? owned) {
    if (!owned.includes(entityType)) {
      log("Information", `${entityType}: no ContextRule nor ResourceType has it as SourceEntityType, nothing to compute`);
      continue;
    }
    if (!entities.entityTypes.has(entityType)) {
      log("Warning", `${entityType}: the EntityType is not deployed, its role model is not computed`);
      continue;
    }
    const { programs, inputs, adapter } = await prepareOwnerLoader({ store, entities, policy, keys, assignments, warn: (m) => warnings.warn(m) }, entityType);
    const extra = dirty ? await inputs.ownersOfDirtyTargets(dirty) : [];
    let owners = 0;
    for await (const batch of subjectBatches(load, entityType, programs.navigations, dirty, size, options.signal, extra)) {
      const loaded = await inputs.load(batch, adapter);
      const delta = emptyDelta();
      const expectedNavigations: Array<{ resourceType: string; property: string; key: string }> = [];
      const evaluated = loaded.map((owner) => {
        const expected = expectedAssignments(owner.input, policy, now);
        for (const w of expected.warnings) warnings.warn(`${entityType} ${owner.input.key}: ${w}`);
        for (const v of expected.values) if (v.kind === "navigation") expectedNavigations.push({ resourceType: v.resourceType, property: v.property, key: String(v.policyValue) });
        const engineDelta = reconcile(expected, owner.rows.stored, owner.input.targets, {
          model: policy, now, blockProvisioning: options.blockProvisioning, blockAllResourceTypeProvisioning: options.blockAllResourceTypeProvisioning,
          stateSince: owner.stateSince,
        });
        return { owner, expected, engineDelta };
      });
      await inputs.resolveNavigations(expectedNavigations);
      for (const { owner, expected, engineDelta } of evaluated) {
        adapter.addToDelta(delta, owner.id, engineDelta, owner.rows, expected.contexts, programs.context?.rule.source ?? null);
        counters.roles += expected.roles.length;
        counters.resourceTypes += expected.resourceTypes.length;
        counters.values += expected.values.length;
        const live = [...engineDelta.kept, ...engineDelta.changes.flatMap((c) => (c.change === "insert" || c.change === "update" ? [c.row] : []))];
        for (const row of live) {
          if (!("provisioningState" in row)) continue;
          if (row.provisioningState === "Pending") counters.pending++;
          else if (row.provisioningState === "AwaitingApproval") counters.awaitingApproval++;
          else if (row.provisioningState === "Verified") counters.verified++;
        }
      }
      options.signal.throwIfAborted();
      const result = await assignments.writeDelta(delta, { at: now, jobInstanceId: options.jobInstanceId, historize: !options.ignoreHistorization });
      for (const f of FAMILIES) {
        counters.inserted += result.inserted[f];
        counters.updated += result.updated[f];
        counters.ended += result.ended[f];
        counters.deleted += result.deleted[f];
      }
      owners += batch.rows.length;
      counters.owners += batch.rows.length;
      options.progress({ ...counters, errors: warnings.count });
    }
    log("Information", `${entityType}: role model of ${owners} owners computed`);
  }
  warnings.summarize("role model warnings");
  counters.errors = warnings.count;
  return counters;
}

/**
 * ComputeRiskScoresTask (reference tasks.md §3.3, model.md §C.8, §C.10; README "Risk scores"): each
 * owner's score from the risks identified for it (idm_identified_risks, written by ComputeRoleModel),
 * aggregated as the RiskFactorType of its entity type's ContextRule says.
 *
 * - The risks that count are the owner's current ones (valid at the run's instant), each risk once
 *   however many periods it has; its weight is its Risk's Level (0–100) as deployed now. A row naming
 *   a risk that is no longer deployed does not count (counted in `undeployed`).
 * - Max: the highest Level; Average: the mean of the Levels, rounded half up; None (the default,
 *   and an entity type without ContextRule): no score.
 * - A row in idm_risk_scores exists exactly for the owners that have a score: an owner without a
 *   current risk, or under None, has none (a reader takes that as 0), and its old row is removed.
 *
 * Owners: for each entity type in scope (the TaskEntityType list, else every ContextRule's
 * SourceEntityType), all those holding risks or a score; in Dirty mode only the dirty ones and those
 * whose risks this job instance wrote or archived (the ComputeRoleModel before it in the job, which
 * also changes the risks of owners that are not dirty themselves). A score is written only when it
 * changes, one transaction per batch, so a second run writes nothing.
 */
import { DirtyIds } from "../expressions/dirty-subjects.js";
import { readEntityModel } from "../resources/entity-model.js";
import type { EntityTypeRun } from "../work-context.js";
import type { RiskRow } from "./assignment-rows.js";
import { AssignmentStore } from "./assignment-store.js";
import type { ContextRule } from "./evaluate/model.js";
import { loadPolicyModel } from "./policy-loader.js";
import { loadContext } from "./rule-subjects.js";

export const DEFAULT_RISK_SCORE_BATCH_SIZE = 5000;

export type RiskFactorType = NonNullable<ContextRule["riskFactorType"]>;

export interface RiskScoreCounters {
  /** Owners whose score was computed. */
  owners: number;
  /** Scores written for owners that had none. */
  scored: number;
  /** Scores changed. */
  rescored: number;
  /** Scores removed: no current risk any more, or the entity type's RiskFactorType is None. */
  unscored: number;
  /** Identified risk rows naming a Risk that is not deployed (they do not count). */
  undeployed: number;
  [name: string]: number;
}

/** entityTypes: the owner entity types, undefined: every ContextRule's SourceEntityType; batchSize 0: DEFAULT_RISK_SCORE_BATCH_SIZE. */
export interface RiskScoreOptions extends EntityTypeRun<RiskScoreCounters> {
  jobInstanceId: number | null;
  /** The instant risks must be valid at, and the scores' computed_at (now). */
  at?: Date;
}

/**
 * The score of one owner's identified risks, or undefined for no score. `levels` gives each deployed
 * Risk's Level; rows of other risks and rows not valid at `at` do not count.
 */
export function riskScore(factor: RiskFactorType, risks: readonly Pick<RiskRow, "risk" | "validFrom" | "validTo">[], levels: ReadonlyMap<string, number>, at: Date): number | undefined {
  if (factor === "None") return undefined;
  const now = at.getTime();
  const current = new Set(risks.filter((r) => (r.validFrom === null || r.validFrom.getTime() <= now) && (r.validTo === null || r.validTo.getTime() > now)).map((r) => r.risk));
  const weights = [...current].flatMap((risk) => (levels.has(risk) ? [levels.get(risk)!] : []));
  if (weights.length === 0) return undefined;
  if (factor === "Max") return Math.max(...weights);
  return Math.round(weights.reduce((sum, level) => sum + level, 0) / weights.length);
}

export async function computeRiskScores(options: RiskScoreOptions): Promise<RiskScoreCounters> {
  const { store, log } = options;
  const policy = await loadPolicyModel(store);
  const run: Run = {
    options,
    at: options.at ?? new Date(),
    levels: new Map(policy.risks.map((r) => [r.identifier, r.level])),
    assignments: new AssignmentStore(store.dataSource.manager),
    counters: { owners: 0, scored: 0, rescored: 0, unscored: 0, undeployed: 0 },
  };
  const size = options.batchSize > 0 ? options.batchSize : DEFAULT_RISK_SCORE_BATCH_SIZE;
  const dirty = options.dirty ? new DirtyIds(loadContext(store, await readEntityModel(store))) : undefined;
  const ruled = [...new Set(policy.contextRules.map((r) => r.sourceEntityType))].sort();
  for (const entityType of options.entityTypes ?? ruled) {
    const rule = policy.contextRules.find((r) => r.sourceEntityType === entityType);
    const factor = rule?.riskFactorType ?? "None";
    if (!rule) log("Information", `${entityType}: no ContextRule has it as SourceEntityType, its owners get no risk score`);
    if (dirty) {
      const owners = await dirtyOwners(run.assignments, dirty, entityType, options.jobInstanceId);
      for (let i = 0; i < owners.length; i += size) await scoreBatch(run, owners.slice(i, i + size), factor);
    } else {
      for await (const page of run.assignments.riskOwners(entityType, size)) await scoreBatch(run, page, factor);
      for await (const page of run.assignments.scoredOwnersWithoutRisks(entityType, size)) await scoreBatch(run, page, factor);
    }
    log("Information", `${entityType}: risk scores computed (RiskFactorType ${factor})`);
  }
  return run.counters;
}

/** What every batch of a run shares. */
interface Run {
  options: RiskScoreOptions;
  at: Date;
  levels: ReadonlyMap<string, number>;
  assignments: AssignmentStore;
  counters: RiskScoreCounters;
}

/** Scores a batch of owners and writes the scores that changed, in one transaction. */
async function scoreBatch(run: Run, ownerIds: readonly number[], factor: RiskFactorType): Promise<void> {
  const { options, counters } = run;
  options.signal.throwIfAborted();
  const risks = await run.assignments.risksOf(ownerIds);
  counters.undeployed += risks.filter((r) => !run.levels.has(r.risk)).length;
  const byOwner = new Map<number, RiskRow[]>();
  for (const risk of risks) {
    const list = byOwner.get(risk.ownerId);
    if (list) list.push(risk);
    else byOwner.set(risk.ownerId, [risk]);
  }
  const stored = new Map((await run.assignments.riskScores(ownerIds)).map((s) => [s.ownerId, s.score]));
  const write: { ownerId: number; score: number }[] = [];
  const removed: number[] = [];
  for (const ownerId of ownerIds) {
    const score = riskScore(factor, byOwner.get(ownerId) ?? [], run.levels, run.at);
    const before = stored.get(ownerId);
    if (score === undefined) {
      if (before !== undefined) removed.push(ownerId);
    } else if (before !== score) {
      write.push({ ownerId, score });
      counters[before === undefined ? "scored" : "rescored"]++;
    }
  }
  counters.unscored += removed.length;
  counters.owners += ownerIds.length;
  if (write.length > 0 || removed.length > 0) await run.assignments.writeRiskScores(write, { at: run.at, jobInstanceId: options.jobInstanceId }, removed);
  options.progress({ ...counters });
}

/** Dirty mode's owners of an entity type: the dirty ones, and those whose risks this job instance changed. */
async function dirtyOwners(assignments: AssignmentStore, dirty: DirtyIds, entityType: string, jobInstanceId: number | null): Promise<number[]> {
  const changed = jobInstanceId === null ? [] : await assignments.ownersOfRisksChangedBy(entityType, jobInstanceId);
  return [...new Set([...changed, ...(await dirty.of(entityType))])].sort((a, b) => a - b);
}

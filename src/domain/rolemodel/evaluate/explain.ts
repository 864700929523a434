/**
 * The data behind `idm why`: for one owner and one role or resource type, every rule that could
 * assign it, context by context, with what it decided (granted, inferred, suggested, denied,
 * overridden) or why it did not match (the dimension whose value differed, the role the owner
 * does not hold). It runs the very evaluation expectedAssignments runs, then reads every rule of the
 * subject instead of the indexed few, so the explanation cannot disagree with the assignment.
 */
import type { AssignmentOrigin, RuleType, WorkflowState } from "../states.js";
import type { Context, Correlation, Period, RoleKind } from "./assignments.js";
import type { EntityPolicy } from "./compile.js";
import { contextOf } from "./contexts.js";
import { criteriaMismatches, type CriterionMismatch } from "./criteria.js";
import { decide, type Decision, type Matched } from "./decide.js";
import { evaluateOwner, type ContextEvaluation, type OwnerEvaluation } from "./evaluate-owner.js";
import { expectedAssignments } from "./expected.js";
import type { Held } from "./grants.js";
import type { CriteriaRule, OwnerInput, PolicyModel, RuleSource, TargetRef } from "./model.js";
import { dimensionSuffix } from "./parameter-names.js";
import { intersectLists, type Span } from "./periods.js";
import { offsetSpan } from "./time-offsets.js";

export type SubjectKind = RoleKind | "resourceType";

export type Mismatch =
  | ({ kind: "dimension"; dimensionIdentifier: string | null; parameter: string } & CriterionMismatch)
  | { kind: "role"; roleKind: RoleKind; role: string }
  | { kind: "period" };

export type VerdictOutcome = "granted" | "inferred" | "suggested" | "denied" | "overridden" | "beaten" | "outranked" | "not-matched";

export interface RuleVerdict {
  rule: RuleSource;
  effect: "grant" | "deny";
  type: RuleType;
  priority: number;
  /** The role the rule requires (CompositeRole, ParentRole, SingleRole). */
  requires: { kind: RoleKind; role: string } | null;
  outcome: VerdictOutcome;
  mismatches: Mismatch[];
  /** For a beaten grant or an overridden deny: the rule that won. */
  by: RuleSource | null;
}

export type Outcome = "assigned" | "suggested" | "denied" | "not-assigned";

export interface ContextExplanation {
  context: Context;
  outcome: Outcome;
  verdicts: RuleVerdict[];
}

export interface SubjectExplanation {
  kind: SubjectKind;
  identifier: string;
  outcome: Outcome;
  contexts: ContextExplanation[];
  /** Stored rows that hold it whatever the rules say: manual requests, rights found or pre-existing. */
  stored: Array<Period & { origin: AssignmentOrigin; workflowState: WorkflowState }>;
  /** For a resource type: the targets it has or is offered. */
  targets: Array<{ target: TargetRef | null; correlation: Correlation | null; needsReview: boolean }>;
}

export interface Explanation {
  owner: { id: string; key: string; entityType: string };
  identifier: string;
  /** Empty when no role or resource type of the owner's entity type has this identifier. */
  subjects: SubjectExplanation[];
  dimensions: ReadonlyMap<number, string>;
}

interface Candidate {
  rule: CriteriaRule;
  requires: { kind: RoleKind; role: string } | null;
  spanIn(ctx: ContextEvaluation): Span | null;
}

export function explain(owner: OwnerInput, model: PolicyModel, identifier: string, now: Date): Explanation {
  const evaluation = evaluateOwner(owner, model, now);
  const expected = expectedAssignments(owner, model, now);
  const subjects: SubjectExplanation[] = [];
  for (const kind of ["compositeRole", "singleRole", "resourceType"] as const) {
    const candidates = candidatesFor(evaluation.entity, kind, identifier, model);
    if (candidates === null) continue;
    const contexts = evaluation.contexts.map((ctx) => explainContext(ctx, candidates, evaluation));
    const stored = evaluation.kept
      .filter((r) => r.kind === kind && (r.kind === "resourceType" ? r.resourceType : "role" in r ? r.role : null) === identifier)
      .map((r) => ({ origin: r.origin, workflowState: r.workflowState, validFrom: r.validFrom, validTo: r.validTo }));
    const targets = kind === "resourceType"
      ? expected.resourceTypes.filter((r) => r.resourceType === identifier && r.storedId === undefined).map((r) => ({ target: r.target, correlation: r.correlation, needsReview: r.needsReview }))
      : [];
    subjects.push({ kind, identifier, outcome: overall(contexts.map((c) => c.outcome)), contexts, stored, targets });
  }
  const dimensions = new Map(model.dimensions.map((d) => [d.column, d.identifier]));
  return { owner: { id: owner.id, key: owner.key, entityType: owner.entityType }, identifier, subjects, dimensions };
}

function candidatesFor(entity: EntityPolicy, kind: SubjectKind, identifier: string, model: PolicyModel): Candidate[] | null {
  const whole = (ctx: ContextEvaluation) => ctx.unit.span;
  if (kind === "compositeRole") {
    if (!model.compositeRoles.some((r) => r.identifier === identifier && r.entityType === entity.entityType)) return null;
    return entity.compositeRoleRules.rules
      .filter((r) => r.role === identifier)
      .map((rule) => ({ rule, requires: rule.parentRole === undefined ? null : { kind: "compositeRole", role: rule.parentRole }, spanIn: whole }));
  }
  if (kind === "singleRole") {
    if (!model.singleRoles.some((r) => r.identifier === identifier && r.entityType === entity.entityType)) return null;
    return entity.singleRoleRules.rules
      .filter((r) => r.role === identifier)
      .map((rule) => ({ rule, requires: rule.compositeRole === undefined ? null : { kind: "compositeRole", role: rule.compositeRole }, spanIn: whole }));
  }
  const crt = entity.resourceTypes.find((c) => c.resourceType.identifier === identifier);
  if (!crt) return null;
  const typeRules: Candidate[] = crt.resourceType.typeRules.map((rule) => ({
    rule,
    requires: rule.singleRole === undefined ? null : { kind: "singleRole", role: rule.singleRole },
    spanIn: (ctx) => offsetSpan(rule.timeOffset, ctx.unit.span, ctx.unit.span),
  }));
  const navigation: Candidate[] = crt.resourceType.navigationRules
    .filter((r) => r.singleRole !== undefined && !r.isDenied)
    .map((rule) => ({ rule, requires: { kind: "singleRole", role: rule.singleRole! }, spanIn: whole }));
  return [...typeRules, ...navigation];
}

function explainContext(ctx: ContextEvaluation, candidates: readonly Candidate[], evaluation: OwnerEvaluation): ContextExplanation {
  const matched: Matched<CriteriaRule>[] = [];
  const misses = new Map<CriteriaRule, Mismatch[]>();
  for (const c of candidates) {
    const mismatches: Mismatch[] = criteriaMismatches(c.rule.criteria, ctx.unit.dimensions, evaluation.policy.tree).map((m) => ({
      kind: "dimension",
      dimensionIdentifier: evaluation.policy.dimensionsByColumn.get(m.dimension)?.identifier ?? null,
      parameter: `D${dimensionSuffix(m.dimension)}`,
      ...m,
    }));
    const span = c.spanIn(ctx);
    let spans: Span[] = span ? [span] : [];
    if (!span) mismatches.push({ kind: "period" });
    if (c.requires) {
      const held: Held = c.requires.kind === "compositeRole" ? ctx.roles.heldComposites : ctx.roles.heldSingles;
      spans = intersectLists(spans, held.get(c.requires.role) ?? []);
      if (!held.has(c.requires.role)) mismatches.push({ kind: "role", roleKind: c.requires.kind, role: c.requires.role });
      else if (span && spans.length === 0) mismatches.push({ kind: "period" });
    }
    if (mismatches.length) misses.set(c.rule, mismatches);
    else matched.push({ rule: c.rule, spans });
  }
  const decision = decide(matched);
  const verdicts = candidates.map((c) => verdictOf(c, decision, misses.get(c.rule) ?? []));
  const outcome: Outcome = decision.outcome === "none" ? "not-assigned" : decision.outcome;
  return { context: contextOf(ctx.unit), outcome, verdicts };
}

function verdictOf(c: Candidate, decision: Decision<CriteriaRule>, mismatches: Mismatch[]): RuleVerdict {
  const base = { rule: c.rule.source, effect: c.rule.isDenied ? ("deny" as const) : ("grant" as const), type: c.rule.type, priority: c.rule.priority, requires: c.requires, mismatches };
  if (mismatches.length) return { ...base, outcome: "not-matched", by: null };
  const winner = decision.winners[0]?.rule.source ?? null;
  if (c.rule.isDenied) {
    return decision.outcome === "denied" ? { ...base, outcome: "denied", by: null } : { ...base, outcome: "overridden", by: winner };
  }
  if (decision.winners.some((w) => w.rule === c.rule)) {
    const outcome = decision.outcome === "suggested" ? "suggested" : c.requires ? "inferred" : "granted";
    return { ...base, outcome, by: null };
  }
  if (decision.beaten.some((b) => b.rule === c.rule)) return { ...base, outcome: "beaten", by: decision.deny?.rule.source ?? null };
  return { ...base, outcome: "outranked", by: winner };
}

function overall(outcomes: readonly Outcome[]): Outcome {
  for (const o of ["assigned", "suggested", "denied"] as const) if (outcomes.includes(o)) return o;
  return "not-assigned";
}

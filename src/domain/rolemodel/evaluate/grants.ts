/**
 * The shared step of role, type and navigation rules in one context: test the candidate rules,
 * group the matches by what they grant, let decide.ts settle each group, and keep what was
 * assigned and what was only suggested.
 */
import type { RuleType } from "../states.js";
import { criteriaMatch } from "./criteria.js";
import { decide, groupBy, type Matched } from "./decide.js";
import type { DimensionTree } from "./dimension-tree.js";
import type { CriteriaRule, RuleSource } from "./model.js";
import { intersectLists, mergeSpans, type Span } from "./periods.js";

/** An assignment decided in one context: its spans and the rule that stands for it. */
export interface Grant {
  spans: Span[];
  rule: RuleSource;
  /** The winning rule required a held role: the assignment is inferred from it. */
  inferred: boolean;
}

export interface Offer {
  spans: Span[];
  rule: RuleSource;
  type: RuleType;
}

export interface Granted {
  assigned: Map<string, Grant>;
  suggested: Map<string, Offer>;
}

/** Roles held in a context, by identifier, with the spans in which they are held. */
export type Held = ReadonlyMap<string, readonly Span[]>;

/**
 * Spans in which a rule's requirements hold: its criteria against the context's values, and the
 * role it requires (if any) among the held ones. null when the rule does not match.
 */
export function ruleSpans(
  rule: CriteriaRule,
  requiredRole: string | undefined,
  dimensions: Readonly<Record<number, string>>,
  base: readonly Span[],
  held: Held,
  tree: DimensionTree,
): Span[] | null {
  if (!criteriaMatch(rule.criteria, dimensions, tree)) return null;
  if (requiredRole === undefined) return base.length ? (base as Span[]) : null;
  const gate = held.get(requiredRole);
  if (!gate) return null;
  const spans = intersectLists(base, gate);
  return spans.length ? spans : null;
}

/** Decide every group of matches: `subject` says what a rule is about (a role, a resource type, a navigation value). */
export function grant<R extends CriteriaRule>(matches: readonly Matched<R>[], subject: (rule: R) => string, isGated: (rule: R) => boolean): Granted {
  const assigned = new Map<string, Grant>();
  const suggested = new Map<string, Offer>();
  for (const [key, group] of groupBy(matches, (m) => subject(m.rule))) {
    const only = group.length === 1 ? group[0]! : null;
    // The usual case, one Required grant, needs no decision.
    if (only && !only.rule.isDenied && only.rule.type === "Required") {
      assigned.set(key, { spans: mergeSpans(only.spans), rule: only.rule.source, inferred: isGated(only.rule) });
      continue;
    }
    const decision = decide(group);
    if (decision.outcome === "none" || decision.outcome === "denied") continue;
    const spans = mergeSpans(decision.winners.flatMap((w) => w.spans));
    // An ungated winner stands for the row when there is one: the assignment does not depend on another role.
    const lead = decision.winners.find((w) => !isGated(w.rule)) ?? decision.winners[0]!;
    if (decision.outcome === "assigned") assigned.set(key, { spans, rule: lead.rule.source, inferred: isGated(lead.rule) });
    else suggested.set(key, { spans, rule: lead.rule.source, type: lead.rule.type });
  }
  return { assigned, suggested };
}

/** Held roles: the kept ones (manual, found) and those just assigned, spans joined. */
export function heldRoles(kept: Held, assigned: ReadonlyMap<string, Grant>): Map<string, Span[]> {
  const held = new Map<string, Span[]>();
  for (const [role, spans] of kept) held.set(role, [...spans]);
  for (const [role, g] of assigned) held.set(role, mergeSpans([...(held.get(role) ?? []), ...g.spans]));
  return held;
}

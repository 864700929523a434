/**
 * What the matching rules of one role (or resource type, or navigation value) decide together
 * (reference model.md §C.5): a smaller Priority is stronger; a deny beats every grant of equal or
 * weaker priority, a strictly stronger grant beats the deny. Among the grants left, the strongest
 * type wins: Required assigns, RequestedAutomatically and Suggested only suggest.
 */
import type { RuleType } from "../states.js";
import type { Span } from "./periods.js";

/** A rule that matched, with the spans in which its requirements hold. */
export interface Matched<R> {
  rule: R;
  spans: Span[];
}

interface Decidable {
  isDenied: boolean;
  priority: number;
  type: RuleType;
}

export interface Decision<R> {
  outcome: "assigned" | "suggested" | "denied" | "none";
  /** The grants that decided the outcome (all of the winning type), in document order. */
  winners: Matched<R>[];
  /** The strongest deny that matched, whether it won or was beaten. */
  deny: Matched<R> | null;
  /** Grants the deny beat. */
  beaten: Matched<R>[];
  /** Grants that survived the deny but lost to a stronger type (a Suggested rule beside a Required one). */
  outranked: Matched<R>[];
}

const TYPE_STRENGTH: Record<RuleType, number> = { Required: 0, RequestedAutomatically: 1, Suggested: 2 };

export function decide<R extends Decidable>(matched: readonly Matched<R>[]): Decision<R> {
  let deny: Matched<R> | null = null;
  for (const m of matched) if (m.rule.isDenied && (deny === null || m.rule.priority < deny.rule.priority)) deny = m;
  const limit = deny ? deny.rule.priority : Infinity;
  const grants = matched.filter((m) => !m.rule.isDenied);
  const surviving = grants.filter((m) => m.rule.priority < limit);
  const beaten = grants.filter((m) => m.rule.priority >= limit);
  if (surviving.length === 0) return { outcome: deny ? "denied" : "none", winners: [], deny, beaten, outranked: [] };
  const best = Math.min(...surviving.map((m) => TYPE_STRENGTH[m.rule.type]));
  const winners = surviving.filter((m) => TYPE_STRENGTH[m.rule.type] === best);
  const outranked = surviving.filter((m) => TYPE_STRENGTH[m.rule.type] !== best);
  return { outcome: best === 0 ? "assigned" : "suggested", winners, deny, beaten, outranked };
}

/** Group matches by what they decide about, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

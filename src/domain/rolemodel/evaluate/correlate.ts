/**
 * Which of the targets whose correlation key matched become the owner's (reference model.md §C.7
 * and the CorrelateMultipleResources section of the ResourceType page). A confidence of 100 or more
 * is automatic; below, a suggestion to review. "Already correlated" means the owner holds a
 * confirmed target of this resource type.
 *
 * | Multiple | SuggestAll | already | ≥ 100                                   | < 100                                      |
 * |----------|------------|---------|-----------------------------------------|--------------------------------------------|
 * | no       | no         | no      | the best one correlated, if it is alone | suggested when nothing ≥ 100, the best only |
 * | no       | no         | yes     | ignored                                 | ignored                                    |
 * | no       | yes        | no      | suggested                               | suggested                                  |
 * | no       | yes        | yes     | suggested                               | ignored                                    |
 * | yes      | no         | no      | correlated                              | suggested when nothing ≥ 100               |
 * | yes      | no         | yes     | correlated                              | ignored                                    |
 * | yes      | yes        | either  | correlated                              | suggested                                  |
 *
 * Where the product's page says "the first match with the highest confidence" and several
 * targets share that confidence, no choice is made: with one target allowed, they are all
 * suggested (the ambiguity goes to a reviewer instead of being settled by load order).
 */
import { AUTOMATIC_CONFIDENCE } from "../states.js";
import type { CorrelationCandidate } from "./model.js";

export interface CorrelationFlags {
  correlateMultipleResources: boolean;
  suggestAllCorrelations: boolean;
}

export interface CorrelationDecision {
  correlated: CorrelationCandidate[];
  suggested: CorrelationCandidate[];
  ignored: CorrelationCandidate[];
}

/**
 * `alreadyCorrelated`: the ids of the confirmed targets the owner holds for this resource type;
 * they are neither correlated nor suggested again.
 */
export function correlate(flags: CorrelationFlags, candidates: readonly CorrelationCandidate[], alreadyCorrelated: ReadonlySet<string> = new Set()): CorrelationDecision {
  const fresh = strongestPerTarget(candidates.filter((c) => !alreadyCorrelated.has(c.target.id)));
  const already = alreadyCorrelated.size > 0;
  const automatic = fresh.filter((c) => c.confidence >= AUTOMATIC_CONFIDENCE);
  const low = fresh.filter((c) => c.confidence < AUTOMATIC_CONFIDENCE);
  const decision: CorrelationDecision = { correlated: [], suggested: [], ignored: [] };
  const put = (list: CorrelationCandidate[], into: keyof CorrelationDecision) => decision[into].push(...list);

  if (flags.correlateMultipleResources) {
    put(automatic, "correlated");
    const suggestLow = flags.suggestAllCorrelations || (!already && automatic.length === 0);
    put(low, suggestLow ? "suggested" : "ignored");
  } else if (flags.suggestAllCorrelations) {
    put(automatic, "suggested");
    put(low, already ? "ignored" : "suggested");
  } else if (already) {
    put(fresh, "ignored");
  } else {
    const best = fresh.length ? Math.max(...fresh.map((c) => c.confidence)) : 0;
    const top = fresh.filter((c) => c.confidence === best);
    const rest = fresh.filter((c) => c.confidence !== best);
    put(top, best >= AUTOMATIC_CONFIDENCE && top.length === 1 ? "correlated" : "suggested");
    put(rest, "ignored");
  }
  for (const list of Object.values(decision)) list.sort(byConfidenceThenKey);
  return decision;
}

/** One candidate per target: the rule with the highest confidence stands for it. */
function strongestPerTarget(candidates: readonly CorrelationCandidate[]): CorrelationCandidate[] {
  const best = new Map<string, CorrelationCandidate>();
  for (const c of candidates) {
    const known = best.get(c.target.id);
    if (!known || c.confidence > known.confidence) best.set(c.target.id, c);
  }
  return [...best.values()];
}

function byConfidenceThenKey(a: CorrelationCandidate, b: CorrelationCandidate): number {
  return b.confidence - a.confidence || (a.target.key < b.target.key ? -1 : a.target.key > b.target.key ? 1 : 0);
}

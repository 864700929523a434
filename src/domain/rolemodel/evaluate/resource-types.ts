/**
 * Resource types in one context (reference model.md §C.6): the type rules (criteria, a required
 * single role, deny, type, time offset; several rules OR together) and the navigation rules that
 * name a single role, which the product treats as an allocation context of their resource type
 * even without a type rule ("Restrict the assignment" guide).
 */
import type { CompiledResourceType } from "./compile.js";
import type { ContextUnit } from "./contexts.js";
import type { Matched } from "./decide.js";
import type { DimensionTree } from "./dimension-tree.js";
import { grant, ruleSpans, type Grant, type Held, type Offer } from "./grants.js";
import type { CriteriaRule, NavigationRule, TypeRule } from "./model.js";
import { offsetSpan } from "./time-offsets.js";

export interface ContextResourceType {
  assigned: Grant | null;
  suggested: Offer | null;
}

type Allocating = (TypeRule | NavigationRule) & CriteriaRule;

/** `navigation`: the candidate navigation rules of the context (the caller looks them up once for this and for the values). */
export function resourceTypeInContext(unit: ContextUnit, crt: CompiledResourceType, heldSingles: Held, tree: DimensionTree, navigation: readonly NavigationRule[]): ContextResourceType {
  const matches: Matched<Allocating>[] = [];
  for (const rule of crt.typeRules.candidates(unit.dimensions, heldSingles.keys(), tree)) {
    const span = offsetSpan(rule.timeOffset, unit.span, unit.span);
    const spans = span && ruleSpans(rule, rule.singleRole, unit.dimensions, [span], heldSingles, tree);
    if (spans) matches.push({ rule, spans });
  }
  for (const rule of navigation) {
    if (rule.singleRole === undefined || rule.isDenied) continue;
    const spans = ruleSpans(rule, rule.singleRole, unit.dimensions, [unit.span], heldSingles, tree);
    if (spans) matches.push({ rule, spans });
  }
  const id = crt.resourceType.identifier;
  const decided = grant(matches, () => id, (r) => r.singleRole !== undefined);
  return { assigned: decided.assigned.get(id) ?? null, suggested: decided.suggested.get(id) ?? null };
}

/**
 * Roles in one context (reference model.md §C.12 step 2): composite role rules first, then the
 * single role rules, which may require a held composite role (the single role is then inferred).
 * A composite role rule may require another composite role (ParentRole), so composite roles are
 * evaluated again until nothing changes.
 */
import type { EntityPolicy } from "./compile.js";
import type { ContextUnit } from "./contexts.js";
import type { Matched } from "./decide.js";
import type { DimensionTree } from "./dimension-tree.js";
import { grant, heldRoles, ruleSpans, type Grant, type Granted, type Held } from "./grants.js";
import type { CompositeRoleRule, SingleRoleRule } from "./model.js";
import { sameSpan } from "./periods.js";

export interface ContextRoles {
  composite: Granted;
  single: Granted;
  /** Composite roles held in the context: kept ones and assigned ones. */
  heldComposites: Held;
  heldSingles: Held;
}

export function rolesInContext(unit: ContextUnit, policy: EntityPolicy, tree: DimensionTree, keptComposites: Held, keptSingles: Held): ContextRoles {
  const composite = compositesInContext(unit, policy, tree, keptComposites);
  const heldComposites = heldRoles(keptComposites, composite.assigned);
  const singleMatches: Matched<SingleRoleRule>[] = [];
  for (const rule of policy.singleRoleRules.candidates(unit.dimensions, heldComposites.keys(), tree)) {
    const spans = ruleSpans(rule, rule.compositeRole, unit.dimensions, [unit.span], heldComposites, tree);
    if (spans) singleMatches.push({ rule, spans });
  }
  const single = grant(singleMatches, (r) => r.role, (r) => r.compositeRole !== undefined);
  return { composite, single, heldComposites, heldSingles: heldRoles(keptSingles, single.assigned) };
}

function compositesInContext(unit: ContextUnit, policy: EntityPolicy, tree: DimensionTree, kept: Held): Granted {
  let result: Granted = { assigned: new Map(), suggested: new Map() };
  // Each pass can only add roles inferred from the previous pass's; one pass per role is enough to settle.
  for (let pass = 0; pass <= policy.compositeRoleRules.size; pass++) {
    const held = heldRoles(kept, result.assigned);
    const matches: Matched<CompositeRoleRule>[] = [];
    for (const rule of policy.compositeRoleRules.candidates(unit.dimensions, held.keys(), tree)) {
      const spans = ruleSpans(rule, rule.parentRole, unit.dimensions, [unit.span], held, tree);
      if (spans) matches.push({ rule, spans });
    }
    const next = grant(matches, (r) => r.role, (r) => r.parentRole !== undefined);
    if (sameGrants(next.assigned, result.assigned)) return next;
    result = next;
  }
  return result;
}

function sameGrants(a: ReadonlyMap<string, Grant>, b: ReadonlyMap<string, Grant>): boolean {
  if (a.size !== b.size) return false;
  for (const [role, g] of a) {
    const h = b.get(role);
    if (!h || h.spans.length !== g.spans.length || !g.spans.every((s, i) => sameSpan(s, h.spans[i]!))) return false;
  }
  return true;
}

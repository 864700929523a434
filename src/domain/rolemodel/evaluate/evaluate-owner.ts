/**
 * One owner evaluated context by context: roles, then resource types, then their values. The
 * result keeps every context apart, so that expected.ts can merge them into rows and explain.ts
 * can say what happened in each.
 *
 * Assignments the engine does not own (manual requests, rights found by synchronization or
 * before go-live) come from the stored rows: they are kept, and the granted ones count as held
 * roles for the rules that require a role (§C.12 step 2).
 */
import type { StoredAssignment } from "./assignments.js";
import { compilePolicy, type CompiledPolicy, type CompiledResourceType, type EntityPolicy } from "./compile.js";
import { contextsOf, type ContextUnit } from "./contexts.js";
import type { Held } from "./grants.js";
import type { OwnerInput, PolicyModel } from "./model.js";
import { intersectLists, mergeSpans, spanOf, type Span } from "./periods.js";
import { resourceTypeInContext, type ContextResourceType } from "./resource-types.js";
import { rolesInContext, type ContextRoles } from "./roles.js";
import { valuesInContext, type ValueCandidate } from "./values.js";

export interface ContextResourceTypeEvaluation {
  crt: CompiledResourceType;
  decided: ContextResourceType;
  /** The rule-granted spans, extended by the value rules whose periods go past them. */
  spans: Span[];
  values: ValueCandidate[];
}

export interface ContextEvaluation {
  unit: ContextUnit;
  roles: ContextRoles;
  resourceTypes: Map<string, ContextResourceTypeEvaluation>;
}

export interface OwnerEvaluation {
  policy: CompiledPolicy;
  entity: EntityPolicy;
  now: number;
  contexts: ContextEvaluation[];
  /** Stored rows the engine keeps as they are: manual, found and pre-existing, neither declined nor ended. */
  kept: StoredAssignment[];
  warnings: string[];
}

const KEPT_ORIGINS = new Set(["manual", "found", "pre-existing"]);
export const GONE_STATES = new Set(["Declined", "Cancellation"]);
/** Workflow states in which a kept row grants its role or resource type. */
const GRANTING_STATES = new Set(["Approved", "Found", "Historic"]);

export function isKept(row: StoredAssignment, now: number): boolean {
  return KEPT_ORIGINS.has(row.origin) && !GONE_STATES.has(row.workflowState) && spanOf(row.validFrom, row.validTo).to > now;
}

export function evaluateOwner(owner: OwnerInput, model: PolicyModel, at: Date): OwnerEvaluation {
  const policy = compilePolicy(model);
  const entity = policy.forEntityType(owner.entityType);
  const now = at.getTime();
  const kept = owner.existing.filter((row) => isKept(row, now));
  const keptComposites = heldBy(kept, "compositeRole", GRANTING_STATES);
  const keptSingles = heldBy(kept, "singleRole", GRANTING_STATES);
  // Only an approved manual resource type gets the rules' values; found ones are derogations to review, not to provision.
  const keptResourceTypes = heldBy(kept, "resourceType", new Set(["Approved"]));
  const warnings: string[] = [];
  const contexts = contextsOf(owner, entity.contextRule, now, warnings).map((unit): ContextEvaluation => {
    const roles = rolesInContext(unit, entity, policy.tree, keptComposites, keptSingles);
    const resourceTypes = new Map<string, ContextResourceTypeEvaluation>();
    for (const crt of entity.resourceTypes) {
      const id = crt.resourceType.identifier;
      const navigation = crt.navigationRules.candidates(unit.dimensions, roles.heldSingles.keys(), policy.tree);
      const decided = resourceTypeInContext(unit, crt, roles.heldSingles, policy.tree, navigation);
      const rtSpans = mergeSpans([...(decided.assigned?.spans ?? []), ...intersectLists(keptResourceTypes.get(id) ?? [], [unit.span])]);
      if (rtSpans.length === 0 && !decided.suggested) continue;
      const values = valuesInContext({ unit, rtSpans, heldSingles: roles.heldSingles, navigation, tree: policy.tree, owner, dimensionsByIdentifier: policy.dimensionsByIdentifier }, crt);
      // §C.6: a value period that goes past the assignment's period extends the assignment.
      const spans = rtSpans.length ? mergeSpans([...rtSpans, ...values.flatMap((v) => v.spans)]) : [];
      resourceTypes.set(id, { crt, decided, spans, values });
    }
    return { unit, roles, resourceTypes };
  });
  return { policy, entity, now, contexts, kept, warnings };
}

function heldBy(rows: readonly StoredAssignment[], kind: string, states: ReadonlySet<string>): Held {
  const held = new Map<string, Span[]>();
  for (const row of rows) {
    if (row.kind !== kind || !states.has(row.workflowState)) continue;
    const id = row.kind === "resourceType" ? row.resourceType : row.kind === "compositeRole" || row.kind === "singleRole" ? row.role : undefined;
    if (id === undefined) continue;
    held.set(id, mergeSpans([...(held.get(id) ?? []), spanOf(row.validFrom, row.validTo)]));
  }
  return held;
}

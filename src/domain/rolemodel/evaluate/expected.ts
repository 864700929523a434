/**
 * Expected assignments of one owner (reference model.md §C.12 step 2, with the correlation of
 * step 5): contexts; composite roles, then single roles (inferred from held composites); resource
 * types with their targets; their navigation, query, scalar and binary values; risks. The stored
 * rows the engine does not own (manual, found, pre-existing) are carried as they are.
 *
 * Suggestions (Suggested and RequestedAutomatically rules) are listed apart: they assign nothing.
 */
import type { ExpectedAssignments, ExpectedResourceType, ExpectedRole, ExpectedRow, ExpectedValue, RoleKind, StoredAssignment, Suggestion } from "./assignments.js";
import { contextOf } from "./contexts.js";
import { evaluateOwner, type OwnerEvaluation } from "./evaluate-owner.js";
import { grantedResourceTypes, holdBack, resourceTypeRows } from "./expected-resource-types.js";
import { resourceTypeValues, valueRows } from "./expected-values.js";
import type { Grant, Offer } from "./grants.js";
import type { OwnerInput, PolicyModel, TargetRef } from "./model.js";
import { mergeSpans, notEnded, periodOf, type Span } from "./periods.js";
import { identifyRisks } from "./risks.js";

export function expectedAssignments(owner: OwnerInput, model: PolicyModel, now: Date): ExpectedAssignments {
  const evaluation = evaluateOwner(owner, model, now);
  const kept = evaluation.kept.map(keptRow);
  const roles = [...roleRows(evaluation, "compositeRole"), ...roleRows(evaluation, "singleRole")];
  const resourceTypes: ExpectedResourceType[] = [];
  const values: ExpectedValue[] = [];
  const granted = grantedResourceTypes(evaluation);
  for (const g of granted) resourceTypes.push(...resourceTypeRows(g, owner));
  holdBack(resourceTypes, owner, evaluation.entity.resourceTypes);
  for (const crt of evaluation.entity.resourceTypes) {
    const rt = crt.resourceType;
    const targets = valueTargets(resourceTypes, evaluation.kept, rt.identifier);
    if (targets.length) values.push(...valueRows(resourceTypeValues(evaluation, rt.identifier), rt, targets, evaluation.kept));
  }
  const keptResourceTypes = kept.filter((r): r is ExpectedResourceType => r.kind === "resourceType");
  const keptValues = kept.filter((r): r is ExpectedValue => r.kind === "scalar" || r.kind === "navigation" || r.kind === "binary");
  const allResourceTypes = [...resourceTypes, ...keptResourceTypes];
  const allValues = [...values, ...keptValues];
  return {
    owner: { id: owner.id, key: owner.key, entityType: owner.entityType },
    evaluatedAt: now,
    contexts: evaluation.contexts.map((c) => contextOf(c.unit)),
    roles: [...roles, ...kept.filter((r): r is ExpectedRole => r.kind === "compositeRole" || r.kind === "singleRole")],
    resourceTypes: allResourceTypes,
    values: allValues,
    risks: [...identifyRisks(evaluation.entity.risks, allResourceTypes, allValues), ...kept.filter((r) => r.kind === "risk")],
    suggestions: suggestions(evaluation),
    warnings: evaluation.warnings,
  };
}

/** A kept stored row, as an expected row that names where it came from. */
function keptRow(row: StoredAssignment): ExpectedRow {
  const { id, ...rest } = row;
  if (rest.kind === "resourceType") {
    const { provisioningState: _p, changeType: _c, ...fields } = rest;
    return { ...fields, needsReview: false, storedId: id };
  }
  if (rest.kind === "scalar" || rest.kind === "navigation" || rest.kind === "binary") {
    const { provisioningState: _p, changeType: _c, currentValue: _v, ...fields } = rest;
    return { ...fields, storedId: id };
  }
  return { ...rest, storedId: id };
}

/** Values go to every target the owner holds or gets, except targets still to be reviewed. */
function valueTargets(rows: readonly ExpectedResourceType[], kept: readonly StoredAssignment[], resourceType: string): Array<TargetRef | null> {
  const targets = new Map<string, TargetRef | null>();
  for (const row of rows) if (row.resourceType === resourceType && !row.needsReview) targets.set(row.target?.id ?? "", row.target);
  for (const row of kept) {
    if (row.kind === "resourceType" && row.resourceType === resourceType && row.origin === "manual" && row.workflowState === "Approved") targets.set(row.target?.id ?? "", row.target);
  }
  return [...targets.values()];
}

type ContextOf = OwnerEvaluation["contexts"][number];

/** One context's grants (or offers) joined over all contexts; the first context's rule stands for them. */
function mergedGrants<G extends Grant | Offer>(evaluation: OwnerEvaluation, pick: (ctx: ContextOf) => ReadonlyMap<string, G>): Map<string, { spans: Span[]; first: G }> {
  const merged = new Map<string, { spans: Span[]; first: G }>();
  for (const ctx of evaluation.contexts) {
    for (const [id, g] of pick(ctx)) {
      const known = merged.get(id);
      if (known) known.spans = mergeSpans([...known.spans, ...g.spans]);
      else merged.set(id, { spans: mergeSpans(g.spans), first: g });
    }
  }
  for (const [id, m] of merged) {
    m.spans = notEnded(m.spans, evaluation.now);
    if (m.spans.length === 0) merged.delete(id);
  }
  return merged;
}

function roleRows(evaluation: OwnerEvaluation, kind: RoleKind): ExpectedRole[] {
  const rows: ExpectedRole[] = [];
  const granted = mergedGrants(evaluation, (ctx) => (kind === "compositeRole" ? ctx.roles.composite : ctx.roles.single).assigned);
  for (const [role, { spans, first }] of granted) {
    for (const span of spans) {
      rows.push({ kind, role, origin: first.inferred ? "inferred" : "rule", workflowState: "PolicyApproved", rule: first.rule, ...periodOf(span) });
    }
  }
  return rows;
}

function suggestions(evaluation: OwnerEvaluation): Suggestion[] {
  const out: Suggestion[] = [];
  const add = (kind: Suggestion["kind"], offers: Map<string, { spans: Span[]; first: Offer }>, assigned: (ctx: ContextOf) => Iterable<string>) => {
    const anywhere = new Set(evaluation.contexts.flatMap((c) => [...assigned(c)]));
    for (const [identifier, { spans, first }] of offers) {
      // A role assigned in one context is not also suggested from another.
      if (anywhere.has(identifier)) continue;
      for (const span of spans) out.push({ kind, identifier, type: first.type, rule: first.rule, ...periodOf(span) });
    }
  };
  add("compositeRole", mergedGrants(evaluation, (c) => c.roles.composite.suggested), (c) => c.roles.composite.assigned.keys());
  add("singleRole", mergedGrants(evaluation, (c) => c.roles.single.suggested), (c) => c.roles.single.assigned.keys());
  const offered = (c: ContextOf) => new Map([...c.resourceTypes].flatMap(([id, e]): Array<[string, Offer]> => (e.decided.suggested ? [[id, e.decided.suggested]] : [])));
  const granted = (c: ContextOf) => [...c.resourceTypes].filter(([, e]) => e.decided.assigned !== null).map(([id]) => id);
  add("resourceType", mergedGrants(evaluation, offered), granted);
  return out;
}

/**
 * The resource type rows of one owner: the contexts' grants merged, then correlated (§C.12 step 5).
 * A confirmed target the owner already holds stays its target; new targets come from the
 * correlation candidates (correlate.ts); with neither, one row without a target asks for a
 * creation. A target suggested for review gets its own row, PendingApproval, and no values until
 * it is approved.
 */
import type { ExpectedResourceType, StoredAssignment } from "./assignments.js";
import type { CompiledResourceType } from "./compile.js";
import { correlate } from "./correlate.js";
import type { OwnerEvaluation } from "./evaluate-owner.js";
import { GONE_STATES } from "./evaluate-owner.js";
import type { OwnerInput, RuleSource, TargetRef } from "./model.js";
import { mergeSpans, notEnded, periodOf, type Span } from "./periods.js";
import type { WorkflowState } from "../states.js";
import type { Correlation, ResourceTypeAssignment } from "./assignments.js";

export interface RuleResourceType {
  crt: CompiledResourceType;
  spans: Span[];
  rule: RuleSource;
  inferred: boolean;
}

/** The rule-granted resource types of the owner, merged over its contexts, in model order. */
export function grantedResourceTypes(evaluation: OwnerEvaluation): RuleResourceType[] {
  const out: RuleResourceType[] = [];
  for (const crt of evaluation.entity.resourceTypes) {
    const id = crt.resourceType.identifier;
    let first: { rule: RuleSource; inferred: boolean } | null = null;
    const spans: Span[] = [];
    for (const ctx of evaluation.contexts) {
      const e = ctx.resourceTypes.get(id);
      if (!e?.decided.assigned) continue;
      first ??= { rule: e.decided.assigned.rule, inferred: e.decided.assigned.inferred };
      spans.push(...e.spans);
    }
    const live = notEnded(mergeSpans(spans), evaluation.now);
    if (first && live.length) out.push({ crt, spans: live, ...first });
  }
  return out;
}

/**
 * A stored rule row whose target is confirmed: correlated automatically, created by us, or approved
 * by a reviewer. A suggestion still waiting for its review is PendingApproval.
 */
export function isConfirmed(row: ResourceTypeAssignment, targets: OwnerInput["targets"]): boolean {
  return row.target !== null && targets.has(row.target.id) && (row.workflowState === "PolicyApproved" || row.workflowState === "Approved");
}

export function resourceTypeRows(granted: RuleResourceType, owner: OwnerInput): ExpectedResourceType[] {
  const rt = granted.crt.resourceType;
  const confirmed = new Map<string, { target: TargetRef; correlation: Correlation | null; workflowState: WorkflowState }>();
  for (const row of owner.existing as readonly StoredAssignment[]) {
    if (row.kind !== "resourceType" || row.resourceType !== rt.identifier || (row.origin !== "rule" && row.origin !== "inferred")) continue;
    if (isConfirmed(row, owner.targets) && !confirmed.has(row.target!.id)) {
      confirmed.set(row.target!.id, { target: row.target!, correlation: row.correlation, workflowState: row.workflowState });
    }
  }
  const decision = correlate(rt, owner.candidates.get(rt.identifier) ?? [], new Set(confirmed.keys()));
  // A reviewer's approval stays on the row; a suggestion waits for one (PendingApproval).
  const targets: Array<{ target: TargetRef | null; correlation: Correlation | null; needsReview: boolean; workflowState: WorkflowState }> = [
    ...[...confirmed.values()].map((c) => ({ ...c, needsReview: false })),
    ...decision.correlated.map((c) => ({ target: c.target, correlation: { rule: c.rule, confidence: c.confidence }, needsReview: false, workflowState: "PolicyApproved" as const })),
    ...decision.suggested.map((c) => ({ target: c.target, correlation: { rule: c.rule, confidence: c.confidence }, needsReview: true, workflowState: "PendingApproval" as const })),
  ];
  if (targets.length === 0) targets.push({ target: null, correlation: null, needsReview: false, workflowState: "PolicyApproved" });
  const origin = granted.inferred ? ("inferred" as const) : ("rule" as const);
  return targets.flatMap((t) =>
    granted.spans.map(
      (span): ExpectedResourceType => ({
        kind: "resourceType",
        resourceType: rt.identifier,
        target: t.target,
        correlation: t.correlation,
        needsReview: t.needsReview,
        heldBack: null,
        origin,
        workflowState: t.workflowState,
        rule: granted.rule,
        ...periodOf(span),
      }),
    ),
  );
}

/**
 * DependsOn and DependsOnOwnerProperty (§C.6) hold back a creation: the row is expected, but no
 * order may go until the owner has the other resource type's target, or the property a value.
 */
export function holdBack(rows: ExpectedResourceType[], owner: OwnerInput, resourceTypes: readonly CompiledResourceType[]): void {
  const flags = new Map(resourceTypes.map((c) => [c.resourceType.identifier, c.resourceType]));
  const hasTarget = (rt: string) =>
    rows.some((r) => r.resourceType === rt && r.target !== null && !r.needsReview && owner.targets.has(r.target.id)) ||
    owner.existing.some(
      (r) => r.kind === "resourceType" && r.resourceType === rt && r.target !== null && owner.targets.has(r.target.id) && !GONE_STATES.has(r.workflowState) && r.workflowState !== "PendingApproval",
    );
  for (const row of rows) {
    if (row.target !== null) continue;
    const rt = flags.get(row.resourceType);
    if (rt?.dependsOn !== undefined && !hasTarget(rt.dependsOn)) row.heldBack = `DependsOn ${rt.dependsOn}`;
    else if (rt?.dependsOnOwnerProperty !== undefined && !hasOwnerValue(owner, rt.dependsOnOwnerProperty)) row.heldBack = `DependsOnOwnerProperty ${rt.dependsOnOwnerProperty}`;
  }
}

/** `ServiceNow:identifier` or `identifier`: the caller may key the owner's properties either way. */
function hasOwnerValue(owner: OwnerInput, property: string): boolean {
  const props = owner.properties ?? {};
  const value = props[property] ?? props[property.slice(property.lastIndexOf(":") + 1)];
  return value !== undefined && value !== null && value !== "";
}

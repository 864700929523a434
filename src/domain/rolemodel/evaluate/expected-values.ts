/**
 * The value rows of one resource type: navigation values joined over the owner's contexts (a
 * multi-valued property keeps every value), mono-valued scalars and binaries painted in context
 * order, then offset order (After, Before, Around, Default), then document order; each repeated
 * for every target the owner holds or gets for the resource type.
 */
import type { ExpectedValue, StoredAssignment } from "./assignments.js";
import { sameValue } from "./compare-values.js";
import { groupBy } from "./decide.js";
import type { OwnerEvaluation } from "./evaluate-owner.js";
import type { ResourceType, TargetRef } from "./model.js";
import { paint } from "./paint.js";
import { mergeSpans, notEnded, periodOf, type Span } from "./periods.js";
import type { ValueCandidate } from "./values.js";

interface Placed {
  candidate: ValueCandidate;
  spans: Span[];
}

/** The values the rules give the resource type, before they are given targets. */
export function resourceTypeValues(evaluation: OwnerEvaluation, resourceType: string): Placed[] {
  const all: Array<{ candidate: ValueCandidate; context: number }> = [];
  for (const ctx of evaluation.contexts) {
    for (const candidate of ctx.resourceTypes.get(resourceType)?.values ?? []) all.push({ candidate, context: ctx.unit.index });
  }
  const placed: Placed[] = [];
  const navigation = all.filter((a) => a.candidate.kind === "navigation");
  for (const group of groupBy(navigation, (a) => `${a.candidate.property}\u0000${String(a.candidate.value)}`).values()) {
    placed.push({ candidate: group[0]!.candidate, spans: mergeSpans(group.flatMap((a) => a.candidate.spans)) });
  }
  const mono = all.filter((a) => a.candidate.kind !== "navigation").sort((a, b) => a.context - b.context || a.candidate.order - b.candidate.order);
  for (const group of groupBy(mono, (a) => `${a.candidate.kind}\u0000${a.candidate.property}`).values()) {
    const layers = group.map((a) => ({ spans: a.candidate.spans, item: a.candidate }));
    for (const segment of paint(layers, (x, y) => x.rule === y.rule && sameValue(x.value, y.value))) {
      placed.push({ candidate: segment.item, spans: [segment.span] });
    }
  }
  return placed
    .map((p) => ({ ...p, spans: notEnded(p.spans, evaluation.now) }))
    .filter((p) => p.spans.length > 0);
}

export function valueRows(placed: readonly Placed[], rt: ResourceType, targets: ReadonlyArray<TargetRef | null>, kept: readonly StoredAssignment[]): ExpectedValue[] {
  const rows: ExpectedValue[] = [];
  for (const target of targets) {
    for (const { candidate, spans } of placed) {
      const questioned = candidate.kind !== "navigation" && !rt.discardManualAssignments && isQuestioned(candidate, rt.identifier, target, kept);
      for (const span of spans) {
        rows.push({
          kind: candidate.kind,
          resourceType: rt.identifier,
          target,
          property: candidate.property,
          policyValue: candidate.value,
          comparisonType: candidate.comparisonType,
          isMapped: candidate.isMapped,
          confidence: candidate.confidence,
          questioned,
          origin: "rule",
          workflowState: "PolicyApproved",
          rule: candidate.rule,
          ...periodOf(span),
        });
      }
    }
  }
  return rows;
}

/** A manual value approved in reconciliation protects the property from a different policy value (DiscardManualAssignments=false). */
function isQuestioned(candidate: ValueCandidate, resourceType: string, target: TargetRef | null, kept: readonly StoredAssignment[]): boolean {
  return kept.some(
    (row) =>
      row.kind === candidate.kind &&
      row.origin === "manual" &&
      row.workflowState === "Approved" &&
      row.resourceType === resourceType &&
      row.property === candidate.property &&
      (row.target?.id ?? null) === (target?.id ?? null) &&
      !sameValue(row.policyValue, candidate.value, candidate.comparisonType),
  );
}

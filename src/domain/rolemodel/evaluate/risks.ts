/**
 * Risks identified in the same pass (reference model.md §C.10): an item holds when the owner has,
 * through a resource of the item's resource type, the navigation value `resource` of `property`
 * (or any value of it when no resource is named, or the resource type itself when no property is).
 * A rule fires where all its items hold at once; the rules of a risk OR together.
 *
 * Suggested correlations do not count: the owner does not hold the target yet.
 */
import type { ExpectedResourceType, ExpectedRisk, ExpectedValue } from "./assignments.js";
import type { Risk, RiskItem } from "./model.js";
import { intersectLists, mergeSpans, periodOf, spanOf, type Span } from "./periods.js";

export function identifyRisks(risks: readonly Risk[], resourceTypes: readonly ExpectedResourceType[], values: readonly ExpectedValue[]): ExpectedRisk[] {
  const out: ExpectedRisk[] = [];
  for (const risk of risks) {
    let spans: Span[] = [];
    let firing: Risk["rules"][number] | undefined;
    for (const rule of risk.rules) {
      if (rule.items.length === 0) continue;
      let held: Span[] | null = null;
      for (const item of rule.items) {
        const itemSpans = spansOf(item, resourceTypes, values);
        held = held === null ? itemSpans : intersectLists(held, itemSpans);
        if (held.length === 0) break;
      }
      if (held && held.length) {
        firing ??= rule;
        spans = mergeSpans([...spans, ...held]);
      }
    }
    if (!firing) continue;
    for (const span of spans) {
      out.push({ kind: "risk", risk: risk.identifier, level: risk.level, origin: "rule", workflowState: "PolicyApproved", rule: firing.source, ...periodOf(span) });
    }
  }
  return out;
}

function spansOf(item: RiskItem, resourceTypes: readonly ExpectedResourceType[], values: readonly ExpectedValue[]): Span[] {
  if (item.property === undefined) {
    return mergeSpans(resourceTypes.filter((r) => r.resourceType === item.resourceType && !r.needsReview).map((r) => spanOf(r.validFrom, r.validTo)));
  }
  return mergeSpans(
    values
      .filter((v) => v.resourceType === item.resourceType && v.property === item.property && (item.resource === undefined || String(v.policyValue) === item.resource))
      .map((v) => spanOf(v.validFrom, v.validTo)),
  );
}

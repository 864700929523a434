/**
 * The owner's contexts (reference model.md §C.8): one per context resource the ExcludeExpression
 * did not exclude, with its dimension values and validity. Without a context rule an owner has one
 * context with no dimension values, valid from always to forever, so rules without criteria still
 * apply (§C.8: "run from the resource's creation to its deletion").
 *
 * A context that has ended gives nothing; one that has not begun yet gives assignments that begin
 * with it, so that the orders for an arrival can be prepared.
 */
import type { Context } from "./assignments.js";
import type { ContextRule, OwnerInput } from "./model.js";
import { ALWAYS, periodOf, spanOf, type Span } from "./periods.js";

export interface ContextUnit {
  /** Position among the owner's contexts, for explanations. */
  index: number;
  dimensions: Readonly<Record<number, string>>;
  span: Span;
}

export function contextsOf(owner: OwnerInput, rule: ContextRule | null, now: number, warnings: string[]): ContextUnit[] {
  if (rule === null) return [{ index: 0, dimensions: {}, span: ALWAYS }];
  const units: ContextUnit[] = [];
  owner.contextResources.forEach((resource, position) => {
    if (resource.excluded) return;
    const span = spanOf(resource.start, resource.end);
    if (span.from >= span.to) {
      warnings.push(`context resource ${position + 1} of ${owner.key} ends before it starts (${resource.start?.toISOString()} → ${resource.end?.toISOString()}); it gives no context`);
      return;
    }
    if (span.to <= now) return;
    units.push({ index: units.length, dimensions: resource.dimensions, span });
  });
  return units;
}

export function contextOf(unit: ContextUnit): Context {
  return { dimensions: unit.dimensions, ...periodOf(unit.span) };
}

/**
 * The time offsets of resource type rules (reference model.md §C.6): a rule applies over a period
 * shifted from the reference dates (the context's start and end).
 *
 *   Default  inherits the type rule's period (on a TypeRule: no offset)
 *   Around   [start + before, end + after)
 *   Before   [start + before, start + after)
 *   After    [end + before, end + after)
 *
 * An open reference date stays open, and an After period of an open end never begins.
 */
import type { TimeOffset } from "./model.js";
import type { Span } from "./periods.js";

const MINUTE = 60_000;

/** The order in which overlapping mono-valued rules apply: a later one overwrites an earlier one. */
export const OFFSET_ORDER: Record<TimeOffset["reference"], number> = { After: 0, Before: 1, Around: 2, Default: 3 };

export function isDefaultOffset(offset: TimeOffset | undefined): boolean {
  return offset === undefined || offset.reference === "Default";
}

/** The span a rule with this offset covers, from the reference span; `inherited` for Default. */
export function offsetSpan(offset: TimeOffset | undefined, reference: Span, inherited: Span): Span | null {
  if (offset === undefined || offset.reference === "Default") return inherited;
  const before = offset.beforeMinutes * MINUTE;
  const after = offset.afterMinutes * MINUTE;
  let span: Span;
  switch (offset.reference) {
    case "Around":
      span = { from: reference.from + before, to: reference.to + after };
      break;
    case "Before":
      span = { from: reference.from + before, to: reference.from + after };
      break;
    case "After":
      if (reference.to === Infinity) return null;
      span = { from: reference.to + before, to: reference.to + after };
      break;
  }
  return span.from < span.to ? span : null;
}

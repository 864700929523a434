/**
 * Validity arithmetic. Inside the engine a period is a span of epoch milliseconds `[from, to)`,
 * with ±Infinity for an open end, so that intersections need no null checks; rows carry Dates.
 */
import type { Period } from "./assignments.js";

export interface Span {
  from: number;
  to: number;
}

export const ALWAYS: Span = { from: -Infinity, to: Infinity };

export function spanOf(validFrom: Date | null, validTo: Date | null): Span {
  return { from: validFrom ? validFrom.getTime() : -Infinity, to: validTo ? validTo.getTime() : Infinity };
}

export function periodOf(span: Span): Period {
  return { validFrom: Number.isFinite(span.from) ? new Date(span.from) : null, validTo: Number.isFinite(span.to) ? new Date(span.to) : null };
}

export function intersect(a: Span, b: Span): Span | null {
  const from = Math.max(a.from, b.from);
  const to = Math.min(a.to, b.to);
  return from < to ? { from, to } : null;
}

/** Sorted, with overlapping and touching spans joined. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  if (spans.length === 1) return spans[0]!.from < spans[0]!.to ? [{ ...spans[0]! }] : [];
  const sorted = spans.filter((s) => s.from < s.to).sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

export function intersectLists(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const x of a) for (const y of b) {
    const both = intersect(x, y);
    if (both) out.push(both);
  }
  return mergeSpans(out);
}

export function overlaps(a: Span, b: Span): boolean {
  return Math.max(a.from, b.from) < Math.min(a.to, b.to);
}

/** The parts that have not ended by `now`: what ended is history, not an expectation. */
export function notEnded(spans: readonly Span[], now: number): Span[] {
  return spans.filter((s) => s.to > now);
}

export function sameSpan(a: Span, b: Span): boolean {
  return a.from === b.from && a.to === b.to;
}

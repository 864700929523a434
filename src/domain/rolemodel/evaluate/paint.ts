/**
 * A timeline of mono-valued properties: each layer overwrites the earlier ones where their spans
 * overlap (reference model.md §C.6: rules apply After, Before, Around, Default, the later
 * overwriting the earlier). The result is a list of segments in time order, adjacent equal items
 * joined.
 */
import type { Span } from "./periods.js";

export interface Segment<T> {
  span: Span;
  item: T;
}

export function paint<T>(layers: ReadonlyArray<{ spans: readonly Span[]; item: T }>, same: (a: T, b: T) => boolean): Segment<T>[] {
  let segments: Segment<T>[] = [];
  for (const layer of layers) {
    for (const s of layer.spans) {
      const next: Segment<T>[] = [];
      for (const seg of segments) {
        if (seg.span.to <= s.from || seg.span.from >= s.to) {
          next.push(seg);
          continue;
        }
        if (seg.span.from < s.from) next.push({ span: { from: seg.span.from, to: s.from }, item: seg.item });
        if (seg.span.to > s.to) next.push({ span: { from: s.to, to: seg.span.to }, item: seg.item });
      }
      next.push({ span: { ...s }, item: layer.item });
      segments = next.sort((a, b) => a.span.from - b.span.from);
    }
  }
  const joined: Segment<T>[] = [];
  for (const seg of segments) {
    const last = joined[joined.length - 1];
    if (last && last.span.to === seg.span.from && same(last.item, seg.item)) last.span = { from: last.span.from, to: seg.span.to };
    else joined.push(seg);
  }
  return joined;
}

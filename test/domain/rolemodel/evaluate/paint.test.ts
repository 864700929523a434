import { describe, expect, it } from "vitest";
import { paint } from "../../../../src/domain/rolemodel/evaluate/paint.js";

const same = (a: string, b: string) => a === b;

describe("painting mono-valued rules", () => {
  it("a later layer overwrites an earlier one where they overlap, and equal neighbours join", () => {
    const segments = paint(
      [
        { spans: [{ from: 0, to: 100 }], item: "after" },
        { spans: [{ from: -50, to: 10 }], item: "before" },
        { spans: [{ from: 10, to: 60 }], item: "around" },
      ],
      same,
    );
    expect(segments.map((s) => [s.span.from, s.span.to, s.item])).toEqual([
      [-50, 10, "before"],
      [10, 60, "around"],
      [60, 100, "after"],
    ]);
  });

  it("a layer inside another splits it, and joins with equal neighbours", () => {
    expect(paint([{ spans: [{ from: 0, to: 10 }], item: "a" }, { spans: [{ from: 3, to: 5 }], item: "b" }], same).map((s) => [s.span.from, s.span.to, s.item])).toEqual([
      [0, 3, "a"],
      [3, 5, "b"],
      [5, 10, "a"],
    ]);
    expect(paint([{ spans: [{ from: 0, to: 5 }], item: "a" }, { spans: [{ from: 5, to: 10 }], item: "a" }], same).map((s) => [s.span.from, s.span.to])).toEqual([[0, 10]]);
  });
});

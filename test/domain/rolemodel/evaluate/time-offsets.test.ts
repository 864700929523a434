import { describe, expect, it } from "vitest";
import { offsetSpan } from "../../../../src/domain/rolemodel/evaluate/time-offsets.js";

const DAY = 86_400_000;
const ref = { from: 10 * DAY, to: 20 * DAY };
const inherited = { from: 1, to: 2 };
const days = (s: { from: number; to: number } | null) => s && { from: s.from / DAY, to: s.to / DAY };

describe("time offsets", () => {
  it("Default inherits, Around shifts both ends, Before and After count from one date", () => {
    expect(offsetSpan(undefined, ref, inherited)).toBe(inherited);
    expect(offsetSpan({ reference: "Default", beforeMinutes: 60, afterMinutes: 60 }, ref, inherited)).toBe(inherited);
    expect(days(offsetSpan({ reference: "Around", beforeMinutes: -1440, afterMinutes: 2880 }, ref, inherited))).toEqual({ from: 9, to: 22 });
    expect(days(offsetSpan({ reference: "Before", beforeMinutes: -43200, afterMinutes: 0 }, ref, inherited))).toEqual({ from: -20, to: 10 });
    expect(days(offsetSpan({ reference: "After", beforeMinutes: 0, afterMinutes: 259200 }, ref, inherited))).toEqual({ from: 20, to: 200 });
  });

  it("an After period of an open end never begins, and an empty period is none", () => {
    expect(offsetSpan({ reference: "After", beforeMinutes: 0, afterMinutes: 60 }, { from: 0, to: Infinity }, inherited)).toBeNull();
    expect(offsetSpan({ reference: "Before", beforeMinutes: 60, afterMinutes: 0 }, ref, inherited)).toBeNull();
    expect(offsetSpan({ reference: "Around", beforeMinutes: -60, afterMinutes: 0 }, { from: -Infinity, to: 5 }, inherited)).toEqual({ from: -Infinity, to: 5 });
  });
});

import { describe, expect, it } from "vitest";
import { correlate } from "../../../../src/domain/rolemodel/evaluate/correlate.js";
import { candidate } from "./fixture.js";

// Candidates: two automatic (120, 100), two to review (90, 50).
const CANDIDATES = [candidate("a", 120), candidate("b", 100), candidate("c", 90), candidate("d", 50)];
const LOW_ONLY = [candidate("c", 90), candidate("d", 50)];

const ids = (list: Array<{ target: { id: string } }>) => list.map((c) => c.target.id);

describe("the correlation decision matrix", () => {
  it.each([
    // multiple, suggestAll, already, candidates, correlated, suggested
    [false, false, false, CANDIDATES, ["a"], []],
    [false, false, false, LOW_ONLY, [], ["c"]],
    [false, false, true, CANDIDATES, [], []],
    [false, true, false, CANDIDATES, [], ["a", "b", "c", "d"]],
    [false, true, true, CANDIDATES, [], ["a", "b"]],
    [true, false, false, CANDIDATES, ["a", "b"], []],
    [true, false, false, LOW_ONLY, [], ["c", "d"]],
    [true, false, true, CANDIDATES, ["a", "b"], []],
    [true, false, true, LOW_ONLY, [], []],
    [true, true, false, CANDIDATES, ["a", "b"], ["c", "d"]],
    [true, true, true, CANDIDATES, ["a", "b"], ["c", "d"]],
  ] as const)("multiple=%s suggestAll=%s already=%s", (multiple, suggestAll, already, candidates, correlated, suggested) => {
    const d = correlate({ correlateMultipleResources: multiple, suggestAllCorrelations: suggestAll }, candidates, new Set(already ? ["held"] : []));
    expect(ids(d.correlated)).toEqual(correlated);
    expect(ids(d.suggested)).toEqual(suggested);
    expect(ids(d.ignored).sort()).toEqual(ids(candidates).filter((id) => !correlated.includes(id as never) && !suggested.includes(id as never)).sort());
  });

  it("with one target allowed, a tie at the top is a suggestion, not a coin toss", () => {
    const d = correlate({ correlateMultipleResources: false, suggestAllCorrelations: false }, [candidate("x", 120), candidate("y", 120), candidate("z", 90)]);
    expect(ids(d.correlated)).toEqual([]);
    expect(ids(d.suggested)).toEqual(["x", "y"]);
    expect(ids(d.ignored)).toEqual(["z"]);
  });

  it("a target found by several rules counts once, at its best confidence; held targets are left out", () => {
    const d = correlate({ correlateMultipleResources: true, suggestAllCorrelations: true }, [candidate("x", 80), candidate("x", 110), candidate("held", 150)], new Set(["held"]));
    expect(d.correlated.map((c) => [c.target.id, c.confidence])).toEqual([["x", 110]]);
    expect(d.suggested).toEqual([]);
    expect(d.ignored).toEqual([]);
  });

  it("no candidate, no decision", () => {
    expect(correlate({ correlateMultipleResources: false, suggestAllCorrelations: false }, [])).toEqual({ correlated: [], suggested: [], ignored: [] });
  });
});

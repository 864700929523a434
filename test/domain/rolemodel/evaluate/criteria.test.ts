import { describe, expect, it } from "vitest";
import { criteriaMatch, criteriaMismatches } from "../../../../src/domain/rolemodel/evaluate/criteria.js";
import { DimensionTree } from "../../../../src/domain/rolemodel/evaluate/dimension-tree.js";
import { criteria, model } from "./fixture.js";

const tree = new DimensionTree(model().dimensions);

describe("dimension criteria", () => {
  it("match equal values, and descendants only with the L flag", () => {
    const ctx = { 0: "SALES_FR", 1: "ENG" };
    expect(criteriaMatch(criteria({ 0: "SALES_FR" }), ctx, tree)).toBe(true);
    expect(criteriaMatch(criteria({ 0: "SALES" }), ctx, tree)).toBe(false);
    expect(criteriaMatch(criteria({ 0: "SALES" }, [0]), ctx, tree)).toBe(true);
    expect(criteriaMatch(criteria({ 0: "ALL" }, [0]), ctx, tree)).toBe(true);
    expect(criteriaMatch(criteria({ 0: "HR" }, [0]), ctx, tree)).toBe(false);
    expect(criteriaMatch(criteria({ 0: "SALES", 1: "ENG" }, [0]), ctx, tree)).toBe(true);
    expect(criteriaMatch(criteria({ 0: "SALES", 1: "OPS" }, [0]), ctx, tree)).toBe(false);
    expect(criteriaMatch([], ctx, tree)).toBe(true);
  });

  it("say which dimension differed, and when the context has no value", () => {
    expect(criteriaMismatches(criteria({ 0: "HR", 1: "ENG" }), { 0: "SALES", 1: "ENG" }, tree)).toEqual([{ dimension: 0, actual: "SALES", wanted: "HR", hierarchical: false }]);
    expect(criteriaMismatches(criteria({ 1: "ENG" }), { 0: "SALES" }, tree)).toEqual([{ dimension: 1, actual: null, wanted: "ENG", hierarchical: false }]);
  });

  it("an L flag on a flat dimension matches the value itself only, and a cycle in the tree ends the walk", () => {
    expect(criteriaMatch(criteria({ 1: "ENG" }, [1]), { 1: "ENG" }, tree)).toBe(true);
    const cyclic = new DimensionTree([{ identifier: "D", column: 0, entityType: "O", isHierarchical: true, parents: new Map([["A", "B"], ["B", "A"]]) }]);
    expect(cyclic.ancestors(0, "A")).toEqual(["B"]);
    expect(cyclic.matches(0, "A", "C", true)).toBe(false);
  });
});

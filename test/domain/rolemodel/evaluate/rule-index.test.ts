import { describe, expect, it } from "vitest";
import { criteriaMatch } from "../../../../src/domain/rolemodel/evaluate/criteria.js";
import { DimensionTree } from "../../../../src/domain/rolemodel/evaluate/dimension-tree.js";
import { anchorOf, RuleIndex } from "../../../../src/domain/rolemodel/evaluate/rule-index.js";
import { random } from "../../../helpers/xml-samples.js";
import { criteria, model, singleRule } from "./fixture.js";

const tree = new DimensionTree(model().dimensions);
const DEPARTMENTS = ["ALL", "SALES", "SALES_EU", "SALES_FR", "HR", "IT"];
const TITLES = ["ENG", "OPS", "MGR"];
const ROLES = ["C1", "C2", "C3"];

describe("the rule index", () => {
  it("never misses a rule that matches, and keeps document order (seeded)", () => {
    const next = random(20250601);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const rules = Array.from({ length: 300 }, (_, i) => {
      const values: Record<number, string> = {};
      if (next() < 0.7) values[0] = pick(DEPARTMENTS);
      if (next() < 0.5) values[1] = pick(TITLES);
      return singleRule(`R${i}`, { criteria: criteria(values, next() < 0.5 ? [0] : []), compositeRole: next() < 0.3 ? pick(ROLES) : undefined });
    });
    const index = new RuleIndex(rules, (r) => anchorOf(r.criteria, r.compositeRole));
    for (let i = 0; i < 200; i++) {
      const dims: Record<number, string> = { 0: pick(DEPARTMENTS) };
      if (next() < 0.8) dims[1] = pick(TITLES);
      const held = ROLES.filter(() => next() < 0.4);
      const matching = rules.filter((r) => criteriaMatch(r.criteria, dims, tree) && (r.compositeRole === undefined || held.includes(r.compositeRole)));
      const candidates = index.candidates(dims, held, tree);
      expect(candidates.filter((r) => matching.includes(r))).toEqual(matching);
      expect(candidates.length).toBeLessThan(rules.length);
    }
  });

  it("looks up a context's value and its ancestors, not every rule", () => {
    const rules = [singleRule("a", { criteria: criteria({ 0: "SALES" }, [0]) }), singleRule("b", { criteria: criteria({ 0: "HR" }) }), singleRule("c")];
    const index = new RuleIndex(rules, (r) => anchorOf(r.criteria, r.compositeRole));
    expect(index.candidates({ 0: "SALES_FR" }, [], tree).map((r) => r.role)).toEqual(["a", "c"]);
  });
});

import { describe, expect, it } from "vitest";
import { decide } from "../../../../src/domain/rolemodel/evaluate/decide.js";
import type { RuleType } from "../../../../src/domain/rolemodel/states.js";

const rule = (name: string, priority: number, isDenied = false, type: RuleType = "Required") => ({ rule: { name, priority, isDenied, type }, spans: [] });
const names = (list: Array<{ rule: { name: string } }>) => list.map((m) => m.rule.name);

describe("deny and priority", () => {
  it.each([
    ["a grant alone assigns", [rule("g", 0)], "assigned", ["g"]],
    ["a deny alone denies", [rule("d", 0, true)], "denied", []],
    ["a deny beats a grant of equal priority", [rule("g", 3), rule("d", 3, true)], "denied", []],
    ["a deny beats a weaker grant", [rule("g", 5), rule("d", 3, true)], "denied", []],
    ["a stronger grant beats a deny", [rule("g", 1), rule("d", 3, true)], "assigned", ["g"]],
    ["the strongest deny sets the bar", [rule("g", 2), rule("d1", 5, true), rule("d2", 1, true)], "denied", []],
    ["a Suggested rule only suggests", [rule("s", 0, false, "Suggested")], "suggested", ["s"]],
    ["RequestedAutomatically only suggests", [rule("r", 0, false, "RequestedAutomatically")], "suggested", ["r"]],
    ["Required beats Suggested", [rule("s", 0, false, "Suggested"), rule("g", 9)], "assigned", ["g"]],
    ["a deny leaves a stronger Suggested rule standing", [rule("g", 5), rule("s", 0, false, "Suggested"), rule("d", 3, true)], "suggested", ["s"]],
    ["nothing matched", [], "none", []],
  ] as const)("%s", (_, matched, outcome, winners) => {
    const d = decide([...matched]);
    expect(d.outcome).toBe(outcome);
    expect(names(d.winners)).toEqual(winners);
  });

  it("reports the deny, the grants it beat and those outranked by type", () => {
    const d = decide([rule("g1", 5), rule("g2", 0, false, "Suggested"), rule("g3", 1), rule("d", 3, true)]);
    expect(d.deny?.rule.name).toBe("d");
    expect(names(d.beaten)).toEqual(["g1"]);
    expect(names(d.winners)).toEqual(["g3"]);
    expect(names(d.outranked)).toEqual(["g2"]);
  });
});

/** A RoleMapping's conditions (pure): operators by name or number, text without case, numbers as numbers, absent values, Rules OR and Items AND. */
import { describe, expect, it } from "vitest";
import { holds, matchesConditions, parseOperator, type ConditionItem } from "../../../src/domain/rolemodel/role-mapping-conditions.js";

const when = (operator: ConditionItem["operator"], value: string): ConditionItem => ({ property: "name", operator, value });

describe("RoleMapping conditions (pure)", () => {
  it("reads an operator by name, in any case, or by number; absent is Auto; anything else is unknown", () => {
    expect([parseOperator("StartWith"), parseOperator("startwith"), parseOperator("4"), parseOperator(undefined), parseOperator(""), parseOperator("Like")])
      .toEqual(["StartWith", "StartWith", "StartWith", "Auto", "Auto", undefined]);
  });

  it("compares text without regard to case", () => {
    expect([
      holds(when("Equal", "sg_fin"), "SG_FIN"), holds(when("Auto", "SG_FIN"), "sg_fin"), holds(when("NotEqual", "SG_FIN"), "SG_HR"),
      holds(when("StartWith", "sg_"), "SG_FIN"), holds(when("NotStartWith", "SG_"), "GG_FIN"), holds(when("EndWith", "_fin"), "SG_FIN"),
      holds(when("NotEndWith", "_FIN"), "SG_HR"), holds(when("Contain", "g_f"), "SG_FIN"), holds(when("NotContain", "HR"), "SG_FIN"),
      holds(when("FlexibleStartWith", "SG"), "sg_x"),
    ]).toEqual([true, true, true, true, true, true, true, true, true, true]);
    expect([holds(when("StartWith", "GG_"), "SG_FIN"), holds(when("Contain", "HR"), "SG_FIN"), holds(when("NotEqual", "sg_fin"), "SG_FIN")]).toEqual([false, false, false]);
  });

  it("orders numbers as numbers and anything else as text", () => {
    expect([holds(when("GreaterThan", "9"), 10), holds(when("GreaterThan", "9"), "10"), holds(when("LessThanOrEqual", "10"), 10), holds(when("GreaterThan", "b"), "C")])
      .toEqual([true, true, true, true]);
    expect([holds(when("LessThan", "9"), "10"), holds(when("GreaterThanOrEqual", "b"), "a")]).toEqual([false, false]);
  });

  it("lets a resource without the property hold only the negative operators", () => {
    expect((["Equal", "StartWith", "Contain", "GreaterThan", "NotEqual", "NotContain", "NotStartWith", "NotEndWith"] as const).map((op) => holds(when(op, "x"), undefined)))
      .toEqual([false, false, false, false, true, true, true, true]);
  });

  it("holds when any Rule holds, a Rule when all its Items do; no Rule at all matches everything", () => {
    const read = (values: Record<string, string>) => (property: string) => values[property];
    const conditions = [
      [{ property: "name", operator: "StartWith", value: "SG_" }, { property: "type", operator: "Equal", value: "Group" }],
      [{ property: "name", operator: "Equal", value: "Admins" }],
    ] as const;
    expect([
      matchesConditions(conditions, read({ name: "SG_FIN", type: "Group" })),
      matchesConditions(conditions, read({ name: "SG_FIN", type: "User" })),
      matchesConditions(conditions, read({ name: "admins" })),
      matchesConditions(conditions, read({ name: "Users" })),
      matchesConditions([], read({})),
    ]).toEqual([true, false, true, false, true]);
  });
});

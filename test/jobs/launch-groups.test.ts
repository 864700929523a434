import { describe, expect, it } from "vitest";
import type { JobStepItem } from "../../src/config/items.js";
import { launchGroups, launchSequence, type LaunchGroup } from "../../src/jobs/launch-groups.js";

function steps(...levels: [string, number][]): JobStepItem[] {
  return levels.map(([task, level], i) => ({ kind: "inline", launchOrder: i + 1, level, task }));
}

const names = (groups: LaunchGroup<JobStepItem>[]) => groups.map((g) => [g.level, g.steps.map((s) => s.task)]);

describe("launchGroups", () => {
  it("runs steps without levels one by one, in document order", () => {
    expect(names(launchGroups(steps(["A", -1], ["B", -1], ["C", -1])))).toEqual([[-1, ["A"]], [-1, ["B"]], [-1, ["C"]]]);
  });

  it("starts the steps of one level together, levels in ascending order", () => {
    expect(names(launchGroups(steps(["A", 1], ["B", 0], ["C", 1], ["D", 0])))).toEqual([[0, ["B", "D"]], [1, ["A", "C"]]]);
  });

  it("keeps an unleveled step after the group of the leveled step written before it", () => {
    expect(names(launchGroups(steps(["X", -1], ["A", 0], ["Y", -1], ["B", 1], ["Z", -1], ["C", 1]))))
      .toEqual([[-1, ["X"]], [0, ["A"]], [-1, ["Y"]], [1, ["B", "C"]], [-1, ["Z"]]]);
  });

  it("splits a level larger than MaxTaskBatchSize into consecutive groups", () => {
    const many = steps(...Array.from({ length: 7 }, (_, i): [string, number] => [`T${i}`, 2]));
    expect(names(launchGroups(many, 3))).toEqual([[2, ["T0", "T1", "T2"]], [2, ["T3", "T4", "T5"]], [2, ["T6"]]]);
    expect(launchGroups(many).map((g) => g.steps.length)).toEqual([5, 2]);
  });

  it("refuses a batch size that is not a positive integer", () => {
    expect(() => launchGroups([], 0)).toThrow("MaxTaskBatchSize");
  });
});

describe("launchSequence", () => {
  it("numbers steps from 0 in launch order and gives each launch group its own effective level, as Get-JobSteps shows them", () => {
    const groups = launchGroups(steps(["X", -1], ["B", 3], ["A", 1], ["C", 1], ["D", 1], ["Y", -1]), 2);
    expect(launchSequence(groups).map((s) => [s.step.task, s.order, s.level, s.step.level])).toEqual([
      ["X", 0, 0, -1],
      ["A", 1, 1, 1],
      ["C", 2, 1, 1],
      ["D", 3, 2, 1],
      ["Y", 4, 3, -1],
      ["B", 5, 4, 3],
    ]);
  });
});

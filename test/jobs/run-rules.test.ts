import { describe, expect, it } from "vitest";
import {
  abandoned, cancelledBeforeStart, endLogLevel, endState, finalJobState, notImplemented, stopAfterGroup, taskError, tasksToRerun, thrown,
  unmetDependency, type TaskStanding,
} from "../../src/jobs/run-rules.js";

const standing = (identifier: string, state: TaskStanding["state"], didWork = false): TaskStanding => ({ identifier, state, didWork });

describe("TaskDependsOnTask", () => {
  it("lets a task without parents in the run run", () => {
    expect(unmetDependency([], [standing("A", "Error")])).toBeUndefined();
    // A parent left out of the run (a selection) does not count.
    expect(unmetDependency(["Elsewhere"], [standing("A", "Error")])).toBeUndefined();
  });

  it("needs one parent that ended Succeeded having done work", () => {
    const run = [standing("Worked", "Succeeded", true), standing("Idle", "Succeeded", false), standing("Failed", "Error")];
    expect(unmetDependency(["Idle", "Worked"], run)).toBeUndefined();
    expect(unmetDependency(["Idle", "Failed"], run)).toBe(
      "skipped: no parent task ended Succeeded having done work (Idle Succeeded without work, Failed Error)",
    );
  });

  it("does not count work done by a parent that did not succeed", () => {
    expect(unmetDependency(["W"], [standing("W", "Warning", true)])).toBe("skipped: no parent task ended Succeeded having done work (W Warning)");
    expect(unmetDependency(["P"], [standing("P", "Pending")])).toBe("skipped: no parent task ended Succeeded having done work (P Pending)");
  });
});

describe("a task's end", () => {
  it("turns an Error into a Warning under ContinueOnError, and only an Error", () => {
    expect(endState("Error", true)).toBe("Warning");
    expect(endState("Error", false)).toBe("Error");
    for (const state of ["Succeeded", "Warning", "Blocked", "Cancelled"] as const) expect(endState(state, true)).toBe(state);
  });

  it("logs its end line at the level of its state", () => {
    expect(["Succeeded", "Skipped", "Warning", "Error", "Blocked", "Cancelled"].map((s) => endLogLevel(s as TaskStanding["state"]))).toEqual([
      "Information", "Information", "Warning", "Error", "Error", "Error",
    ]);
  });

  it("records its error after where the task is written", () => {
    expect(taskError("disk full", { file: "jobs.xml", line: 4 })).toBe("jobs.xml:4: disk full");
    expect(taskError("disk full", undefined)).toBe("disk full");
    expect(taskError(undefined, { file: "jobs.xml", line: 4 })).toBeNull();
  });

  it("fails a type without a handler with task-not-implemented", () => {
    expect(notImplemented("FulfillTask")).toEqual({
      state: "Error", didWork: false, message: "task-not-implemented: FulfillTask has no handler in this version of idm-toolkit",
    });
  });
});

describe("cancel", () => {
  it("ends a task Cancelled when its turn comes after the cancel, or its handler does not stop in time", () => {
    expect(cancelledBeforeStart()).toEqual({ state: "Cancelled", didWork: false, message: "cancelled before it started" });
    expect(abandoned(3000)).toEqual({ state: "Cancelled", didWork: false, message: "cancelled; the handler did not stop within 3000 ms" });
  });

  it("reads a handler's failure as how it stopped when the run was cancelled, else as an Error", () => {
    expect(thrown(new Error("stopped"), true)).toEqual({ state: "Cancelled", didWork: false, message: "cancelled: stopped" });
    expect(thrown(new Error("disk full"), false)).toEqual({ state: "Error", didWork: false, message: "disk full" });
    expect(thrown("not an Error", false)).toEqual({ state: "Error", didWork: false, message: "not an Error" });
  });
});

describe("the run", () => {
  it("stops after a group with a Blocked task, or with an Error, and goes on after Warnings and Skips", () => {
    expect(stopAfterGroup(["Succeeded", "Error", "Blocked"])).toBe("blocked");
    expect(stopAfterGroup(["Succeeded", "Error"])).toBe("error");
    expect(stopAfterGroup(["Succeeded", "Warning", "Skipped"])).toBeUndefined();
    expect(stopAfterGroup([])).toBeUndefined();
  });

  it("ends with the worst state of its tasks: Blocked, then Error, then Warning", () => {
    expect(finalJobState(["Succeeded", "Warning", "Error", "Blocked", "Pending"], false)).toBe("Blocked");
    expect(finalJobState(["Warning", "Error", "Pending"], false)).toBe("Error");
    expect(finalJobState(["Succeeded", "Warning", "Skipped"], false)).toBe("Warning");
    expect(finalJobState(["Succeeded", "Skipped"], false)).toBe("Succeeded");
    expect(finalJobState([], false)).toBe("Succeeded");
  });

  it("ends Cancelled when cancelled, whatever its tasks' states", () => {
    expect(finalJobState(["Succeeded"], true)).toBe("Cancelled");
    expect(finalJobState(["Blocked", "Error"], true)).toBe("Cancelled");
  });

  it("resumes by rerunning the Blocked tasks (forced); the Pending ones run after them", () => {
    const tasks = [{ id: 1, state: "Succeeded" }, { id: 2, state: "Blocked" }, { id: 3, state: "Pending" }, { id: 4, state: "Blocked" }] as const;
    expect([...tasksToRerun(tasks)]).toEqual([2, 4]);
  });
});

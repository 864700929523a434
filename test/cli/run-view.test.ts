import { describe, expect, it } from "vitest";
import { liveView, plainView, taskLine } from "../../src/cli/run-view.js";
import type { RunSummary, TaskView } from "../../src/jobs/runner.js";

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

function task(state: TaskView["state"], extra: Partial<TaskView> = {}): TaskView {
  return {
    id: 1, identifier: "Export", type: "ExportTask", level: 0, groupIndex: 0, state, attempt: 1, startedAt: at(0), endedAt: null,
    didWork: false, counters: {}, error: null, ...extra,
  };
}

describe("run views", () => {
  it("plain: one line per state change, the task's own output indented, progress not repeated", () => {
    let out = "";
    const view = plainView((text) => (out += text));
    const running = task("InProgress");
    view.onEvent({ kind: "started", job: "J", instanceId: 4, tasks: [running] });
    view.onEvent({ kind: "task", task: running });
    view.onEvent({ kind: "log", source: "runner", task: "Export", level: "Information", message: "task Export started" });
    view.onEvent({ kind: "log", source: "task", task: "Export", level: "Information", message: "12 rows" });
    view.onEvent({ kind: "task", task: { ...running, counters: { rows: 12 } } });
    const ended = task("Error", { endedAt: at(2), counters: { rows: 12 }, error: "jobs.xml:4: boom" });
    view.onEvent({ kind: "task", task: ended });
    const summary: RunSummary = { job: "J", instanceId: 4, state: "Error", tasks: [ended] };
    view.onEvent({ kind: "ended", summary });
    expect(out.replace(/  \d+\.\ds/, "  Ns")).toBe([
      "Job J instance 4 started: 1 tasks",
      "▶ InProgress   Export  ExportTask  Ns",
      "    Export │ 12 rows",
      "✗ Error        Export  ExportTask  2.0s  rows=12  jobs.xml:4: boom",
      "Job J instance 4 ended Error (1 error)",
      "",
    ].join("\n"));
  });

  it("plain: a task's Debug lines only when verbose", () => {
    const shown = (verbose: boolean) => {
      let out = "";
      const view = plainView((text) => (out += text), { verbose });
      view.onEvent({ kind: "log", source: "task", task: "Views", level: "Debug", message: "CREATE VIEW zz_P AS SELECT 1" });
      view.onEvent({ kind: "log", source: "task", task: "Views", level: "Information", message: "created view zz_P (1 columns)" });
      view.onEvent({ kind: "log", source: "task", task: "Views", level: "Trace", message: "trace" });
      return out;
    };
    expect(shown(false)).toBe("    Views │ created view zz_P (1 columns)\n");
    expect(shown(true)).toBe("    Views │ CREATE VIEW zz_P AS SELECT 1\n    Views │ created view zz_P (1 columns)\n");
  });

  it("live: redraws the task lines in place, moving the cursor up over the previous drawing", () => {
    let out = "";
    const view = liveView((text) => (out += text));
    const tasks = [task("Pending", { startedAt: null }), task("Pending", { id: 2, identifier: "Sync", type: "SynchronizeTask", startedAt: null })];
    view.onEvent({ kind: "started", job: "J", instanceId: 1, tasks });
    tasks[0]!.state = "Succeeded";
    tasks[0]!.startedAt = at(0);
    tasks[0]!.endedAt = at(1);
    view.onEvent({ kind: "ended", summary: { job: "J", instanceId: 1, state: "Succeeded", tasks } });
    expect(out).toBe(
      "Job J instance 1\n" +
      "\x1b[2K· Pending      Export  ExportTask\n\x1b[2K· Pending      Sync  SynchronizeTask\n" +
      "\x1b[2A\x1b[2K✓ Succeeded    Export  ExportTask  1.0s\n\x1b[2K· Pending      Sync  SynchronizeTask\n" +
      "Job J instance 1 ended Succeeded (1 succeeded, 1 pending)\n",
    );
    expect(taskLine(task("InProgress"), at(3).getTime())).toBe("▶ InProgress   Export  ExportTask  3.0s");
  });
});

/**
 * What `idm run` shows while a job runs. On a terminal: one line per task (state, elapsed time,
 * counters), redrawn in place. Otherwise (CI logs, pipes): one plain line per state change, and the
 * tasks' own output indented under them, since nobody can watch a redrawn screen in a log file.
 */
import type { RunEvent, RunSummary, TaskView } from "../jobs/runner.js";
import { LOG_LEVELS } from "../domain/vocabulary.js";

const REDRAW_MS = 100;

const MARK: Record<string, string> = {
  Pending: "·", InProgress: "▶", Succeeded: "✓", Warning: "!", Error: "✗", Blocked: "■", Cancelled: "⊘", Interrupted: "⊘", Skipped: "↷",
};

function elapsed(task: TaskView, now: number): string {
  if (task.startedAt === null) return "";
  const end = task.endedAt?.getTime() ?? now;
  return `${((end - task.startedAt.getTime()) / 1000).toFixed(1)}s`;
}

function counters(task: TaskView): string {
  return Object.entries(task.counters).map(([name, value]) => `${name}=${value}`).join(" ");
}

export function taskLine(task: TaskView, now = Date.now()): string {
  const parts = [`${MARK[task.state] ?? " "} ${task.state.padEnd(11)}`, task.identifier, task.type, elapsed(task, now), counters(task)];
  return parts.filter((p) => p !== "").join("  ");
}

export function summaryLine(summary: RunSummary): string {
  const counts = new Map<string, number>();
  for (const task of summary.tasks) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
  const detail = [...counts].map(([state, n]) => `${n} ${state.toLowerCase()}`).join(", ");
  return `Job ${summary.job} instance ${summary.instanceId} ended ${summary.state} (${detail || "no task"})`;
}

export interface RunView {
  onEvent(event: RunEvent): void;
}

/** The lowest level of a task's log line shown on the terminal: Debug with --verbose, else Information. */
function shownLevel(verbose: boolean): number {
  return LOG_LEVELS.indexOf(verbose ? "Debug" : "Information");
}

/** Lines printed as they come, for logs and pipes; a task's Debug lines only when verbose (they are stored anyway). */
export function plainView(write: (text: string) => void, options: { verbose?: boolean } = {}): RunView {
  const lowest = shownLevel(options.verbose === true);
  const printed = new Map<number, string>();
  return {
    onEvent(event) {
      switch (event.kind) {
        case "started":
          write(`Job ${event.job} instance ${event.instanceId} started: ${event.tasks.length} tasks\n`);
          break;
        case "task":
          // Progress comes as task events too: print state changes only.
          if (printed.get(event.task.id) === event.task.state) break;
          printed.set(event.task.id, event.task.state);
          write(`${taskLine(event.task)}${event.task.error ? `  ${event.task.error}` : ""}\n`);
          break;
        case "log":
          if (event.source === "task" && LOG_LEVELS.indexOf(event.level) >= lowest) write(`    ${event.task ?? ""} │ ${event.message}\n`);
          break;
        case "ended":
          write(`${summaryLine(event.summary)}\n`);
      }
    },
  };
}

/** One line per task, redrawn in place at most every REDRAW_MS. */
export function liveView(write: (text: string) => void): RunView {
  let tasks: TaskView[] = [];
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    const now = Date.now();
    const up = drawn > 0 ? `\x1b[${drawn}A` : "";
    write(up + tasks.map((t) => `\x1b[2K${taskLine(t, now)}\n`).join(""));
    drawn = tasks.length;
  };
  // Elapsed times move on even when no event comes.
  const ticker = setInterval(() => timer === undefined && draw(), 1000);
  ticker.unref();
  return {
    onEvent(event) {
      switch (event.kind) {
        case "started":
          write(`Job ${event.job} instance ${event.instanceId}\n`);
          tasks = event.tasks;
          draw();
          break;
        case "task":
          timer ??= setTimeout(draw, REDRAW_MS);
          break;
        case "log":
          break;
        case "ended":
          clearTimeout(timer);
          clearInterval(ticker);
          draw();
          write(`${summaryLine(event.summary)}\n`);
      }
    },
  };
}

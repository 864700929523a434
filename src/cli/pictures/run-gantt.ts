/**
 * `idm instances <id> --format mermaid`: a Mermaid gantt chart of a run. One bar per task that
 * started, from its start to its end, in a section per level (consecutive launch groups of one level
 * share it); its state is in its name and in its tag. Tasks that never started (Pending: the run
 * stopped or was cancelled before their group) have no time to draw: they are left out, and the
 * title counts them.
 */
import type { TaskState } from "../../domain/vocabulary.js";
import type { InstanceTimeline } from "../../jobs/history.js";
import { mermaidText } from "./escape.js";

/** Mermaid's tags: done (grey), crit (red), active (blue). A Warning ended but needs a look: both. */
const TAGS: Record<TaskState, string> = {
  Succeeded: "done", Skipped: "done", Warning: "crit, done",
  Error: "crit", Blocked: "crit", Cancelled: "crit", Interrupted: "crit",
  InProgress: "active", Pending: "active",
};

/** UTC, to the millisecond, in the dateFormat below (Mermaid reads it as local time and draws it as written). */
function time(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** `now` ends the bars of tasks still running (or whose runner died before ending them). */
export function runGantt(timeline: InstanceTimeline, now: Date): string {
  const { instance, tasks } = timeline;
  const started = tasks.filter((t) => t.startedAt !== null);
  const notStarted = tasks.length - started.length;
  const title = [`${instance.job} · instance ${instance.id} · ${instance.state}`, ...(notStarted > 0 ? [`${notStarted} not started`] : [])].join(" · ");
  const lines = ["gantt", `  title ${mermaidText(title)}`, "  dateFormat YYYY-MM-DD HH:mm:ss.SSS", "  axisFormat %H:%M:%S"];
  let section: number | undefined;
  for (const task of started) {
    if (task.level !== section) {
      section = task.level;
      lines.push(`  section ${task.level === -1 ? "No level" : `Level ${task.level}`}`);
    }
    const end = task.endedAt ?? instance.endedAt ?? now;
    // The launch order first: a name may not start a line with a Mermaid keyword (gantt, section, click...).
    const name = `${task.launchOrder}. ${mermaidText(task.task)} (${task.state})`;
    lines.push(`  ${name} :${TAGS[task.state]}, t${task.id}, ${time(task.startedAt!)}, ${time(end)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `idm instances <id> --format mermaid`: a Mermaid gantt chart of a run. One bar per task that
 * started, from its start to its end, in a section per effective level (its launch group, from 0, as
 * `idm steps` numbers them); its launch order (from 0) and state are in its name, its state in its tag. Tasks that never started (Pending: the run
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

/** As the flowchart of `idm steps` titles its groups: the declared level only where it differs. */
function levelTitle(level: number, declared: number): string {
  if (declared === -1) return `Level ${level} · no level declared`;
  return declared === level ? `Level ${level}` : `Level ${level} · declared ${declared}`;
}

/** `now` ends the bars of tasks still running (or whose runner died before ending them). */
export function runGantt(timeline: InstanceTimeline, now: Date): string {
  const { instance, tasks } = timeline;
  // Orders count every task of the run, started or not, so that they are the ones `idm steps` prints.
  const started = tasks.map((task, order) => ({ task, order })).filter(({ task }) => task.startedAt !== null);
  const notStarted = tasks.length - started.length;
  const title = [`${instance.job} · instance ${instance.id} · ${instance.state}`, ...(notStarted > 0 ? [`${notStarted} not started`] : [])].join(" · ");
  const lines = ["gantt", `  title ${mermaidText(title)}`, "  dateFormat YYYY-MM-DD HH:mm:ss.SSS", "  axisFormat %H:%M:%S"];
  let section: number | undefined;
  for (const { task, order } of started) {
    if (task.groupIndex !== section) {
      section = task.groupIndex;
      lines.push(`  section ${levelTitle(task.groupIndex, task.level)}`);
    }
    const end = task.endedAt ?? instance.endedAt ?? now;
    // The launch order first: a name may not start a line with a Mermaid keyword (gantt, section, click...).
    const name = `${order}. ${mermaidText(task.task)} (${task.state})`;
    lines.push(`  ${name} :${TAGS[task.state]}, t${task.id}, ${time(task.startedAt!)}, ${time(end)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Human output of a plan: a summary line, changes grouped by kind, then the job-level summary. */
import type { Contribution } from "../config/overlays.js";
import type { SourcePosition } from "../config/problems.js";
import type { Plan } from "../deploy/plan.js";

export function formatPlan(plan: Plan): string {
  const { insert, update, delete: deletes } = plan.summary;
  const lines = [`Plan: ${insert} to insert, ${update} to update, ${deletes} to delete${plan.scope ? ` (scope ${plan.scope})` : ""}`];
  const rows = [
    ...plan.inserts.map((i) => ({ kind: i.kind, line: `  + ${i.identifier}${at(i.source)}`, details: madeBy(i.contributions) })),
    ...plan.updates.map((u) => ({
      kind: u.kind,
      line: `  ~ ${u.identifier}${at(u.item.source)}`,
      details: [...madeBy(u.item.contributions), ...u.changes.map((c) => `      ${c.path}: ${show(c.before)} → ${show(c.after)}`)],
    })),
    ...plan.deletes.map((d) => ({ kind: d.kind, line: `  - ${d.identifier}${at(d.source)}`, details: [] as string[] })),
  ];
  for (const kind of [...new Set(rows.map((r) => r.kind))].sort()) {
    lines.push("", kind);
    for (const row of rows.filter((r) => r.kind === kind)) lines.push(row.line, ...row.details);
  }
  if (plan.jobs.length > 0) {
    lines.push("", "Jobs");
    for (const job of plan.jobs) lines.push(`  ${job.job}`, ...job.changes.map((c) => `    ${c}`));
  }
  if (plan.moves.length > 0) lines.push("", `${plan.moves.length} unchanged item(s) moved in their files: their recorded source is updated`);
  return `${lines.join("\n")}\n`;
}

function at(source: SourcePosition | null): string {
  return source ? `  (${source.file}:${source.line})` : "";
}

/** An overlaid item's sources, base first: `from ../Modules/Bootstrap/a.xml:9 (Base), Conf.xml:4 (Merge)`. */
export function madeBy(contributions: Contribution[] | undefined): string[] {
  if (contributions === undefined) return [];
  return [`      from ${contributions.map((c) => `${c.file}:${c.line} (${c.mode})`).join(", ")}`];
}

function show(value: unknown): string {
  return value === null ? "(none)" : JSON.stringify(value);
}

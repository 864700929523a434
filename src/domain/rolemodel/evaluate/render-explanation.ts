/**
 * `idm why` in words: an Explanation (explain.ts) as plain English lines, one per context and rule,
 * each rule named by its element and `file:line`, so that an auditor can read why without knowing
 * the engine.
 */
import type { Context } from "./assignments.js";
import type { ContextExplanation, Explanation, Mismatch, RuleVerdict, SubjectExplanation, SubjectKind } from "./explain.js";
import type { RuleSource } from "./model.js";

export const KIND_WORDS: Record<SubjectKind, string> = { compositeRole: "composite role", singleRole: "single role", resourceType: "resource type" };
const OUTCOME_WORDS = { assigned: "is assigned", suggested: "is suggested, not assigned", denied: "is denied", "not-assigned": "is not assigned" } as const;

export function renderExplanation(explanation: Explanation): string[] {
  const who = `${explanation.owner.entityType} ${explanation.owner.key}`;
  if (explanation.subjects.length === 0) return [`${who}: no role or resource type of ${explanation.owner.entityType} is named ${explanation.identifier}.`];
  return explanation.subjects.flatMap((s) => renderSubject(who, s, explanation.dimensions));
}

function renderSubject(who: string, s: SubjectExplanation, dimensions: ReadonlyMap<number, string>): string[] {
  const lines = [`${who}: ${KIND_WORDS[s.kind]} ${s.identifier} ${OUTCOME_WORDS[s.outcome]}.`];
  if (s.contexts.length === 0) lines.push("  The owner has no current context: no rule can apply.");
  s.contexts.forEach((c, i) => lines.push(...renderContext(c, i, s.contexts.length, dimensions)));
  if (s.contexts.length > 0 && s.contexts.every((c) => c.verdicts.length === 0)) lines.push(`  No rule assigns ${s.identifier}.`);
  for (const row of s.stored) {
    const how = row.origin === "manual" ? "a manual assignment" : row.origin === "found" ? "a right found in the managed system" : "a right that existed before go-live";
    lines.push(`  Also held through ${how} (${row.workflowState}), ${period(row)}.`);
  }
  for (const t of s.targets) {
    if (t.target === null) lines.push("  No target resource yet: a creation order follows.");
    else if (t.correlation === null) lines.push(`  Target ${t.target.key}.`);
    else {
      const how = t.needsReview ? "suggested for review" : "correlated";
      lines.push(`  Target ${t.target.key}, ${how} by ${where(t.correlation.rule)} (confidence ${t.correlation.confidence}).`);
    }
  }
  return lines;
}

function renderContext(c: ContextExplanation, index: number, count: number, dimensions: ReadonlyMap<number, string>): string[] {
  const label = count > 1 ? `Context ${index + 1}` : "Context";
  const lines = [`  ${label} (${contextWords(c.context, dimensions)}): ${OUTCOME_WORDS[c.outcome].replace(/^is /, "")}.`];
  for (const v of c.verdicts) lines.push(`    ${verdictWords(v)}`);
  return lines;
}

function contextWords(context: Context, dimensions: ReadonlyMap<number, string>): string {
  const values = Object.entries(context.dimensions).map(([column, value]) => `${dimensions.get(Number(column)) ?? `dimension ${column}`} ${value}`);
  return [...(values.length ? values : ["no dimension values"]), period(context)].join(", ");
}

function period(p: { validFrom: Date | null; validTo: Date | null }): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (!p.validFrom && !p.validTo) return "always";
  if (!p.validTo) return `from ${day(p.validFrom!)}`;
  if (!p.validFrom) return `until ${day(p.validTo)}`;
  return `from ${day(p.validFrom)} until ${day(p.validTo)}`;
}

/** A rule child (`<ResourceType>/<Kind>#<n>`, policy-loader.ts) has only its ResourceType's line: its rank tells it from its siblings. */
const RULE_CHILD = /^([^/]+)\/[A-Za-z]+#(\d+)$/;

function where(source: RuleSource): string {
  // A generated rule is one of many a RoleMapping made: its name says which mapping and that it is generated.
  if (source.kind === "RoleMapping") return `${source.kind} ${source.identifier} at ${source.file}:${source.line}`;
  const child = RULE_CHILD.exec(source.identifier);
  const name = child ? `${source.kind} #${child[2]} of ${child[1]}` : source.kind;
  return source.file ? `${name} at ${source.file}:${source.line}` : `${name} ${source.identifier}`;
}

function verdictWords(v: RuleVerdict): string {
  const rule = where(v.rule);
  const strength = `${v.type}, priority ${v.priority}`;
  switch (v.outcome) {
    case "granted":
      return `granted by ${rule} (${strength})`;
    case "inferred":
      return `inferred by ${rule} from the held ${roleWords(v)} (${strength})`;
    case "suggested":
      return `suggested by ${rule} (${strength})`;
    case "denied":
      return `denied by ${rule} (priority ${v.priority})`;
    case "overridden":
      return `${rule} denies it, but a stronger grant overrides it${v.by ? `: ${where(v.by)}` : ""} (priority ${v.priority})`;
    case "beaten":
      return `${rule} would grant it (${strength}), but a deny of equal or stronger priority wins${v.by ? `: ${where(v.by)}` : ""}`;
    case "outranked":
      return `${rule} matches (${strength}), but a rule of a stronger type decides${v.by ? `: ${where(v.by)}` : ""}`;
    case "not-matched":
      return `${rule} does not match: ${v.mismatches.map(mismatchWords).join("; ")}`;
  }
}

function roleWords(v: RuleVerdict): string {
  return v.requires ? `${KIND_WORDS[v.requires.kind]} ${v.requires.role}` : "role";
}

function mismatchWords(m: Mismatch): string {
  switch (m.kind) {
    case "dimension": {
      const name = m.dimensionIdentifier ? `${m.dimensionIdentifier} (${m.parameter})` : m.parameter;
      const wants = m.hierarchical ? `${m.wanted} or a value below it` : m.wanted;
      return m.actual === null ? `${name} has no value, the rule wants ${wants}` : `${name} is ${m.actual}, the rule wants ${wants}`;
    }
    case "role":
      return `the owner does not hold the ${KIND_WORDS[m.roleKind]} ${m.role}`;
    case "period":
      return "its time offset leaves no period in this context";
  }
}

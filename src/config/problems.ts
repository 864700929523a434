/**
 * Problems are what validation reports: every mistake in a configuration folder, collected in one
 * pass, each pointing at a file, line and column. Codes are stable: tools and tests match on them.
 */

export const PROBLEM_CODES = [
  "xml-syntax",
  "xml-doctype",
  "xml-encoding",
  "file-too-large",
  "empty-file",
  "wrong-root",
  "wrong-namespace",
  "unknown-element",
  "unknown-attribute",
  "missing-attribute",
  "invalid-value",
  "duplicate-identifier",
  "unresolved-reference",
  "dependency-cycle",
  "agent-mismatch",
  "invalid-cron",
  "invalid-task-combination",
  "unsupported-element",
  "unsupported-attribute",
  "overlay-without-base",
  "missing-module",
  "empty-job",
  "unknown-database",
  "unmapped-windows-path",
  "invalid-expression",
  "unsupported-expression",
  "orphan-task",
  "scaffolding-conflict",
  "unsupported-argument",
  "scaffolding-not-expanded",
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];
export type Severity = "error" | "warning";

/** A place in a configuration file: file relative to the folder root, 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
  /** For an item a scaffolding generated: the scaffolding's element name (the position is the scaffolding's). */
  generatedBy?: string;
}

export interface Problem extends SourcePosition {
  code: ProblemCode;
  severity: Severity;
  message: string;
  hint?: string;
  related?: SourcePosition[];
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

export function formatPosition(p: SourcePosition): string {
  return `${p.file}:${p.line}:${p.column}`;
}

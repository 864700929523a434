/** Human output of problems, like a compiler: `file:line:col  severity  code  message`. */
import { formatPosition, type Problem } from "../config/problems.js";

export function formatProblem(problem: Problem): string {
  const head = `${formatPosition(problem)}  ${problem.severity}  ${problem.code}  ${problem.message}`;
  const lines = [head];
  if (problem.hint) lines.push(`    hint: ${problem.hint}`);
  for (const r of problem.related ?? []) lines.push(`    see: ${formatPosition(r)}`);
  return lines.join("\n");
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

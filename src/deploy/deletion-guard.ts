/**
 * The deletion guard: a deploy that would delete many items is refused unless asked for, because an
 * accidentally missing file must not wipe a configuration.
 */
import { TASK_TYPES } from "../config/generated/schema-types.js";
import { DeployError } from "./deploy-error.js";
import type { Plan } from "./plan.js";
import type { StoredItem } from "../domain/stored-items.js";

export interface DeletionGuard {
  /** More deletes than this in one deploy are refused. */
  maxDeletes: number;
  /** More than this percentage of the stored items of one kind family are refused. */
  maxDeletePercent: number;
}

export const DEFAULT_DELETION_GUARD: DeletionGuard = { maxDeletes: 10, maxDeletePercent: 20 };

const TASK_KINDS: ReadonlySet<string> = new Set(TASK_TYPES);

/** Tasks of every type form one family, as they share one identifier space. */
function kindFamily(kind: string): string {
  return TASK_KINDS.has(kind) ? "task" : kind;
}

export function checkDeletionGuard(plan: Plan, stored: StoredItem[], guard: DeletionGuard): void {
  if (plan.deletes.length === 0) return;
  const reasons: string[] = [];
  if (plan.deletes.length > guard.maxDeletes) reasons.push(`${plan.deletes.length} deletes (limit ${guard.maxDeletes})`);
  const count = (items: { kind: string }[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const { kind } of items) counts.set(kindFamily(kind), (counts.get(kindFamily(kind)) ?? 0) + 1);
    return counts;
  };
  const storedCounts = count(stored);
  for (const [family, n] of count(plan.deletes)) {
    const percent = (100 * n) / (storedCounts.get(family) ?? n);
    if (percent > guard.maxDeletePercent) reasons.push(`${n} of ${storedCounts.get(family)} ${family} items (${percent.toFixed(0)}%, limit ${guard.maxDeletePercent}%)`);
  }
  if (reasons.length === 0) return;
  throw new DeployError(
    "deletion-guard",
    `the deploy would delete ${reasons.join(" and ")}; rerun with --allow-deletes if that is intended`,
    plan.deletes.map((d) => `${d.kind} ${d.identifier}${d.source ? ` (${d.source.file}:${d.source.line})` : ""}`),
  );
}

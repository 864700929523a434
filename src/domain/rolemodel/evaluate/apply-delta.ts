/**
 * The stored rows after a delta is saved: what the store does, without a store. Historized and
 * deleted rows leave the live rows (history keeps the former); inserted rows get ids from `newId`.
 * The store, a dry run and the tests share this one reading of a delta.
 */
import type { AssignmentDelta, StoredAssignment } from "./assignments.js";

export function applyDelta(stored: readonly StoredAssignment[], delta: AssignmentDelta, newId: () => string): StoredAssignment[] {
  const gone = new Set<string>();
  const updated = new Map<string, StoredAssignment>();
  const inserted: StoredAssignment[] = [];
  for (const c of delta.changes) {
    if (c.change === "delete" || c.change === "historize") gone.add(c.id);
    else if (c.change === "update") updated.set(c.id, { ...c.row, id: c.id });
    else inserted.push({ ...c.row, id: newId() });
  }
  return [...stored.filter((s) => !gone.has(s.id)).map((s) => updated.get(s.id) ?? s), ...inserted];
}

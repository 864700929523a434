/**
 * Step 3 of Evaluate Policy: each expected row finds its stored counterpart. A kept row is its own
 * counterpart; otherwise rows of the same key pair up by overlapping periods, then in time order;
 * last, a row without a target pairs with one that has a target (a creation that happened, or a
 * target that disappeared).
 */
import type { ExpectedRow, StoredAssignment } from "./assignments.js";
import { overlaps, spanOf } from "./periods.js";
import { looseKey, rowKey, targetOf } from "./row-keys.js";

export interface Matching {
  pairs: Array<[ExpectedRow, StoredAssignment | null]>;
  /** Stored rows no expected row claimed. */
  unclaimed: StoredAssignment[];
}

export function matchRows(expected: readonly ExpectedRow[], stored: readonly StoredAssignment[]): Matching {
  const free = new Set(stored);
  const byId = new Map(stored.map((s) => [s.id, s]));
  const partner = new Map<ExpectedRow, StoredAssignment>();
  const claim = (e: ExpectedRow, s: StoredAssignment) => {
    partner.set(e, s);
    free.delete(s);
  };
  for (const e of expected) {
    const s = e.storedId === undefined ? undefined : byId.get(e.storedId);
    if (s && free.has(s)) claim(e, s);
  }
  const open = () => expected.filter((e) => !partner.has(e) && e.storedId === undefined);
  const candidates = (key: (r: ExpectedRow | StoredAssignment) => string, e: ExpectedRow) => [...free].filter((s) => key(s) === key(e));

  const byStart = (a: ExpectedRow | StoredAssignment, b: ExpectedRow | StoredAssignment) => spanOf(a.validFrom, a.validTo).from - spanOf(b.validFrom, b.validTo).from;
  for (const e of open().sort(byStart)) {
    const span = spanOf(e.validFrom, e.validTo);
    const s = candidates(rowKey, e).find((c) => overlaps(span, spanOf(c.validFrom, c.validTo)));
    if (s) claim(e, s);
  }
  for (const e of open().sort(byStart)) {
    const s = candidates(rowKey, e).sort(byStart)[0];
    if (s) claim(e, s);
  }
  for (const e of open().sort(byStart)) {
    const s = candidates(looseKey, e).find((c) => (targetOf(c) === null) !== (targetOf(e) === null));
    if (s) claim(e, s);
  }
  return { pairs: expected.map((e) => [e, partner.get(e) ?? null]), unclaimed: stored.filter((s) => free.has(s)) };
}

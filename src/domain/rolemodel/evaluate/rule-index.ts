/**
 * Rules indexed by what they need, so that an owner is tested only against the rules that can
 * match it: 100,000 owners × 1,000 rules would otherwise be 10⁸ criteria tests.
 *
 * Each rule gets one anchor: its first dimension criterion (`D<n>=v`), else the role it requires,
 * else none (it may match anyone). A context with value x for dimension n looks up x and, for
 * hierarchical dimensions, x's ancestors (a rule on a parent value with L set matches x); held roles
 * look up their names. The candidates are then tested in full, so the index only has to never
 * miss a rule, and it keeps the rules' document order.
 */
import type { DimensionTree } from "./dimension-tree.js";
import type { DimensionCriterion } from "./model.js";

export type Anchor = { dimension: number; value: string } | { role: string } | null;

/** The usual anchor: the first criterion, else the required role. */
export function anchorOf(criteria: readonly DimensionCriterion[], requiredRole: string | undefined): Anchor {
  const first = criteria[0];
  if (first) return { dimension: first.dimension, value: first.value };
  return requiredRole === undefined ? null : { role: requiredRole };
}

export class RuleIndex<R> {
  readonly rules: readonly R[];
  readonly #byKey = new Map<string, number[]>();
  readonly #always: number[] = [];

  constructor(rules: readonly R[], anchor: (rule: R) => Anchor) {
    this.rules = rules;
    rules.forEach((rule, position) => {
      const a = anchor(rule);
      if (a === null) this.#always.push(position);
      else {
        const key = "role" in a ? roleKey(a.role) : dimensionKey(a.dimension, a.value);
        const list = this.#byKey.get(key);
        if (list) list.push(position);
        else this.#byKey.set(key, [position]);
      }
    });
  }

  get size(): number {
    return this.rules.length;
  }

  /** The rules that may match a context with these dimension values and an owner holding these roles, in document order. */
  candidates(dimensions: Readonly<Record<number, string>>, heldRoles: Iterable<string>, tree: DimensionTree): R[] {
    if (this.rules.length === 0) return [];
    const hits: number[][] = this.#always.length ? [this.#always] : [];
    const add = (key: string) => {
      const list = this.#byKey.get(key);
      if (list) hits.push(list);
    };
    for (const column in dimensions) {
      const n = Number(column);
      const value = dimensions[n]!;
      add(dimensionKey(n, value));
      for (const ancestor of tree.ancestors(n, value)) add(dimensionKey(n, ancestor));
    }
    for (const role of heldRoles) add(roleKey(role));
    // Most lookups hit one list, already in document order: no set, no sort.
    if (hits.length === 0) return [];
    if (hits.length === 1) return hits[0]!.map((p) => this.rules[p]!);
    const positions = hits.flat().sort((a, b) => a - b);
    const out: R[] = [];
    for (let i = 0; i < positions.length; i++) if (i === 0 || positions[i] !== positions[i - 1]) out.push(this.rules[positions[i]!]!);
    return out;
  }
}

function dimensionKey(column: number, value: string): string {
  return `d${column}\u0000${value}`;
}

function roleKey(role: string): string {
  return `r\u0000${role}`;
}

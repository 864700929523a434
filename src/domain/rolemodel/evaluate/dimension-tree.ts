/**
 * The trees of hierarchical dimensions: a rule on a parent value with `L<n>=true` matches every
 * descendant. Ancestors are walked once per value and remembered, since every owner of a
 * department asks the same question.
 */
import type { Dimension } from "./model.js";

const NONE: readonly string[] = [];

export class DimensionTree {
  readonly #parents = new Map<number, ReadonlyMap<string, string>>();
  readonly #ancestors = new Map<number, Map<string, readonly string[]>>();

  constructor(dimensions: readonly Dimension[]) {
    for (const d of dimensions) if (d.isHierarchical && d.parents) this.#parents.set(d.column, d.parents);
  }

  isHierarchical(column: number): boolean {
    return this.#parents.has(column);
  }

  /** The value's ancestors, nearest first, without the value itself. A cycle in the data stops the walk. */
  ancestors(column: number, value: string): readonly string[] {
    const parents = this.#parents.get(column);
    if (!parents) return NONE;
    let memo = this.#ancestors.get(column);
    if (!memo) this.#ancestors.set(column, (memo = new Map()));
    const known = memo.get(value);
    if (known) return known;
    const chain: string[] = [];
    const seen = new Set([value]);
    for (let parent = parents.get(value); parent !== undefined && !seen.has(parent); parent = parents.get(parent)) {
      chain.push(parent);
      seen.add(parent);
    }
    const result = chain.length ? chain : NONE;
    memo.set(value, result);
    return result;
  }

  /** `value` is `wanted`, or (hierarchically) one of its descendants. */
  matches(column: number, value: string, wanted: string, hierarchical: boolean): boolean {
    if (value === wanted) return true;
    return hierarchical && this.ancestors(column, value).includes(wanted);
  }
}

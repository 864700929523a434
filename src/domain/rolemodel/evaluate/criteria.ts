/**
 * Dimension criteria against a context: every `D<n>` of a rule must equal the context's value for
 * dimension n, or with `L<n>` be one of its ancestors. The fast test answers yes or no; the
 * explaining one says which dimension differed and how.
 */
import type { DimensionTree } from "./dimension-tree.js";
import type { DimensionCriterion } from "./model.js";

export interface CriterionMismatch {
  dimension: number;
  /** The context's value; null when the context has none for this dimension. */
  actual: string | null;
  wanted: string;
  hierarchical: boolean;
}

export function criteriaMatch(criteria: readonly DimensionCriterion[], dimensions: Readonly<Record<number, string>>, tree: DimensionTree): boolean {
  for (const c of criteria) {
    const actual = dimensions[c.dimension];
    if (actual === undefined || !tree.matches(c.dimension, actual, c.value, c.hierarchical)) return false;
  }
  return true;
}

export function criteriaMismatches(criteria: readonly DimensionCriterion[], dimensions: Readonly<Record<number, string>>, tree: DimensionTree): CriterionMismatch[] {
  const out: CriterionMismatch[] = [];
  for (const c of criteria) {
    const actual = dimensions[c.dimension];
    if (actual === undefined || !tree.matches(c.dimension, actual, c.value, c.hierarchical)) {
      out.push({ dimension: c.dimension, actual: actual ?? null, wanted: c.value, hierarchical: c.hierarchical });
    }
  }
  return out;
}

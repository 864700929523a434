/**
 * Dimension-indexed attribute names (reference model.md §0): the suffix of `D`, `L`, `B`, `R`, `P`
 * is the dimension's ColumnMapping in base32hex, `0`–`9`, `A`–`V`, then `10`…`3V` up to 127. The
 * loader uses these to turn a stored rule's attributes into criteria.
 */
import type { DimensionCriterion } from "./model.js";

export const MAX_DIMENSION = 127;

/** `10` → "A", `32` → "10". */
export function dimensionSuffix(column: number): string {
  if (!Number.isInteger(column) || column < 0 || column > MAX_DIMENSION) throw new RangeError(`a dimension column is 0 to ${MAX_DIMENSION}, not ${column}`);
  return column.toString(32).toUpperCase();
}

/** "A" → 10; undefined when the text is no dimension suffix (so `Description` is not read as `D` + "escription"). */
export function dimensionColumn(suffix: string): number | undefined {
  if (!/^[0-9A-V]{1,2}$/i.test(suffix)) return undefined;
  if (suffix.length === 2 && suffix[0] === "0") return undefined;
  const column = parseInt(suffix, 32);
  return column <= MAX_DIMENSION ? column : undefined;
}

/** The dimension-indexed attributes of one letter: `{ D0: "SALES", DA: "X" }` with "D" → [[0, "SALES"], [10, "X"]]. */
export function indexedAttributes(attributes: Readonly<Record<string, unknown>>, letter: string): Array<[number, unknown]> {
  const found: Array<[number, unknown]> = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (name[0] !== letter || value === undefined || value === null || value === "") continue;
    const column = dimensionColumn(name.slice(1));
    if (column !== undefined) found.push([column, value]);
  }
  return found.sort((a, b) => a[0] - b[0]);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === "true" || value === "1";
}

/** A rule's `D<n>` values with their `L<n>` flags, by ascending column. */
export function parseDimensionCriteria(attributes: Readonly<Record<string, unknown>>): DimensionCriterion[] {
  return indexedAttributes(attributes, "D").map(([dimension, value]) => ({
    dimension,
    value: String(value),
    hierarchical: isTrue(attributes[`L${dimensionSuffix(dimension)}`]),
  }));
}

/** A ContextRule's `B<n>` bindings. */
export function parseDimensionBindings(attributes: Readonly<Record<string, unknown>>): Array<{ dimension: number; binding: string }> {
  return indexedAttributes(attributes, "B").map(([dimension, binding]) => ({ dimension, binding: String(binding) }));
}

/**
 * Does the target already hold the policy value? ComparisonType of a ScalarRule (reference
 * model.md §C.6, ResourceType page): CaseSensitive, IgnoreCase, IgnoreDiacritics, Simplified
 * (no diacritics, no case, letters only), Approximate (Simplified plus the product's spelling
 * equivalences), Trim (CaseSensitive without leading and trailing white space).
 *
 * Values compare as text: a number or a boolean the target holds as a string is the same value.
 * Dates compare as ISO instants. A navigation property holds the keys of several resources: the
 * policy value is held when it is one of them.
 */
import type { ComparisonType, Value } from "./model.js";

export function textOf(value: Value): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function withoutDiacritics(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "");
}

function simplified(text: string): string {
  return withoutDiacritics(text).toUpperCase().replace(/\P{L}/gu, "");
}

/**
 * The product's Approximate: Z≡S, Y≡I, W≡V, K≡C, SS≡C; every H may be missing; a final T, D or S
 * may be missing; repeated letters count once.
 */
function approximate(text: string): string {
  let s = simplified(text).replace(/H/g, "").replace(/SS/g, "C");
  s = s.replace(/Z/g, "S").replace(/Y/g, "I").replace(/W/g, "V").replace(/K/g, "C");
  s = s.replace(/(.)\1+/gu, "$1");
  return s.replace(/[TDS]$/, "");
}

const NORMALIZE: Record<ComparisonType, (text: string) => string> = {
  CaseSensitive: (t) => t,
  IgnoreCase: (t) => t.toUpperCase(),
  IgnoreDiacritics: withoutDiacritics,
  Simplified: simplified,
  Approximate: approximate,
  Trim: (t) => t.trim(),
};

export function sameValue(a: Value, b: Value, comparison: ComparisonType = "CaseSensitive"): boolean {
  const normalize = NORMALIZE[comparison];
  return normalize(textOf(a)) === normalize(textOf(b));
}

/** The current value (one value, several, or none) holds the policy value. */
export function holds(current: Value | readonly Value[] | null | undefined, policy: Value, comparison: ComparisonType): boolean {
  if (current === null || current === undefined) return false;
  if (Array.isArray(current)) return current.some((v: Value) => sameValue(v, policy, comparison));
  return sameValue(current as Value, policy, comparison);
}

/**
 * The CEL environment of entity property expressions: the variable `resource` (a map from property
 * name to value; navigations are nested maps, or lists of maps for collections) and the helpers
 * integrators need for display names and logins, on top of CEL's standard library and the strings
 * extension (`indexOf`, `split`, `join`, `format`, the `trim` / `substring` / `replace` methods).
 *
 * Helpers, each a function and a method: lower, upper, trim, normalize (accents removed),
 * substring(start[, end]) and replace(old, new). Indexes count characters (code points).
 */
import { celEnv, celFunc, celMethod, CelScalar, mapType, type CelEnv, type CelFunc } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { RESOURCE_VARIABLE } from "./resource-variable.js";

export { RESOURCE_VARIABLE };

const S = CelScalar.STRING;
const I = CelScalar.INT;

/** NFD then the combining marks dropped: "Élodie Müller" → "Elodie Muller". */
export function removeAccents(text: string): string {
  // Most names are ASCII, which has no accent: NFD and the Unicode class cost ~8 µs a call.
  return ASCII.test(text) ? text : text.normalize("NFD").replace(/\p{M}/gu, "");
}

const ASCII = /^[\x00-\x7f]*$/;

/** Code point slice, as the strings extension counts; out-of-range indexes are an error, as there. */
function substringOf(text: string, start: bigint, end?: bigint): string {
  const chars = [...text];
  const from = Number(start);
  const to = end === undefined ? chars.length : Number(end);
  if (from < 0 || to > chars.length || from > to) throw new Error(`substring(${from}, ${to}) is out of range for a string of ${chars.length} characters`);
  return chars.slice(from, to).join("");
}

const replaceAll = (text: string, from: string, to: string): string => (from === "" ? text : text.split(from).join(to));

/** The one-string helpers, shared with the closures of cel-fast-path.ts so that both give the same results. */
export const STRING_HELPERS = {
  lower: (s: string) => s.toLowerCase(),
  upper: (s: string) => s.toUpperCase(),
  trim: (s: string) => s.trim(),
  normalize: removeAccents,
} as const satisfies Record<string, (s: string) => string>;

/** The helpers with a method form of ours (`s.lower()`); the strings extension gives `s.trim()`. */
export const STRING_METHODS = ["lower", "upper", "normalize"] as const satisfies readonly (keyof typeof STRING_HELPERS)[];

/** Global function forms (`lower(s)`) and the method forms the strings extension does not already give (`s.lower()`). */
const HELPERS: CelFunc[] = [
  ...Object.entries(STRING_HELPERS).map(([name, helper]) => celFunc(name, [S], S, (s) => helper(s))),
  celFunc("substring", [S, I], S, (s, start) => substringOf(s, start)),
  celFunc("substring", [S, I, I], S, (s, start, end) => substringOf(s, start, end)),
  celFunc("replace", [S, S, S], S, (s, from, to) => replaceAll(s, from, to)),
  ...STRING_METHODS.map((name) => celMethod(name, S, [], S, function () {
    return STRING_HELPERS[name](this);
  })),
];

let shared: CelEnv | undefined;

/** One environment for every expression: building it registers the standard library once. */
export function expressionEnvironment(): CelEnv {
  shared ??= celEnv({
    funcs: [...strings, ...HELPERS],
    variables: { [RESOURCE_VARIABLE]: mapType(CelScalar.STRING, CelScalar.DYN) },
  });
  return shared;
}

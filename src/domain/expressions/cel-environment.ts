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

/** Global function forms (`lower(s)`) and the method forms the strings extension does not already give (`s.lower()`). */
const HELPERS: CelFunc[] = [
  celFunc("lower", [S], S, (s) => s.toLowerCase()),
  celFunc("upper", [S], S, (s) => s.toUpperCase()),
  celFunc("trim", [S], S, (s) => s.trim()),
  celFunc("normalize", [S], S, (s) => removeAccents(s)),
  celFunc("substring", [S, I], S, (s, start) => substringOf(s, start)),
  celFunc("substring", [S, I, I], S, (s, start, end) => substringOf(s, start, end)),
  celFunc("replace", [S, S, S], S, (s, from, to) => replaceAll(s, from, to)),
  celMethod("lower", S, [], S, function () {
    return this.toLowerCase();
  }),
  celMethod("upper", S, [], S, function () {
    return this.toUpperCase();
  }),
  celMethod("normalize", S, [], S, function () {
    return removeAccents(this);
  }),
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

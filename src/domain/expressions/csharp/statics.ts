/**
 * The static types of the whitelist (model.md §0.2: String, Char, Int32, Convert, Math, Random,
 * Nullable, DateTime, System.Linq, System.Text.RegularExpressions, UtilExpressions) and their
 * members, and the types `new` may create. A type or member missing here is refused at compile time.
 */
import { construct, daysInMonth, fromFileTime, parseDateTime, parseExact } from "./datetime.js";
import { asList } from "./linq.js";
import { METHODS } from "./members.js";
import { parseDouble, parseInteger, roundHalfEven } from "./numbers.js";
import { cultureCompare, defaultCompare, equals, toText } from "./operators.js";
import { regex, replacement, type RegexOptionsSet } from "./regex.js";
import { charge, chargeLength, int, num, OutSlot, str, strOrNull, wrongArguments, type Argument, type Env } from "./runtime.js";
import { simplify, WHITE_SPACE } from "./text.js";
import {
  charString, CsChar, CsCulture, CsDateTime, CSharpException, CsGuid, CsMatch, CsRandom, CsTimeSpan, isNull, NULLS, type CSharpValue,
} from "./values.js";

export type StaticMethod = (env: Env, args: readonly Argument[]) => CSharpValue;
export interface StaticType {
  name: string;
  properties: ReadonlyMap<string, (env: Env) => CSharpValue>;
  methods: ReadonlyMap<string, StaticMethod>;
}

const INVARIANT = new CsCulture("InvariantCulture");

function setOut(env: Env, arg: Argument | undefined, value: CSharpValue, name: string, args: readonly Argument[]): void {
  if (!(arg instanceof OutSlot)) throw wrongArguments(name, args);
  env.locals[arg.slot] = value;
}

function character(a: Argument, name: string, args: readonly Argument[]): string {
  if (a instanceof CsChar) return charString(a);
  if (typeof a === "string" && args.length === 2) return a[int(args[1]!, name, args)] ?? "";
  throw wrongArguments(name, args);
}

const charTest = (name: string, test: RegExp): [string, StaticMethod] => [name, (_env, args) => test.test(character(args[0]!, name, args))];

/** string.Format's composite format: {index[,alignment][:format]}, {{ and }} escapes. */
export function compositeFormat(format: string, values: readonly CSharpValue[]): string {
  return format.replace(/\{\{|\}\}|\{(\d+)(?:,(-?\d+))?(?::([^}]*))?\}|[{}]/g, (all, index?: string, alignment?: string, spec?: string) => {
    if (all === "{{") return "{";
    if (all === "}}") return "}";
    if (index === undefined) throw new CSharpException("FormatException", "Input string was not in a correct format.");
    const i = Number(index);
    if (i >= values.length) throw new CSharpException("FormatException", "Index (zero based) must be greater than or equal to zero and less than the size of the argument list.");
    return align(toText(values[i]!, spec), alignment === undefined ? 0 : Number(alignment));
  });
}

export function align(text: string, alignment: number): string {
  if (Math.abs(alignment) > 10_000) throw new CSharpException("FormatException", "alignment too large");
  return alignment >= 0 ? text.padStart(alignment, " ") : text.padEnd(-alignment, " ");
}

function joined(env: Env, separator: string, args: readonly Argument[]): string {
  const values = args.length === 1 && Array.isArray(args[0]) ? (args[0] as CSharpValue[]) : (args as CSharpValue[]);
  charge(env, values.length);
  const parts = values.map((v) => toText(v));
  chargeLength(env, parts.reduce((n, p) => n + p.length + separator.length, 0));
  return parts.join(separator);
}

function regexOptions(a: Argument | undefined): RegexOptionsSet {
  const flags = typeof a === "bigint" ? a : 0n;
  return { ignoreCase: (flags & 1n) !== 0n, multiline: (flags & 2n) !== 0n, singleline: (flags & 16n) !== 0n };
}

/** Regex input: .NET throws on a null input. */
function input(a: Argument | undefined, name: string, args: readonly Argument[]): string {
  if (isNull(a as CSharpValue)) throw new CSharpException("ArgumentNullException", "Value cannot be null. (Parameter 'input')");
  return str(a!, name, args);
}

function toInteger(v: CSharpValue, bits: 32 | 64, name: string): bigint {
  if (isNull(v)) return 0n;
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    const r = roundHalfEven(v);
    const b = BigInt(Number.isFinite(r) ? r : 0);
    if (!Number.isFinite(r) || b !== BigInt.asIntN(bits, b)) throw new CSharpException("OverflowException", `Value was either too large or too small for an Int${bits}.`);
    return b;
  }
  if (typeof v === "string") return parseInteger(v, bits, "value");
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (v instanceof CsChar) return BigInt(v.code);
  throw new CSharpException("InvalidCastException", `Unable to cast object to Int${bits} (${name}).`);
}

const math1 = (name: string, f: (x: number) => number): [string, StaticMethod] => [name, (_env, args) => {
  if (args.length !== 1) throw wrongArguments(`Math.${name}`, args);
  return f(num(args[0]!, `Math.${name}`, args));
}];

function minMax(name: string, sign: 1 | -1): [string, StaticMethod] {
  return [name, (_env, args) => {
    if (args.length !== 2) throw wrongArguments(`Math.${name}`, args);
    const [a, b] = args as [CSharpValue, CSharpValue];
    if (typeof a === "bigint" && typeof b === "bigint") return defaultCompare(a, b) * sign >= 0 ? a : b;
    const x = num(a, name, args), y = num(b, name, args);
    if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
    return sign > 0 ? Math.max(x, y) : Math.min(x, y);
  }];
}

function randomGuid(): string {
  return crypto.randomUUID();
}

function tryParseDate(env: Env, args: readonly Argument[], parse: () => CsDateTime, name: string): boolean {
  try {
    setOut(env, args[args.length - 1], parse(), name, args);
    return true;
  } catch (error) {
    if (!(error instanceof CSharpException) || error.type !== "FormatException") throw error;
    setOut(env, args[args.length - 1], new CsDateTime(construct(1, 1, 1).ms, "Unspecified"), name, args);
    return false;
  }
}

/** UtilExpressions.BuildUsername as the vendor documents it: simplified first and last names, the iteration after the last name when > 0. */
function buildUsername(args: readonly Argument[]): CSharpValue {
  const [first, last, separator, suffix, iteration] = args.map((a) => (isNull(a as CSharpValue) ? null : a));
  if (first === null && last === null) return NULLS.String;
  const n = typeof iteration === "bigint" && iteration > 0n ? iteration.toString() : "";
  return `${simplify(toText(first as CSharpValue))}${toText(separator as CSharpValue)}${simplify(toText(last as CSharpValue))}${n}${toText(suffix as CSharpValue)}`;
}

/** BuildUsernameWithInitials: initials of each part of the first name (more letters of it as iteration grows), separator, last name, cut to maxLength. */
function buildUsernameWithInitials(args: readonly Argument[]): CSharpValue {
  const [first, last, separator, suffix, maxLength, iteration] = args.map((a) => (isNull(a as CSharpValue) ? null : a));
  if (first === null && last === null) return NULLS.String;
  const parts = toText(first as CSharpValue).split("-").map((p) => simplify(p)).filter((p) => p !== "");
  const i = typeof iteration === "bigint" ? Number(iteration) : 0;
  const extra = Math.min(i, Math.max(0, (parts[0]?.length ?? 1) - 1));
  const initials = parts.map((p, k) => (k === 0 ? p.slice(0, 1 + extra) : p.slice(0, 1))).join("");
  const number = i > extra ? String(i - extra) : "";
  let name = `${initials}${toText(separator as CSharpValue)}${simplify(toText(last as CSharpValue))}`;
  const max = typeof maxLength === "bigint" ? Number(maxLength) : Infinity;
  if (name.length + number.length > max) name = name.slice(0, Math.max(0, max - number.length));
  return `${name}${number}${toText(suffix as CSharpValue)}`;
}

function type(name: string, properties: [string, (env: Env) => CSharpValue][], methods: [string, StaticMethod][]): StaticType {
  return { name, properties: new Map(properties), methods: new Map(methods) };
}

const now = () => new CsDateTime(Date.now(), "Local");

const STRING = type("String", [["Empty", () => ""]], [
  ["IsNullOrEmpty", (_env, args) => isNull(args[0] as CSharpValue) || str(args[0]!, "string.IsNullOrEmpty", args) === ""],
  ["IsNullOrWhiteSpace", (_env, args) => isNull(args[0] as CSharpValue) || !/[^\s\x85]/.test(str(args[0]!, "string.IsNullOrWhiteSpace", args))],
  ["Join", (env, args) => joined(env, args[0] instanceof CsChar ? charString(args[0]) : (strOrNull(args[0]!, "string.Join", args) ?? ""), args.slice(1))],
  ["Concat", (env, args) => joined(env, "", args)],
  ["Format", (env, args) => {
    const rest = args[0] instanceof CsCulture ? args.slice(1) : args;
    const format = strOrNull(rest[0]!, "string.Format", args);
    if (format === null) throw new CSharpException("ArgumentNullException", "Value cannot be null. (Parameter 'format')");
    const values = rest.length === 2 && Array.isArray(rest[1]) ? (rest[1] as CSharpValue[]) : (rest.slice(1) as CSharpValue[]);
    chargeLength(env, format.length);
    return compositeFormat(format, values);
  }],
  ["Equals", (_env, args) => {
    const ignoreCase = typeof args[2] === "string" && args[2].endsWith("IgnoreCase");
    const [a, b] = args as [CSharpValue, CSharpValue];
    if (typeof a === "string" && typeof b === "string" && ignoreCase) return a.toUpperCase() === b.toUpperCase();
    return equals(a, b);
  }],
  ["Compare", (_env, args) => {
    const [a, b] = args as [CSharpValue, CSharpValue];
    if (isNull(a) || isNull(b)) return BigInt(isNull(a) ? (isNull(b) ? 0 : -1) : 1);
    const mode = args[2];
    const ignoreCase = mode === true || (typeof mode === "string" && mode.endsWith("IgnoreCase"));
    let x = str(a, "string.Compare", args), y = str(b, "string.Compare", args);
    if (ignoreCase) [x, y] = [x.toUpperCase(), y.toUpperCase()];
    if (typeof mode === "string" && mode.startsWith("Ordinal")) return BigInt(x < y ? -1 : x > y ? 1 : 0);
    return BigInt(Math.sign(cultureCompare(x, y)));
  }],
  ["CompareOrdinal", (_env, args) => {
    const x = str(args[0]!, "string.CompareOrdinal", args), y = str(args[1]!, "string.CompareOrdinal", args);
    return BigInt(x < y ? -1 : x > y ? 1 : 0);
  }],
]);

function integerType(name: string, bits: 32 | 64): StaticType {
  const max = 2n ** BigInt(bits - 1) - 1n;
  return type(name, [["MaxValue", () => max], ["MinValue", () => -max - 1n]], [
    ["Parse", (_env, args) => parseInteger(strOrNull(args[0]!, `${name}.Parse`, args), bits)],
    ["TryParse", (env, args) => {
      const text = args[0];
      let value = 0n, ok = false;
      if (typeof text === "string") {
        try {
          value = parseInteger(text, bits);
          ok = true;
        } catch {
          ok = false;
        }
      }
      setOut(env, args[args.length - 1], value, `${name}.TryParse`, args);
      return ok;
    }],
  ]);
}

const DOUBLE = type("Double", [["MaxValue", () => Number.MAX_VALUE], ["MinValue", () => -Number.MAX_VALUE], ["NaN", () => NaN], ["Epsilon", () => Number.MIN_VALUE]], [
  ["Parse", (_env, args) => parseDouble(strOrNull(args[0]!, "double.Parse", args))],
  ["TryParse", (env, args) => {
    let value = 0, ok = false;
    try {
      value = parseDouble(strOrNull(args[0]!, "double.TryParse", args));
      ok = true;
    } catch {
      ok = false;
    }
    setOut(env, args[args.length - 1], value, "double.TryParse", args);
    return ok;
  }],
  ["IsNaN", (_env, args) => Number.isNaN(num(args[0]!, "double.IsNaN", args))],
]);

const BOOLEAN = type("Boolean", [["TrueString", () => "True"], ["FalseString", () => "False"]], [
  ["Parse", (_env, args) => {
    const s = str(args[0]!, "bool.Parse", args).trim().toLowerCase();
    if (s !== "true" && s !== "false") throw new CSharpException("FormatException", `String '${String(args[0])}' was not recognized as a valid Boolean.`);
    return s === "true";
  }],
]);

const CHAR = type("Char", [], [
  charTest("IsLetter", /^\p{L}$/u),
  charTest("IsDigit", /^\p{Nd}$/u),
  charTest("IsNumber", /^\p{N}$/u),
  charTest("IsLetterOrDigit", /^[\p{L}\p{Nd}]$/u),
  charTest("IsUpper", /^\p{Lu}$/u),
  charTest("IsLower", /^\p{Ll}$/u),
  charTest("IsPunctuation", /^\p{P}$/u),
  charTest("IsSymbol", /^\p{S}$/u),
  charTest("IsControl", /^\p{Cc}$/u),
  ["IsWhiteSpace", (_env, args) => WHITE_SPACE.test(character(args[0]!, "char.IsWhiteSpace", args))],
  ...["ToUpper", "ToUpperInvariant", "ToLower", "ToLowerInvariant"].map((name): [string, StaticMethod] => [name, (_env, args) => {
    const c = character(args[0]!, `char.${name}`, args);
    const mapped = name.startsWith("ToUpper") ? c.toUpperCase() : c.toLowerCase();
    return new CsChar((mapped.length === 1 ? mapped : c).charCodeAt(0));
  }]),
]);

const CONVERT = type("Convert", [], [
  ["ToInt32", (_env, args) => toInteger(args[0] as CSharpValue, 32, "Convert.ToInt32")],
  ["ToInt64", (_env, args) => toInteger(args[0] as CSharpValue, 64, "Convert.ToInt64")],
  ["ToInt16", (_env, args) => BigInt.asIntN(16, toInteger(args[0] as CSharpValue, 32, "Convert.ToInt16"))],
  ["ToDouble", (_env, args) => {
    const v = args[0] as CSharpValue;
    if (isNull(v)) return 0;
    if (typeof v === "string") return parseDouble(v);
    if (typeof v === "boolean") return v ? 1 : 0;
    return num(v, "Convert.ToDouble", args);
  }],
  ["ToDecimal", (_env, args) => {
    const v = args[0] as CSharpValue;
    return isNull(v) ? 0 : typeof v === "string" ? parseDouble(v) : num(v, "Convert.ToDecimal", args);
  }],
  ["ToString", (_env, args) => {
    const v = args[0] as CSharpValue;
    if (typeof v === "bigint" && typeof args[1] === "bigint") {
      const base = Number(args[1]);
      if (![2, 8, 10, 16].includes(base)) throw new CSharpException("ArgumentException", "Invalid Base.");
      return BigInt.asUintN(base === 10 ? 64 : 32, v).toString(base);
    }
    return isNull(v) ? "" : toText(v, typeof args[1] === "string" ? args[1] : undefined);
  }],
  ["ToBoolean", (_env, args) => {
    const v = args[0] as CSharpValue;
    if (isNull(v)) return false;
    if (typeof v === "boolean") return v;
    if (typeof v === "bigint" || typeof v === "number") return Number(v) !== 0;
    const s = str(v, "Convert.ToBoolean", args).trim().toLowerCase();
    if (s !== "true" && s !== "false") throw new CSharpException("FormatException", `String '${String(v)}' was not recognized as a valid Boolean.`);
    return s === "true";
  }],
  ["ToDateTime", (_env, args) => {
    const v = args[0] as CSharpValue;
    if (isNull(v)) return construct(1, 1, 1);
    if (v instanceof CsDateTime) return v;
    return parseDateTime(str(v, "Convert.ToDateTime", args));
  }],
  ["ToChar", (_env, args) => {
    const v = args[0] as CSharpValue;
    if (v instanceof CsChar) return v;
    if (typeof v === "bigint") return new CsChar(Number(BigInt.asUintN(16, v)));
    const s = str(v, "Convert.ToChar", args);
    if (s.length !== 1) throw new CSharpException("FormatException", "String must be exactly one character long.");
    return new CsChar(s.charCodeAt(0));
  }],
  ["ToBase64String", (_env, args) => Buffer.from(str(args[0]!, "Convert.ToBase64String", args)).toString("base64")],
]);

const MATH = type("Math", [["PI", () => Math.PI], ["E", () => Math.E]], [
  ["Abs", (_env, args) => {
    const v = args[0] as CSharpValue;
    if (typeof v === "bigint") {
      if (v === -(2n ** 31n)) throw new CSharpException("OverflowException", "Negating the minimum value of a twos complement number is invalid.");
      return v < 0n ? -v : v;
    }
    return Math.abs(num(v, "Math.Abs", args));
  }],
  minMax("Max", 1),
  minMax("Min", -1),
  ["Round", (_env, args) => {
    const digits = args.length > 1 && typeof args[1] === "bigint" ? Number(args[1]) : 0;
    const mode = args.find((a) => a === "AwayFromZero");
    const x = num(args[0]!, "Math.Round", args);
    if (mode) {
      const f = 10 ** digits;
      return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
    }
    return roundHalfEven(x, digits);
  }],
  math1("Floor", Math.floor),
  math1("Ceiling", Math.ceil),
  math1("Truncate", Math.trunc),
  math1("Sqrt", Math.sqrt),
  math1("Log10", Math.log10),
  math1("Exp", Math.exp),
  ["Log", (_env, args) => (args.length > 1 ? Math.log(num(args[0]!, "Math.Log", args)) / Math.log(num(args[1]!, "Math.Log", args)) : Math.log(num(args[0]!, "Math.Log", args)))],
  ["Pow", (_env, args) => num(args[0]!, "Math.Pow", args) ** num(args[1]!, "Math.Pow", args)],
  ["Sign", (_env, args) => BigInt(Math.sign(num(args[0]!, "Math.Sign", args)))],
]);

const DATETIME = type("DateTime", [
  ["Now", now],
  ["UtcNow", () => new CsDateTime(Date.now(), "Utc")],
  ["Today", () => new CsDateTime(Math.floor(Date.now() / 86_400_000) * 86_400_000, "Local")],
  ["MinValue", () => construct(1, 1, 1)],
  ["MaxValue", () => new CsDateTime(construct(9999, 12, 31, 23, 59, 59, 999).ms, "Unspecified")],
], [
  ["Parse", (_env, args) => parseDateTime(input(args[0], "DateTime.Parse", args))],
  ["ParseExact", (_env, args) => {
    const text = input(args[0], "DateTime.ParseExact", args);
    const formats = args[1];
    if (Array.isArray(formats)) {
      for (const f of formats) {
        try {
          return parseExact(text, toText(f));
        } catch {
          // the next format
        }
      }
      throw new CSharpException("FormatException", `String '${text}' was not recognized as a valid DateTime.`);
    }
    return parseExact(text, str(formats!, "DateTime.ParseExact", args));
  }],
  ["TryParse", (env, args) => tryParseDate(env, args, () => parseDateTime(input(args[0], "DateTime.TryParse", args)), "DateTime.TryParse")],
  ["TryParseExact", (env, args) => tryParseDate(env, args, () => parseExact(input(args[0], "DateTime.TryParseExact", args), str(args[1]!, "DateTime.TryParseExact", args)), "DateTime.TryParseExact")],
  ["Compare", (_env, args) => BigInt(Math.sign(defaultCompare(args[0] as CSharpValue, args[1] as CSharpValue)))],
  ["DaysInMonth", (_env, args) => BigInt(daysInMonth(int(args[0]!, "DateTime.DaysInMonth", args), int(args[1]!, "DateTime.DaysInMonth", args)))],
  ["IsLeapYear", (_env, args) => daysInMonth(int(args[0]!, "DateTime.IsLeapYear", args), 2) === 29],
  ["SpecifyKind", (_env, args) => {
    const d = args[0];
    if (!(d instanceof CsDateTime) || typeof args[1] !== "string") throw wrongArguments("DateTime.SpecifyKind", args);
    return new CsDateTime(d.ms, args[1] as CsDateTime["kind"]);
  }],
  ["FromFileTimeUtc", (_env, args) => fromFileTime(args[0] as bigint)],
  ["FromFileTime", (_env, args) => fromFileTime(args[0] as bigint)],
]);

const span = (unit: number, name: string): [string, StaticMethod] => [name, (_env, args) => new CsTimeSpan(num(args[0]!, `TimeSpan.${name}`, args) * unit)];
const TIMESPAN = type("TimeSpan", [["Zero", () => new CsTimeSpan(0)]], [
  span(86_400_000, "FromDays"), span(3_600_000, "FromHours"), span(60_000, "FromMinutes"), span(1000, "FromSeconds"), span(1, "FromMilliseconds"),
]);

const GUID = type("Guid", [["Empty", () => new CsGuid("00000000-0000-0000-0000-000000000000")]], [
  ["NewGuid", () => new CsGuid(randomGuid())],
  ["Parse", (_env, args) => {
    const s = str(args[0]!, "Guid.Parse", args).trim().replace(/^[{(]|[})]$/g, "");
    const hex = s.replace(/-/g, "");
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new CSharpException("FormatException", "Unrecognized Guid format.");
    const h = hex.toLowerCase();
    return new CsGuid(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
  }],
]);

function matchOf(re: RegExp, text: string): CsMatch {
  const m = re.exec(text);
  return m ? new CsMatch(m[0], m.index, m) : new CsMatch(undefined, 0);
}

const REGEX = type("Regex", [], [
  ["IsMatch", (_env, args) => regex(str(args[1]!, "Regex.IsMatch", args), regexOptions(args[2])).test(input(args[0], "Regex.IsMatch", args))],
  ["Match", (_env, args) => matchOf(regex(str(args[1]!, "Regex.Match", args), regexOptions(args[2])), input(args[0], "Regex.Match", args))],
  ["Matches", (env, args) => {
    const text = input(args[0], "Regex.Matches", args);
    const re = regex(str(args[1]!, "Regex.Matches", args), regexOptions(args[2]), true);
    const out: CSharpValue[] = [];
    for (const m of text.matchAll(re)) {
      charge(env, 1);
      out.push(new CsMatch(m[0], m.index ?? 0, m as RegExpExecArray));
    }
    return out;
  }],
  ["Replace", (env, args) => {
    const text = input(args[0], "Regex.Replace", args);
    const result = text.replace(regex(str(args[1]!, "Regex.Replace", args), regexOptions(args[3]), true), replacement(str(args[2]!, "Regex.Replace", args)));
    chargeLength(env, result.length);
    return result;
  }],
  ["Split", (_env, args) => input(args[0], "Regex.Split", args).split(regex(str(args[1]!, "Regex.Split", args), regexOptions(args[2]), true))],
  ["Escape", (_env, args) => str(args[0]!, "Regex.Escape", args).replace(/[\\*+?|{[()^$.# \t\n\r\f]/g, (c) => ({ "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f" })[c] ?? `\\${c}`)],
]);

const ENUMERABLE = type("Enumerable", [], [
  ["Range", (env, args) => {
    const start = int(args[0]!, "Enumerable.Range", args), count = int(args[1]!, "Enumerable.Range", args);
    if (count < 0) throw new CSharpException("ArgumentOutOfRangeException", "Specified argument was out of the range of valid values. (Parameter 'count')");
    charge(env, count);
    return Array.from({ length: count }, (_, i) => BigInt(start + i));
  }],
  ["Repeat", (env, args) => {
    const count = int(args[1]!, "Enumerable.Repeat", args);
    if (count < 0) throw new CSharpException("ArgumentOutOfRangeException", "Specified argument was out of the range of valid values. (Parameter 'count')");
    charge(env, count);
    return Array.from({ length: count }, () => args[0] as CSharpValue);
  }],
]);

const enumeration = (name: string, members: [string, CSharpValue][]): StaticType => type(name, members.map(([m, v]) => [m, () => v]), []);

const UTIL = type("UtilExpressions", [], [
  ["BuildUsername", (_env, args) => buildUsername(args)],
  ["BuildUsernameWithInitials", (_env, args) => buildUsernameWithInitials(args)],
  // The predefined functions, also callable as UtilExpressions.Simplify(s).
  ...["Simplify", "RemoveDiacritics", "ToFirstName", "ToTitle", "ToFormatedDN", "Approximate", "ToSoundex", "ParseLocalDate", "ParseUniversalDate",
    "ParseLocalDateThenAddMinutes", "ParseUniversalDateThenAddMinutes", "FormatLocalDate", "ParseSince1601Date", "ToSince1601DateString"]
    .map((name): [string, StaticMethod] => [name, (env, args) => METHODS.get(name)!(env, args[0] as CSharpValue, args.slice(1))]),
]);

const CULTURE = type("CultureInfo", [["InvariantCulture", () => INVARIANT], ["CurrentCulture", () => INVARIANT]], []);

const RANDOM = type("Random", [["Shared", () => new CsRandom()]], []);

const integer32 = integerType("Int32", 32);
const integer64 = integerType("Int64", 64);

/** Every name a type is written with (C# keywords, short and qualified names). */
export const STATIC_TYPES: ReadonlyMap<string, StaticType> = new Map([
  ["string", STRING], ["String", STRING], ["System.String", STRING],
  ["int", integer32], ["Int32", integer32], ["System.Int32", integer32],
  ["long", integer64], ["Int64", integer64], ["System.Int64", integer64],
  ["double", DOUBLE], ["Double", DOUBLE], ["System.Double", DOUBLE], ["decimal", DOUBLE], ["Decimal", DOUBLE],
  ["bool", BOOLEAN], ["Boolean", BOOLEAN],
  ["char", CHAR], ["Char", CHAR], ["System.Char", CHAR],
  ["Convert", CONVERT], ["System.Convert", CONVERT],
  ["Math", MATH], ["System.Math", MATH],
  ["DateTime", DATETIME], ["System.DateTime", DATETIME],
  ["TimeSpan", TIMESPAN], ["System.TimeSpan", TIMESPAN],
  ["Guid", GUID], ["System.Guid", GUID],
  ["Regex", REGEX], ["System.Text.RegularExpressions.Regex", REGEX],
  ["RegexOptions", enumeration("RegexOptions", [["None", 0n], ["IgnoreCase", 1n], ["Multiline", 2n], ["Singleline", 16n], ["CultureInvariant", 512n]])],
  ["Enumerable", ENUMERABLE], ["System.Linq.Enumerable", ENUMERABLE],
  ["StringComparison", enumeration("StringComparison", ["Ordinal", "OrdinalIgnoreCase", "InvariantCulture", "InvariantCultureIgnoreCase", "CurrentCulture", "CurrentCultureIgnoreCase"].map((n) => [n, n]))],
  ["StringSplitOptions", enumeration("StringSplitOptions", ["None", "RemoveEmptyEntries", "TrimEntries"].map((n) => [n, n]))],
  ["DayOfWeek", enumeration("DayOfWeek", ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"].map((n) => [n, n]))],
  ["DateTimeKind", enumeration("DateTimeKind", ["Unspecified", "Utc", "Local"].map((n) => [n, n]))],
  ["MidpointRounding", enumeration("MidpointRounding", ["ToEven", "AwayFromZero"].map((n) => [n, n]))],
  ["CultureInfo", CULTURE], ["System.Globalization.CultureInfo", CULTURE],
  ["Random", RANDOM], ["System.Random", RANDOM],
  ["UtilExpressions", UTIL], ["Usercube.Expressions.Functions.UtilExpressions", UTIL],
]);

/** `new T(...)`: the constructors of the whitelist. */
export const CONSTRUCTORS: ReadonlyMap<string, (env: Env, args: readonly Argument[]) => CSharpValue> = new Map<string, (env: Env, args: readonly Argument[]) => CSharpValue>([
  ["DateTime", (_env, args) => {
    const n = args.map((a) => int(a, "new DateTime", args));
    if (n.length !== 3 && n.length !== 6 && n.length !== 7) throw wrongArguments("new DateTime", args);
    return construct(n[0]!, n[1]!, n[2]!, n[3], n[4], n[5], n[6]);
  }],
  ["TimeSpan", (_env, args) => {
    const n = args.map((a) => num(a, "new TimeSpan", args));
    if (n.length === 3) return new CsTimeSpan(((n[0]! * 60 + n[1]!) * 60 + n[2]!) * 1000);
    if (n.length === 4) return new CsTimeSpan((((n[0]! * 24 + n[1]!) * 60 + n[2]!) * 60 + n[3]!) * 1000);
    throw wrongArguments("new TimeSpan", args);
  }],
  ["Random", () => new CsRandom()],
  ["Guid", (_env, args) => GUID.methods.get("Parse")!(_env, args)],
  ["List", (_env, args) => (args.length === 1 && asList(args[0] as CSharpValue) ? [...asList(args[0] as CSharpValue)!] : [])],
  ["string", (env, args) => {
    const c = args[0];
    const count = int(args[1]!, "new string", args);
    if (!(c instanceof CsChar) || count < 0) throw wrongArguments("new string", args);
    chargeLength(env, count);
    return charString(c).repeat(count);
  }],
]);

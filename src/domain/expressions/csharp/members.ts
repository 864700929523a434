/**
 * The instance members the interpreter knows, by name: properties (`s.Length`, `d.Year`,
 * `n.HasValue`) and methods (`s.Substring(1)`, `d.AddDays(1)`, `list.Where(...)`, and the
 * product's predefined functions as extension methods, `s.Simplify()`). These tables are the
 * whitelist: a name that is not in them is refused at compile time, and a member is looked up
 * only in a Map, never on a JS object, so `constructor` or `__proto__` are unknown names.
 */
import {
  addMonths, addMs, datePart, dayOfWeek, fromFileTime, MIN_VALUE, parseExact, part, ticks, toFileTime, type DatePart,
} from "./datetime.js";
import { asList, LINQ } from "./linq.js";
import { cultureCompare, defaultCompare, equals, toText } from "./operators.js";
import { parseInteger } from "./numbers.js";
import {
  charge, chargeLength, int, num, str, strOrNull, wrongArguments, type Argument, type Env, type Method, type Property,
} from "./runtime.js";
import {
  approximate, lowerInvariant, removeDiacritics, simplify, split, substring, toFirstName, toFormatedDN, toSoundex, toTitle, trimEnd, trimStart, upperInvariant,
} from "./text.js";
import { utcToZone, zoneToUtc } from "./time-zones.js";
import {
  charString, CsChar, CsCulture, CsDateTime, CsRandom, CSharpException, CsMatch, CsTimeSpan, isNull, NULLS, nullReference, TypedNull, typeName, type CSharpValue,
} from "./values.js";

const noMember = (value: CSharpValue, name: string) =>
  new CSharpException("InvalidOperationException", `'${typeName(value)}' does not contain a definition for '${name}'`);

const asInt = (n: number): bigint => BigInt(n);

const DATE_PARTS: DatePart[] = ["Year", "Month", "Day", "Hour", "Minute", "Second", "Millisecond", "DayOfYear"];
const SPAN_PARTS: Record<string, (ms: number) => CSharpValue> = {
  Days: (ms) => asInt(Math.trunc(ms / 86_400_000)),
  Hours: (ms) => asInt(Math.trunc(ms / 3_600_000) % 24),
  Minutes: (ms) => asInt(Math.trunc(ms / 60_000) % 60),
  Seconds: (ms) => asInt(Math.trunc(ms / 1000) % 60),
  Milliseconds: (ms) => asInt(Math.trunc(ms) % 1000),
  TotalDays: (ms) => ms / 86_400_000,
  TotalHours: (ms) => ms / 3_600_000,
  TotalMinutes: (ms) => ms / 60_000,
  TotalSeconds: (ms) => ms / 1000,
  TotalMilliseconds: (ms) => ms,
};

export const PROPERTIES = new Map<string, Property>([
  ["Length", (_env, v) => {
    if (typeof v === "string") return asInt(v.length);
    if (Array.isArray(v)) return asInt(v.length);
    if (v instanceof CsMatch) return asInt(v.value?.length ?? 0);
    throw isNull(v) ? nullReference("Length") : noMember(v, "Length");
  }],
  ["Count", (_env, v) => {
    if (Array.isArray(v)) return asInt(v.length);
    throw isNull(v) ? nullReference("Count") : noMember(v, "Count");
  }],
  ["HasValue", (_env, v) => !isNull(v)],
  ["Value", (_env, v) => {
    if (v instanceof CsMatch) return v.value ?? "";
    if (isNull(v)) throw new CSharpException("InvalidOperationException", "Nullable object must have a value.");
    return v;
  }],
  ...DATE_PARTS.map((name): [string, Property] => [name, (_env, v) => {
    if (v instanceof CsDateTime) return asInt(part(v, name));
    throw isNull(v) ? nullReference(name) : noMember(v, name);
  }]),
  ["DayOfWeek", (_env, v) => {
    if (v instanceof CsDateTime) return dayOfWeek(v);
    throw isNull(v) ? nullReference("DayOfWeek") : noMember(v, "DayOfWeek");
  }],
  ["Date", (_env, v) => {
    if (v instanceof CsDateTime) return datePart(v);
    throw isNull(v) ? nullReference("Date") : noMember(v, "Date");
  }],
  ["TimeOfDay", (_env, v) => {
    if (v instanceof CsDateTime) return new CsTimeSpan(v.ms - datePart(v).ms);
    throw isNull(v) ? nullReference("TimeOfDay") : noMember(v, "TimeOfDay");
  }],
  ["Kind", (_env, v) => {
    if (v instanceof CsDateTime) return v.kind;
    throw isNull(v) ? nullReference("Kind") : noMember(v, "Kind");
  }],
  ["Ticks", (_env, v) => {
    if (v instanceof CsDateTime) return ticks(v);
    if (v instanceof CsTimeSpan) return BigInt(Math.round(v.ms)) * 10_000n;
    throw isNull(v) ? nullReference("Ticks") : noMember(v, "Ticks");
  }],
  ...Object.entries(SPAN_PARTS).map(([name, get]): [string, Property] => [name, (_env, v) => {
    if (v instanceof CsTimeSpan) return get(v.ms);
    throw isNull(v) ? nullReference(name) : noMember(v, name);
  }]),
  ["Success", (_env, v) => {
    if (v instanceof CsMatch) return v.value !== undefined;
    throw isNull(v) ? nullReference("Success") : noMember(v, "Success");
  }],
  ["Index", (_env, v) => {
    if (v instanceof CsMatch) return asInt(Math.max(0, v.index));
    throw isNull(v) ? nullReference("Index") : noMember(v, "Index");
  }],
  ["Groups", (_env, v) => {
    if (v instanceof CsMatch) {
      const exec = v.exec;
      if (!exec) return [new CsMatch(undefined, 0)];
      const groups: CSharpValue[] = Array.from(exec, (g) => new CsMatch(g ?? undefined, g === undefined ? 0 : exec.index));
      return groups;
    }
    throw isNull(v) ? nullReference("Groups") : noMember(v, "Groups");
  }],
]);

/** Receiver checks shared by the methods: null is a NullReferenceException, another type a missing overload. */
function text(v: CSharpValue, name: string): string {
  if (typeof v === "string") return v;
  throw isNull(v) ? nullReference(name) : noMember(v, name);
}

function date(v: CSharpValue, name: string): CsDateTime {
  if (v instanceof CsDateTime) return v;
  throw isNull(v) ? nullReference(name) : noMember(v, name);
}

function chars(args: readonly Argument[], name: string): string[] {
  return args.map((a) => {
    if (a instanceof CsChar) return charString(a);
    if (Array.isArray(a)) return a.map((c) => (c instanceof CsChar ? charString(c) : toText(c)));
    throw wrongArguments(name, args);
  }).flat();
}

/** StringComparison.X as the static member gives it. */
export const COMPARISONS = new Set(["Ordinal", "OrdinalIgnoreCase", "InvariantCulture", "InvariantCultureIgnoreCase", "CurrentCulture", "CurrentCultureIgnoreCase"]);

function comparison(args: readonly Argument[], index: number): { ignoreCase: boolean } {
  const c = args[index];
  if (c === undefined) return { ignoreCase: false };
  if (typeof c === "string" && COMPARISONS.has(c)) return { ignoreCase: c.endsWith("IgnoreCase") };
  if (typeof c === "boolean") return { ignoreCase: c };
  return { ignoreCase: false };
}

const fold = (s: string, ignoreCase: boolean) => (ignoreCase ? upperInvariant(s) : s);

function searchArgument(a: Argument, name: string, args: readonly Argument[]): string {
  if (a instanceof CsChar) return charString(a);
  if (isNull(a as CSharpValue)) throw new CSharpException("ArgumentNullException", `Value cannot be null. (Parameter 'value')`);
  return str(a, name, args);
}

function addTo(name: string, unit: number): Method {
  return (_env, v, args) => {
    const d = date(v, name);
    if (args.length !== 1) throw wrongArguments(name, args);
    return addMs(d, num(args[0]!, name, args) * unit);
  };
}

/** The product's date functions: `text.ParseLocalDate("Romance Standard Time", "dd/MM/yyyy")`, or the `zone|format` argument of the function form. */
function dateArguments(args: readonly Argument[], name: string, count: number): string[] {
  const texts = args.map((a) => toText(a as CSharpValue));
  const parts = texts.length === 1 && count > 1 ? texts[0]!.split("|") : texts;
  if (parts.length < count) throw wrongArguments(name, args);
  return parts;
}

function parseLocal(v: string, zone: string, format: string, minutes: number): CsDateTime {
  const local = parseExact(v, format);
  return new CsDateTime(zoneToUtc(zone, local.ms) + minutes * 60_000, "Utc");
}

/** `null.Simplify()`: the product's functions are extension methods; on null they give null. */
function extension(f: (s: string, args: readonly Argument[]) => CSharpValue): Method {
  return (_env, v, args) => {
    if (isNull(v)) return NULLS.String;
    if (typeof v !== "string") throw noMember(v, "a string function");
    return f(v, args);
  };
}

const FILETIME_NEVER = new Set(["0", "9223372036854775807"]);

const STRING_METHODS: [string, Method][] = [
  ["ToUpper", (_e, v) => upperInvariant(text(v, "ToUpper"))],
  ["ToUpperInvariant", (_e, v) => upperInvariant(text(v, "ToUpperInvariant"))],
  ["ToLower", (_e, v) => lowerInvariant(text(v, "ToLower"))],
  ["ToLowerInvariant", (_e, v) => lowerInvariant(text(v, "ToLowerInvariant"))],
  ["Trim", (_e, v, args) => trimEnd(trimStart(text(v, "Trim"), chars(args, "Trim")), chars(args, "Trim"))],
  ["TrimStart", (_e, v, args) => trimStart(text(v, "TrimStart"), chars(args, "TrimStart"))],
  ["TrimEnd", (_e, v, args) => trimEnd(text(v, "TrimEnd"), chars(args, "TrimEnd"))],
  ["Substring", (_e, v, args) => {
    const s = text(v, "Substring");
    if (args.length < 1 || args.length > 2) throw wrongArguments("Substring", args);
    return substring(s, int(args[0]!, "Substring", args), args.length > 1 ? int(args[1]!, "Substring", args) : undefined);
  }],
  ["IndexOf", (env, v, args) => {
    if (Array.isArray(v)) {
      charge(env, v.length);
      return asInt(v.findIndex((x) => equals(x, args[0] as CSharpValue)));
    }
    const s = text(v, "IndexOf");
    const ignoreCase = comparison(args, typeof args[1] === "string" ? 1 : 2).ignoreCase;
    const start = typeof args[1] === "bigint" ? Number(args[1]) : 0;
    if (start < 0 || start > s.length) throw new CSharpException("ArgumentOutOfRangeException", "Index was out of range. Must be non-negative and less than or equal to the size of the collection. (Parameter 'startIndex')");
    return asInt(fold(s, ignoreCase).indexOf(fold(searchArgument(args[0]!, "IndexOf", args), ignoreCase), start));
  }],
  ["LastIndexOf", (_e, v, args) => {
    const s = text(v, "LastIndexOf");
    const ignoreCase = comparison(args, 1).ignoreCase;
    return asInt(fold(s, ignoreCase).lastIndexOf(fold(searchArgument(args[0]!, "LastIndexOf", args), ignoreCase)));
  }],
  ["StartsWith", (_e, v, args) => {
    const { ignoreCase } = comparison(args, 1);
    return fold(text(v, "StartsWith"), ignoreCase).startsWith(fold(searchArgument(args[0]!, "StartsWith", args), ignoreCase));
  }],
  ["EndsWith", (_e, v, args) => {
    const { ignoreCase } = comparison(args, 1);
    return fold(text(v, "EndsWith"), ignoreCase).endsWith(fold(searchArgument(args[0]!, "EndsWith", args), ignoreCase));
  }],
  ["Replace", (env, v, args) => {
    const s = text(v, "Replace");
    if (args.length !== 2) throw wrongArguments("Replace", args);
    const from = searchArgument(args[0]!, "Replace", args);
    if (from === "") throw new CSharpException("ArgumentException", "String cannot be of zero length. (Parameter 'oldValue')");
    const to = args[1] instanceof CsChar ? charString(args[1]) : (strOrNull(args[1]!, "Replace", args) ?? "");
    const parts = s.split(from);
    chargeLength(env, s.length + (parts.length - 1) * to.length);
    return parts.join(to);
  }],
  ["Split", (_e, v, args) => {
    const s = text(v, "Split");
    const separators: string[] = [];
    let removeEmpty = false, trimEntries = false;
    let count: number | undefined;
    for (const a of args) {
      if (typeof a === "bigint") {
        count = Number(a);
        if (count < 0) throw new CSharpException("ArgumentOutOfRangeException", "Count cannot be less than zero. (Parameter 'count')");
        continue;
      }
      if (typeof a === "string" && (a === "RemoveEmptyEntries" || a === "TrimEntries" || a === "None")) {
        removeEmpty ||= a === "RemoveEmptyEntries";
        trimEntries ||= a === "TrimEntries";
      } else if (a instanceof CsChar) separators.push(charString(a));
      else if (typeof a === "string") separators.push(a);
      else if (Array.isArray(a)) separators.push(...a.map((c) => (c instanceof CsChar ? charString(c) : toText(c))));
      else if (!isNull(a as CSharpValue)) throw wrongArguments("Split", args);
    }
    const parts = split(s, separators, removeEmpty, trimEntries);
    if (count === undefined || parts.length <= count) return parts;
    if (count === 0) return [];
    // The last part keeps the rest of the text, separators included (exact for one separator).
    const separator = separators[0] ?? " ";
    return [...parts.slice(0, count - 1), parts.slice(count - 1).join(separator)];
  }],
  ["PadLeft", (env, v, args) => pad(env, text(v, "PadLeft"), args, "PadLeft")],
  ["PadRight", (env, v, args) => pad(env, text(v, "PadRight"), args, "PadRight")],
  ["Insert", (_e, v, args) => {
    const s = text(v, "Insert");
    const at = int(args[0]!, "Insert", args);
    if (at < 0 || at > s.length) throw new CSharpException("ArgumentOutOfRangeException", "Index was out of range. (Parameter 'startIndex')");
    return s.slice(0, at) + str(args[1]!, "Insert", args) + s.slice(at);
  }],
  ["Remove", (_e, v, args) => {
    const s = text(v, "Remove");
    const at = int(args[0]!, "Remove", args);
    const count = args.length > 1 ? int(args[1]!, "Remove", args) : s.length - at;
    if (at < 0 || count < 0 || at + count > s.length) throw new CSharpException("ArgumentOutOfRangeException", "Index and count must refer to a location within the string. (Parameter 'count')");
    return s.slice(0, at) + s.slice(at + count);
  }],
  ["ToCharArray", (_e, v) => asList(text(v, "ToCharArray"))!],
  ["Normalize", (_e, v) => text(v, "Normalize").normalize("NFC")],
  ["Simplify", extension((s) => simplify(s))],
  ["RemoveDiacritics", extension((s) => removeDiacritics(s))],
  ["ToFirstName", extension((s) => toFirstName(s))],
  ["ToTitle", extension((s) => toTitle(s))],
  ["ToFormatedDN", extension((s) => toFormatedDN(s))],
  ["Approximate", extension((s) => approximate(s))],
  ["ToSoundex", extension((s) => toSoundex(s))],
  ["ParseLocalDate", extension((s, args) => {
    const [zone, format] = dateArguments(args, "ParseLocalDate", 2);
    return parseLocal(s, zone!, format!, 0);
  })],
  ["ParseLocalDateThenAddMinutes", extension((s, args) => {
    const [zone, format, minutes] = dateArguments(args, "ParseLocalDateThenAddMinutes", 3);
    return parseLocal(s, zone!, format!, Number(minutes));
  })],
  ["ParseUniversalDate", extension((s, args) => {
    const [format] = dateArguments(args, "ParseUniversalDate", 1);
    return new CsDateTime(parseExact(s, format!).ms, "Utc");
  })],
  ["ParseUniversalDateThenAddMinutes", extension((s, args) => {
    const parts = dateArguments(args, "ParseUniversalDateThenAddMinutes", 2);
    const [format, minutes] = parts.length >= 3 ? parts.slice(1) : parts;
    return new CsDateTime(parseExact(s, format!).ms + Number(minutes) * 60_000, "Utc");
  })],
  ["FormatLocalDate", extension((s, args) => {
    const [zone, format] = dateArguments(args, "FormatLocalDate", 2);
    return new CsDateTime(utcToZone(zone!, parseExact(s, format!).ms), "Local");
  })],
  ["ParseSince1601Date", extension((s) => {
    const trimmed = s.trim();
    if (FILETIME_NEVER.has(trimmed)) return NULLS.DateTime;
    return fromFileTime(parseInteger(trimmed, 64));
  })],
];

function pad(env: Env, s: string, args: readonly Argument[], name: string): string {
  const width = int(args[0]!, name, args);
  if (width < 0) throw new CSharpException("ArgumentOutOfRangeException", "Non-negative number required. (Parameter 'totalWidth')");
  const fill = args[1] === undefined ? " " : args[1] instanceof CsChar ? charString(args[1]) : (() => { throw wrongArguments(name, args); })();
  chargeLength(env, width);
  return name === "PadLeft" ? s.padStart(width, fill) : s.padEnd(width, fill);
}

const DATE_METHODS: [string, Method][] = [
  ["AddDays", addTo("AddDays", 86_400_000)],
  ["AddHours", addTo("AddHours", 3_600_000)],
  ["AddMinutes", addTo("AddMinutes", 60_000)],
  ["AddSeconds", addTo("AddSeconds", 1000)],
  ["AddMilliseconds", addTo("AddMilliseconds", 1)],
  ["AddTicks", (_e, v, args) => addMs(date(v, "AddTicks"), num(args[0]!, "AddTicks", args) / 10_000)],
  ["AddMonths", (_e, v, args) => addMonths(date(v, "AddMonths"), int(args[0]!, "AddMonths", args))],
  ["AddYears", (_e, v, args) => addMonths(date(v, "AddYears"), int(args[0]!, "AddYears", args) * 12)],
  ["Add", (_e, v, args) => {
    const span = args[0];
    if (!(span instanceof CsTimeSpan)) throw wrongArguments("Add", args);
    if (v instanceof CsTimeSpan) return new CsTimeSpan(v.ms + span.ms);
    return addMs(date(v, "Add"), span.ms);
  }],
  ["Subtract", (_e, v, args) => {
    const other = args[0];
    if (v instanceof CsTimeSpan && other instanceof CsTimeSpan) return new CsTimeSpan(v.ms - other.ms);
    const d = date(v, "Subtract");
    if (other instanceof CsDateTime) return new CsTimeSpan(d.ms - other.ms);
    if (other instanceof CsTimeSpan) return addMs(d, -other.ms);
    throw wrongArguments("Subtract", args);
  }],
  // The local time zone is UTC: only the Kind changes.
  ["ToUniversalTime", (_e, v) => new CsDateTime(date(v, "ToUniversalTime").ms, "Utc")],
  ["ToLocalTime", (_e, v) => new CsDateTime(date(v, "ToLocalTime").ms, "Local")],
  ["ToShortDateString", (_e, v) => toText(date(v, "ToShortDateString"), "d")],
  ["ToShortTimeString", (_e, v) => toText(date(v, "ToShortTimeString"), "t")],
  ["ToLongDateString", (_e, v) => toText(date(v, "ToLongDateString"), "D")],
  ["ToLongTimeString", (_e, v) => toText(date(v, "ToLongTimeString"), "T")],
  ["ToFileTimeUtc", (_e, v) => toFileTime(date(v, "ToFileTimeUtc"))],
  ["ToFileTime", (_e, v) => toFileTime(date(v, "ToFileTime"))],
  ["ToSince1601DateString", (_e, v) => (isNull(v) ? NULLS.String : toFileTime(date(v, "ToSince1601DateString")).toString())],
];

/** default(T) of a typed null, for GetValueOrDefault(). */
function defaultValue(v: TypedNull | null): CSharpValue {
  switch (v?.type) {
    case "DateTime": return MIN_VALUE;
    case "Int": return 0n;
    case "Double": return 0;
    case "Bool": return false;
    default: return null;
  }
}

const GENERAL_METHODS: [string, Method][] = [
  ["ToString", (_e, v, args) => {
    if (v instanceof TypedNull && v.type !== "String" && v.type !== "Object") return "";
    if (isNull(v)) throw nullReference("ToString");
    const format = args[0] instanceof CsCulture ? undefined : args[0];
    if (format !== undefined && typeof format !== "string" && !isNull(format as CSharpValue)) throw wrongArguments("ToString", args);
    return toText(v, typeof format === "string" ? format : undefined);
  }],
  ["GetValueOrDefault", (_e, v, args) => (isNull(v) ? (args.length > 0 ? (args[0] as CSharpValue) : defaultValue(v)) : v)],
  ["Equals", (_e, v, args) => {
    if (isNull(v)) throw nullReference("Equals");
    if (typeof v === "string" && typeof args[0] === "string" && args.length > 1) {
      const { ignoreCase } = comparison(args, 1);
      return fold(v, ignoreCase) === fold(args[0], ignoreCase);
    }
    return equals(v, args[0] as CSharpValue);
  }],
  ["CompareTo", (_e, v, args) => {
    if (isNull(v)) throw nullReference("CompareTo");
    const other = args[0] as CSharpValue;
    if (typeof v === "string") return asInt(isNull(other) ? 1 : Math.sign(cultureCompare(v, text(other, "CompareTo"))));
    return asInt(Math.sign(defaultCompare(v, other)));
  }],
  ["Contains", (env, v, args) => {
    if (typeof v === "string") {
      const { ignoreCase } = comparison(args, 1);
      return fold(v, ignoreCase).includes(fold(searchArgument(args[0]!, "Contains", args), ignoreCase));
    }
    const list = Array.isArray(v) ? v : undefined;
    if (!list) throw isNull(v) ? nullReference("Contains") : noMember(v, "Contains");
    return LINQ.get("Contains")!(env, list, args);
  }],
];

function random(v: CSharpValue, name: string): CsRandom {
  if (v instanceof CsRandom) return v;
  throw isNull(v) ? nullReference(name) : noMember(v, name);
}

const RANDOM_METHODS: [string, Method][] = [
  ["Next", (_e, v, args) => {
    random(v, "Next");
    const [min, max] = args.length === 2 ? [int(args[0]!, "Next", args), int(args[1]!, "Next", args)] : [0, args.length === 1 ? int(args[0]!, "Next", args) : 2 ** 31 - 1];
    if (min > max || max < 0) throw new CSharpException("ArgumentOutOfRangeException", "'minValue' cannot be greater than maxValue. (Parameter 'minValue')");
    return BigInt(min + Math.floor(Math.random() * (max - min)));
  }],
  ["NextDouble", (_e, v) => {
    random(v, "NextDouble");
    return Math.random();
  }],
];

export const METHODS = new Map<string, Method>([...STRING_METHODS, ...DATE_METHODS, ...GENERAL_METHODS, ...RANDOM_METHODS]);

/** LINQ methods on a collection (or a string, as its chars); a string's own method of the same name wins. */
for (const [name, impl] of LINQ) {
  const own = METHODS.get(name);
  METHODS.set(name, (env, v, args) => {
    if (own && !Array.isArray(v)) return own(env, v, args);
    if (isNull(v)) throw new CSharpException("ArgumentNullException", "Value cannot be null. (Parameter 'source')");
    const list = asList(v);
    if (!list) throw noMember(v, name);
    return impl(env, list, args);
  });
}

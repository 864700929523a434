/**
 * The LINQ methods of the product's whitelist over collections (arrays; a string is its chars).
 * Evaluated eagerly: without side effects in the subset, only the point where an exception shows
 * differs from deferred execution. Each element visited costs a step.
 */
import { defaultCompare, equals, toText, truthy } from "./operators.js";
import { charge, int, lambda, wrongArguments, type Argument, type Env, type Lambda } from "./runtime.js";
import { MIN_VALUE } from "./datetime.js";
import { CsChar, CsDateTime, CsGuid, CSharpException, CsTimeSpan, isNull, type CSharpValue } from "./values.js";

type List = readonly CSharpValue[];

const noElements = () => new CSharpException("InvalidOperationException", "Sequence contains no elements");
const noMatch = () => new CSharpException("InvalidOperationException", "Sequence contains no matching element");

export function asList(value: CSharpValue): List | undefined {
  if (Array.isArray(value)) return value as List;
  if (typeof value === "string") return Array.from({ length: value.length }, (_, i) => new CsChar(value.charCodeAt(i)));
  return undefined;
}

/** default(T) guessed from the elements: 0 for numbers, false, DateTime.MinValue, else null. */
function defaultOf(list: List): CSharpValue {
  const sample = list.find((v) => !isNull(v));
  if (typeof sample === "bigint") return 0n;
  if (typeof sample === "number") return 0;
  if (typeof sample === "boolean") return false;
  if (sample instanceof CsDateTime) return MIN_VALUE;
  if (sample instanceof CsChar) return new CsChar(0);
  return null;
}

function filter(env: Env, list: List, predicate: Lambda | undefined, name: string): List {
  if (!predicate) return list;
  charge(env, list.length);
  return list.filter((item, i) => truthy(predicate(env, [item, BigInt(i)]), `the ${name} predicate`));
}

/** The sort keys of an ordered sequence, for ThenBy. */
const ORDERINGS = new WeakMap<List, { source: List; keys: { key: Lambda; descending: boolean }[] }>();

function ordered(env: Env, source: List, keys: { key: Lambda; descending: boolean }[]): List {
  charge(env, source.length * keys.length * 2);
  const keyed = source.map((item) => ({ item, values: keys.map((k) => k.key(env, [item])) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = defaultCompare(a.values[i]!, b.values[i]!);
      if (c !== 0) return keys[i]!.descending ? -c : c;
    }
    return 0;
  });
  const result = keyed.map((k) => k.item);
  ORDERINGS.set(result, { source, keys });
  return result;
}

function sum(values: List): CSharpValue {
  let total: bigint | number = 0n;
  for (const v of values) {
    if (isNull(v)) continue;
    if (typeof v === "bigint" && typeof total === "bigint") total += v;
    else if (typeof v === "bigint" || typeof v === "number") total = Number(total) + Number(v);
    else throw new CSharpException("InvalidOperationException", `Sum cannot add ${toText(v)}`);
  }
  if (typeof total === "bigint" && total !== BigInt.asIntN(64, total)) throw new CSharpException("OverflowException", "Arithmetic operation resulted in an overflow.");
  return total;
}

/** Min/Max: an empty sequence throws (.NET gives null for one of strings or Nullable: a gap); nulls are skipped. */
function extreme(values: List, sign: 1 | -1): CSharpValue {
  if (values.length === 0) throw noElements();
  let best: CSharpValue = null;
  for (const v of values) if (!isNull(v) && (best === null || defaultCompare(v, best) * sign > 0)) best = v;
  return best;
}

function selected(env: Env, list: List, args: readonly Argument[], name: string): List {
  if (args.length === 0) return list;
  const f = lambda(args[0], name, args);
  charge(env, list.length);
  return list.map((item, i) => f(env, [item, BigInt(i)]));
}

/** A key equal for values C#'s default equality finds equal (1 and 1.0, two DateTimes of one instant); entities and lists by identity. */
function equalityKey(v: CSharpValue): unknown {
  if (isNull(v)) return "null";
  switch (typeof v) {
    case "string": return `s:${v}`;
    case "bigint": return `n:${Number(v)}`;
    case "number": return `n:${v}`;
    case "boolean": return `b:${v}`;
  }
  if (v instanceof CsChar) return `n:${v.code}`;
  if (v instanceof CsDateTime) return `d:${v.ms}`;
  if (v instanceof CsTimeSpan) return `t:${v.ms}`;
  if (v instanceof CsGuid) return `g:${v.text}`;
  return v;
}

/** Linear: a collection navigation can hold many thousands of resources. */
function distinct(list: List): List {
  const seen = new Set<unknown>();
  const out: CSharpValue[] = [];
  for (const v of list) {
    const key = equalityKey(v);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  return out;
}

const first = (env: Env, list: List, args: readonly Argument[], name: string, orDefault: boolean, last: boolean): CSharpValue => {
  const matching = filter(env, list, args[0] === undefined ? undefined : lambda(args[0], name, args), name);
  if (matching.length === 0) {
    if (orDefault) return args.length > 1 ? (args[1] as CSharpValue) : defaultOf(list);
    throw args.length > 0 ? noMatch() : noElements();
  }
  return last ? matching[matching.length - 1]! : matching[0]!;
};

const single = (env: Env, list: List, args: readonly Argument[], name: string, orDefault: boolean): CSharpValue => {
  const matching = filter(env, list, args[0] === undefined ? undefined : lambda(args[0], name, args), name);
  if (matching.length > 1) throw new CSharpException("InvalidOperationException", `Sequence contains more than one ${args.length > 0 ? "matching " : ""}element`);
  if (matching.length === 0) {
    if (orDefault) return defaultOf(list);
    throw args.length > 0 ? noMatch() : noElements();
  }
  return matching[0]!;
};

const count = (n: number): bigint => BigInt(n);

/** Name → implementation over the list `self`. */
export const LINQ: ReadonlyMap<string, (env: Env, self: List, args: readonly Argument[]) => CSharpValue> = new Map<string, (env: Env, self: List, args: readonly Argument[]) => CSharpValue>([
  ["Where", (env, self, args) => filter(env, self, lambda(args[0], "Where", args), "Where")],
  ["Select", (env, self, args) => selected(env, self, args, "Select")],
  ["SelectMany", (env, self, args) => selected(env, self, args, "SelectMany").flatMap((v) => (Array.isArray(v) ? (v as List) : [v]))],
  ["Any", (env, self, args) => (args.length === 0 ? self.length > 0 : filter(env, self, lambda(args[0], "Any", args), "Any").length > 0)],
  ["All", (env, self, args) => {
    const predicate = lambda(args[0], "All", args);
    charge(env, self.length);
    return self.every((item) => truthy(predicate(env, [item]), "the All predicate"));
  }],
  ["Count", (env, self, args) => count(args.length === 0 ? self.length : filter(env, self, lambda(args[0], "Count", args), "Count").length)],
  ["LongCount", (env, self, args) => count(args.length === 0 ? self.length : filter(env, self, lambda(args[0], "LongCount", args), "LongCount").length)],
  ["First", (env, self, args) => first(env, self, args, "First", false, false)],
  ["FirstOrDefault", (env, self, args) => first(env, self, args, "FirstOrDefault", true, false)],
  ["Last", (env, self, args) => first(env, self, args, "Last", false, true)],
  ["LastOrDefault", (env, self, args) => first(env, self, args, "LastOrDefault", true, true)],
  ["Single", (env, self, args) => single(env, self, args, "Single", false)],
  ["SingleOrDefault", (env, self, args) => single(env, self, args, "SingleOrDefault", true)],
  ["ElementAt", (_env, self, args) => {
    const i = int(args[0]!, "ElementAt", args);
    if (i < 0 || i >= self.length) throw new CSharpException("ArgumentOutOfRangeException", "Index was out of range. Must be non-negative and less than the size of the collection. (Parameter 'index')");
    return self[i]!;
  }],
  ["ElementAtOrDefault", (_env, self, args) => {
    const i = int(args[0]!, "ElementAtOrDefault", args);
    return i < 0 || i >= self.length ? defaultOf(self) : self[i]!;
  }],
  ["OrderBy", (env, self, args) => ordered(env, self, [{ key: lambda(args[0], "OrderBy", args), descending: false }])],
  ["OrderByDescending", (env, self, args) => ordered(env, self, [{ key: lambda(args[0], "OrderByDescending", args), descending: true }])],
  ["ThenBy", (env, self, args) => thenBy(env, self, args, false)],
  ["ThenByDescending", (env, self, args) => thenBy(env, self, args, true)],
  ["Distinct", (env, self) => {
    charge(env, self.length);
    return distinct(self);
  }],
  ["Reverse", (_env, self) => [...self].reverse()],
  ["ToList", (_env, self) => [...self]],
  ["ToArray", (_env, self) => [...self]],
  ["ToHashSet", (env, self) => {
    charge(env, self.length);
    return distinct(self);
  }],
  ["AsEnumerable", (_env, self) => self],
  ["Skip", (_env, self, args) => self.slice(Math.max(0, int(args[0]!, "Skip", args)))],
  ["Take", (_env, self, args) => self.slice(0, Math.max(0, int(args[0]!, "Take", args)))],
  ["SkipLast", (_env, self, args) => self.slice(0, Math.max(0, self.length - Math.max(0, int(args[0]!, "SkipLast", args))))],
  ["TakeLast", (_env, self, args) => self.slice(Math.max(0, self.length - Math.max(0, int(args[0]!, "TakeLast", args))))],
  ["Contains", (env, self, args) => {
    if (args.length !== 1 || typeof args[0] === "function") throw wrongArguments("Contains", args);
    charge(env, self.length);
    return self.some((v) => equals(v, args[0] as CSharpValue) || v === args[0]);
  }],
  ["Sum", (env, self, args) => sum(selected(env, self, args, "Sum"))],
  ["Min", (env, self, args) => extreme(selected(env, self, args, "Min"), -1)],
  ["Max", (env, self, args) => extreme(selected(env, self, args, "Max"), 1)],
  ["Average", (env, self, args) => {
    const values = selected(env, self, args, "Average").filter((v) => !isNull(v));
    if (values.length === 0) throw noElements();
    return Number(sum(values)) / values.length;
  }],
  ["Concat", (_env, self, args) => {
    const other = Array.isArray(args[0]) ? (args[0] as List) : undefined;
    if (!other) throw wrongArguments("Concat", args);
    return [...self, ...other];
  }],
]);

function thenBy(env: Env, self: List, args: readonly Argument[], descending: boolean): List {
  const ordering = ORDERINGS.get(self);
  if (!ordering) throw new CSharpException("InvalidOperationException", "ThenBy follows OrderBy or OrderByDescending");
  return ordered(env, ordering.source, [...ordering.keys, { key: lambda(args[0], "ThenBy", args), descending }]);
}

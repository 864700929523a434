/**
 * C#'s operators and conversions over the interpreter's values: lifted nullable arithmetic and
 * comparisons (a null operand gives null, or false for < > <= >=), string concatenation with null
 * as "", integer arithmetic that truncates and wraps, ordinal string equality.
 */
import { formatDateTime, formatTimeSpan } from "./datetime.js";
import { formatNumber } from "./numbers.js";
import {
  charString, CsChar, CsDateTime, CsGuid, CsMatch, CSharpException, CsTimeSpan, formatDouble, isNull, NULLS, TypedNull, typeName, wrapInt,
  type CSharpValue,
} from "./values.js";

const invalidOperands = (op: string, a: CSharpValue, b: CSharpValue): CSharpException =>
  new CSharpException("InvalidOperationException", `Operator '${op}' cannot be applied to operands of type '${typeName(a)}' and '${typeName(b)}'`);

/** Object.ToString() of each value; null is "" (as in concatenation and interpolation). */
export function toText(value: CSharpValue, format?: string): string {
  if (isNull(value)) return "";
  switch (typeof value) {
    case "string": return value;
    case "bigint": return format ? formatNumber(value, format) : value.toString();
    case "number": return format ? formatNumber(value, format) : formatDouble(value);
    case "boolean": return value ? "True" : "False";
  }
  if (value instanceof CsChar) return charString(value);
  if (value instanceof CsDateTime) return formatDateTime(value, format);
  if (value instanceof CsTimeSpan) return formatTimeSpan(value);
  if (value instanceof CsGuid) return value.text;
  if (value instanceof CsMatch) return value.value ?? "";
  if (value instanceof Map) return "Usercube.Resource";
  if (Array.isArray(value)) return "System.Collections.Generic.List`1[System.Object]";
  return "";
}

const isStringLike = (v: CSharpValue): boolean => typeof v === "string" || (v instanceof TypedNull && v.type === "String");
const numeric = (v: CSharpValue): v is bigint | number => typeof v === "bigint" || typeof v === "number";
/** A char promotes to int in arithmetic and comparisons. */
const promote = (v: CSharpValue): CSharpValue => (v instanceof CsChar ? BigInt(v.code) : v);

export function add(a: CSharpValue, b: CSharpValue): CSharpValue {
  if (isStringLike(a) || isStringLike(b)) return toText(a) + toText(b);
  if (isNull(a) || isNull(b)) return nullOfEither(a, b);
  if (a instanceof CsDateTime && b instanceof CsTimeSpan) return dateTimeOf(a.ms + b.ms, a);
  if (a instanceof CsTimeSpan && b instanceof CsTimeSpan) return new CsTimeSpan(a.ms + b.ms);
  return arithmetic("+", a, b);
}

export function subtract(a: CSharpValue, b: CSharpValue): CSharpValue {
  if (isNull(a) || isNull(b)) return nullOfEither(a, b);
  if (a instanceof CsDateTime && b instanceof CsDateTime) return new CsTimeSpan(a.ms - b.ms);
  if (a instanceof CsDateTime && b instanceof CsTimeSpan) return dateTimeOf(a.ms - b.ms, a);
  if (a instanceof CsTimeSpan && b instanceof CsTimeSpan) return new CsTimeSpan(a.ms - b.ms);
  return arithmetic("-", a, b);
}

function dateTimeOf(ms: number, like: CsDateTime): CsDateTime {
  if (ms < -62_135_596_800_000 || ms > 253_402_300_799_999) throw new CSharpException("ArgumentOutOfRangeException", "The added or subtracted value results in an un-representable DateTime.");
  return new CsDateTime(ms, like.kind);
}

function nullOfEither(a: CSharpValue, b: CSharpValue): CSharpValue {
  if (a instanceof TypedNull) return a;
  if (b instanceof TypedNull) return b;
  return null;
}

export function arithmetic(op: "+" | "-" | "*" | "/" | "%", a: CSharpValue, b: CSharpValue): CSharpValue {
  if (isNull(a) || isNull(b)) return nullOfEither(a, b);
  const x = promote(a), y = promote(b);
  if (typeof x === "bigint" && typeof y === "bigint") {
    switch (op) {
      case "+": return wrapInt(x + y, x, y);
      case "-": return wrapInt(x - y, x, y);
      case "*": return wrapInt(x * y, x, y);
      case "/":
      case "%":
        if (y === 0n) throw new CSharpException("DivideByZeroException", "Attempted to divide by zero.");
        return wrapInt(op === "/" ? x / y : x % y, x, y);
    }
  }
  if (numeric(x) && numeric(y)) {
    const p = Number(x), q = Number(y);
    switch (op) {
      case "+": return p + q;
      case "-": return p - q;
      case "*": return p * q;
      case "/": return p / q;
      case "%": return p % q;
    }
  }
  throw invalidOperands(op, a, b);
}

export function negate(a: CSharpValue): CSharpValue {
  if (isNull(a)) return a;
  const x = promote(a);
  if (typeof x === "bigint") return BigInt.asIntN(64, -x);
  if (typeof x === "number") return -x;
  if (x instanceof CsTimeSpan) return new CsTimeSpan(-x.ms);
  throw new CSharpException("InvalidOperationException", `Operator '-' cannot be applied to operand of type '${typeName(a)}'`);
}

export function bitwise(op: "&" | "|" | "^" | "<<" | ">>", a: CSharpValue, b: CSharpValue): CSharpValue {
  if (typeof a === "boolean" && typeof b === "boolean" && (op === "&" || op === "|" || op === "^")) {
    return op === "&" ? a && b : op === "|" ? a || b : a !== b;
  }
  if (isNull(a) || isNull(b)) return nullOfEither(a, b);
  const x = promote(a), y = promote(b);
  if (typeof x === "bigint" && typeof y === "bigint") {
    switch (op) {
      case "&": return x & y;
      case "|": return x | y;
      case "^": return x ^ y;
      case "<<": return wrapInt(x << (y & 31n), x, 0n);
      case ">>": return x >> (y & 31n);
    }
  }
  throw invalidOperands(op, a, b);
}

/** `==`: null equals null only; strings ordinal; numbers by value across int and double; DateTime by time (not Kind). */
export function equals(a: CSharpValue, b: CSharpValue): boolean {
  const an = isNull(a), bn = isNull(b);
  if (an || bn) return an && bn;
  if (a === b) return true;
  const x = promote(a), y = promote(b);
  if (numeric(x) && numeric(y)) return typeof x === typeof y ? x === y : Number(x) === Number(y);
  if (a instanceof CsChar && b instanceof CsChar) return a.code === b.code;
  if (a instanceof CsDateTime && b instanceof CsDateTime) return a.ms === b.ms;
  if (a instanceof CsTimeSpan && b instanceof CsTimeSpan) return a.ms === b.ms;
  if (a instanceof CsGuid && b instanceof CsGuid) return a.text === b.text;
  return false;
}

/** `<` `>` `<=` `>=`: false when either side is null (lifted operators). */
export function compare(op: "<" | ">" | "<=" | ">=", a: CSharpValue, b: CSharpValue): boolean {
  if (isNull(a) || isNull(b)) return false;
  const c = order(a, b, op);
  switch (op) {
    case "<": return c < 0;
    case ">": return c > 0;
    case "<=": return c <= 0;
    case ">=": return c >= 0;
  }
}

function order(a: CSharpValue, b: CSharpValue, op: string): number {
  const x = promote(a), y = promote(b);
  if (numeric(x) && numeric(y)) {
    if (typeof x === "bigint" && typeof y === "bigint") return x < y ? -1 : x > y ? 1 : 0;
    const p = Number(x), q = Number(y);
    return p < q ? -1 : p > q ? 1 : p === q ? 0 : NaN;
  }
  if (a instanceof CsDateTime && b instanceof CsDateTime) return a.ms - b.ms;
  if (a instanceof CsTimeSpan && b instanceof CsTimeSpan) return a.ms - b.ms;
  throw invalidOperands(op, a, b);
}

const COLLATOR = new Intl.Collator("und");

/** Comparer<T>.Default as OrderBy, Min and Max use it: nulls first, strings by the invariant culture. */
export function defaultCompare(a: CSharpValue, b: CSharpValue): number {
  const an = isNull(a), bn = isNull(b);
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  if (typeof a === "string" && typeof b === "string") return COLLATOR.compare(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a instanceof CsChar && b instanceof CsChar) return a.code - b.code;
  if (a instanceof CsGuid && b instanceof CsGuid) return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  const c = order(a, b, "CompareTo");
  return Number.isNaN(c) ? (Number.isNaN(Number(a)) ? -1 : 1) : c;
}

export function cultureCompare(a: string, b: string): number {
  return COLLATOR.compare(a, b);
}

export function truthy(value: CSharpValue, what: string): boolean {
  if (typeof value === "boolean") return value;
  if (isNull(value)) throw new CSharpException("InvalidOperationException", `Nullable object must have a value. (${what} is null)`);
  throw new CSharpException("InvalidCastException", `Cannot implicitly convert type '${typeName(value)}' to 'bool' (${what})`);
}

export type CastTarget = "int" | "long" | "short" | "byte" | "double" | "string" | "bool" | "char" | "DateTime" | "TimeSpan" | "object";

const INTEGER_RANGE: Record<string, number> = { int: 32, long: 64, short: 16, byte: 8 };

/** An explicit cast `(T)value` or `(T?)value`. */
export function cast(value: CSharpValue, target: CastTarget, nullable: boolean): CSharpValue {
  if (isNull(value)) {
    if (nullable || target === "string" || target === "object") return nullFor(target);
    throw new CSharpException("InvalidOperationException", "Nullable object must have a value.");
  }
  switch (target) {
    case "object": return value;
    case "int":
    case "long":
    case "short":
    case "byte": {
      const bits = INTEGER_RANGE[target]!;
      const wrap = (n: bigint) => (target === "byte" ? BigInt.asUintN(8, n) : BigInt.asIntN(bits, n));
      if (typeof value === "bigint") return wrap(value);
      if (typeof value === "number") return Number.isFinite(value) ? wrap(BigInt(Math.trunc(value))) : target === "long" ? -(2n ** 63n) : target === "int" ? -(2n ** 31n) : 0n;
      if (value instanceof CsChar) return wrap(BigInt(value.code));
      break;
    }
    case "double":
      if (typeof value === "bigint" || typeof value === "number") return Number(value);
      if (value instanceof CsChar) return value.code;
      break;
    case "char":
      if (value instanceof CsChar) return value;
      if (typeof value === "bigint") return new CsChar(Number(BigInt.asUintN(16, value)));
      if (typeof value === "number") return new CsChar(Number(BigInt.asUintN(16, BigInt(Math.trunc(value)))));
      break;
    case "string":
      if (typeof value === "string") return value;
      break;
    case "bool":
      if (typeof value === "boolean") return value;
      break;
    case "DateTime":
      if (value instanceof CsDateTime) return value;
      break;
    case "TimeSpan":
      if (value instanceof CsTimeSpan) return value;
      break;
  }
  throw new CSharpException("InvalidCastException", `Unable to cast object of type '${typeName(value)}' to type '${target}'.`);
}

function nullFor(target: CastTarget): CSharpValue {
  switch (target) {
    case "string": return NULLS.String;
    case "DateTime": return NULLS.DateTime;
    case "double": return NULLS.Double;
    case "bool": return NULLS.Bool;
    case "object":
    case "char":
    case "TimeSpan": return NULLS.Object;
    default: return NULLS.Int;
  }
}

/**
 * The values of the C# interpreter. Each C# type has one JS representation, so that an operator
 * can tell them apart at run time the way the C# compiler does statically:
 * int/long → bigint, double (and float, decimal) → number, bool → boolean, string → string,
 * char → CsChar, DateTime → CsDateTime, TimeSpan → CsTimeSpan, Guid → CsGuid, a collection → a
 * readonly array, an entity → a Map (the ResourceObject), null → null or a TypedNull (an absent
 * property of a known type: `record.StartDate` without a value is a null `DateTime?`, whose
 * `GetValueOrDefault()` is DateTime.MinValue and which concatenates as "").
 */
export class CsChar {
  constructor(readonly code: number) {}
}

export type DateTimeKind = "Unspecified" | "Utc" | "Local";

/** `ms`: the wall-clock time as milliseconds since 1970-01-01 read as UTC; `kind` as .NET's DateTime.Kind. */
export class CsDateTime {
  constructor(readonly ms: number, readonly kind: DateTimeKind) {}
}

export class CsTimeSpan {
  constructor(readonly ms: number) {}
}

export class CsGuid {
  constructor(readonly text: string) {}
}

/** The static types the interpreter knows a null of. */
export type NullType = "String" | "DateTime" | "Int" | "Double" | "Bool" | "Object";

export class TypedNull {
  constructor(readonly type: NullType) {}
}

export const NULLS: Readonly<Record<NullType, TypedNull>> = {
  String: new TypedNull("String"), DateTime: new TypedNull("DateTime"), Int: new TypedNull("Int"),
  Double: new TypedNull("Double"), Bool: new TypedNull("Bool"), Object: new TypedNull("Object"),
};

/** A regular expression match or group (Regex.Match): Success, Value, Index, Length, Groups[i|name]. `value` undefined: no match. */
export class CsMatch {
  constructor(readonly value: string | undefined, readonly index: number, readonly exec?: RegExpExecArray) {}
}

/** CultureInfo.InvariantCulture (the only culture: CurrentCulture is it too). */
export class CsCulture {
  constructor(readonly name: string) {}
}

/** An instance of System.Random. */
export class CsRandom {}

export interface ResourceMap extends ReadonlyMap<string, unknown> {}

export type CSharpValue =
  | null | TypedNull | string | bigint | number | boolean
  | CsChar | CsDateTime | CsTimeSpan | CsGuid | CsMatch | CsCulture | CsRandom | ResourceMap | readonly CSharpValue[];

/** A C# exception: the evaluation stops with `<type>: <message>`. */
export class CSharpException extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

export const nullReference = (what?: string): CSharpException =>
  new CSharpException("NullReferenceException", `Object reference not set to an instance of an object.${what ? ` (${what})` : ""}`);

export function isNull(value: unknown): value is null | TypedNull {
  return value === null || value === undefined || value instanceof TypedNull;
}

export function typeName(value: CSharpValue): string {
  if (isNull(value)) return "null";
  switch (typeof value) {
    case "string": return "string";
    case "bigint": return "int";
    case "number": return "double";
    case "boolean": return "bool";
  }
  if (value instanceof CsChar) return "char";
  if (value instanceof CsDateTime) return "DateTime";
  if (value instanceof CsTimeSpan) return "TimeSpan";
  if (value instanceof CsGuid) return "Guid";
  if (value instanceof CsMatch) return "Match";
  if (value instanceof CsCulture) return "CultureInfo";
  if (value instanceof CsRandom) return "Random";
  if (value instanceof Map) return "entity";
  if (Array.isArray(value)) return "collection";
  return "object";
}

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/**
 * Integer results wrap as C#'s unchecked arithmetic does: on 32 bits when both operands fit an
 * int, else on 64 (long). An Int64 property holding a small value is read as an int: a gap only
 * when its arithmetic overflows 32 bits.
 */
export function wrapInt(result: bigint, a: bigint, b: bigint): bigint {
  if (a >= INT32_MIN && a <= INT32_MAX && b >= INT32_MIN && b <= INT32_MAX) return BigInt.asIntN(32, result);
  return BigInt.asIntN(64, result);
}

/** double.ToString() of .NET Core 3.0+: the shortest round-trip digits, exponent form from 1E+15 and from 1E-05 down. */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  // The invariant culture's symbols (en-US under ICU shows ∞).
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa, exponentText] = n.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= 15 || exponent < -4) {
    return `${mantissa}E${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(n);
}

export function charString(c: CsChar): string {
  return String.fromCharCode(c.code);
}

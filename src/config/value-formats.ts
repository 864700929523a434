/**
 * The `Format` of an EntityTypeMapping property: how the source writes a value. Dates are converted
 * to the stored form (ISO 8601 UTC, as encodeProperties writes dates):
 *
 * - `1601date` and `DateTime`: an LDAP / Windows FILETIME, 100-nanosecond intervals since
 *   1601-01-01 UTC (`accountExpires`), where 0 and 9223372036854775807 mean "never" and give no
 *   value, or an LDAP generalized time (`20240120083000.0Z`);
 * - a .NET-style pattern made of `yyyy`, `MM`, `dd`, `HH`, `mm`, `ss`, `fff` and literal characters
 *   (`yyyy-MM-dd`, `dd/MM/yyyy HH:mm`), read as UTC.
 *
 * The product's other formats (its Format reference: `Bool`, `Byte`, `Bytes`, `Binary`, `Date`,
 * `Double`, `Guid`, `Int16`, `Int32`, `Int64`, `MultivaluedText`, `RDN`, `SID`, `Concat:<separator>`,
 * `Bit:<attribute>:<bit>`, in any case) tell the product's directory connectors how to read an
 * attribute; idm-toolkit reads exported files, where those values are already text, and keeps them
 * as written.
 *
 * A value that does not match its format is kept as the source wrote it, so nothing is lost; the
 * zz_ views read such a value as NULL.
 */

/** Converts one source value; undefined means "no value". */
export type ValueFormat = (value: string) => string | undefined;

const FILETIME_NEVER = new Set(["0", "9223372036854775807"]);
const FILETIME_EPOCH_MS = Date.UTC(1601, 0, 1);

const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,3})\d*)?Z$/;

function ldapDate(value: string): string | undefined {
  const text = value.trim();
  if (FILETIME_NEVER.has(text)) return undefined;
  const generalized = GENERALIZED_TIME.exec(text);
  if (generalized) {
    const [year, month, day, hour, minute, second] = generalized.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const ms = Number((generalized[7] ?? "0").padEnd(3, "0"));
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
    const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
      date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
    return exists ? date.toISOString() : value;
  }
  if (!/^\d{1,19}$/.test(text)) return value;
  const ms = Number(BigInt(text) / 10_000n) + FILETIME_EPOCH_MS;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

const FIELDS: Record<string, { name: "year" | "month" | "day" | "hour" | "minute" | "second" | "ms"; digits: number }> = {
  yyyy: { name: "year", digits: 4 },
  MM: { name: "month", digits: 2 },
  dd: { name: "day", digits: 2 },
  HH: { name: "hour", digits: 2 },
  mm: { name: "minute", digits: 2 },
  ss: { name: "second", digits: 2 },
  fff: { name: "ms", digits: 3 },
};
const TOKEN = /yyyy|MM|dd|HH|mm|ss|fff/g;

function pattern(format: string): ValueFormat {
  const names: (keyof typeof FIELDS)[] = [];
  let source = "^";
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    source += escapeRegExp(format.slice(last, match.index)) + `(\\d{${FIELDS[match[0]]!.digits}})`;
    names.push(match[0] as keyof typeof FIELDS);
    last = match.index + match[0].length;
  }
  source += escapeRegExp(format.slice(last)) + "$";
  if (!names.includes("yyyy") || !names.includes("MM") || !names.includes("dd")) {
    throw new Error(`date format "${format}" needs yyyy, MM and dd`);
  }
  const regex = new RegExp(source);
  // Each field's capture group (the last one when a token repeats); absent time fields are zero.
  const group = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, ms: 0 };
  names.forEach((token, i) => (group[FIELDS[token]!.name] = i + 1));
  const field = (match: RegExpExecArray, index: number, zero: string) => (index === 0 ? zero : match[index]!);
  // Checked and written as text, digits as captured: synchronization converts every row's dates.
  return (value) => {
    const match = regex.exec(value.trim());
    if (match === null) return value;
    const [year, month, day] = [match[group.year]!, match[group.month]!, match[group.day]!];
    const [hour, minute, second] = [field(match, group.hour, "00"), field(match, group.minute, "00"), field(match, group.second, "00")];
    const m = Number(month);
    const d = Number(day);
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(Number(year), m) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return value;
    return `${year}-${month}-${day}T${hour}:${minute}:${second}.${field(match, group.ms, "000")}Z`;
  };
}

/** Days in a month of the proleptic Gregorian calendar (JavaScript's dates). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const AS_WRITTEN: ValueFormat = (value) => value;

const KEPT_AS_WRITTEN = new Set(["bool", "byte", "bytes", "binary", "date", "double", "guid", "int16", "int32", "int64", "multivaluedtext", "rdn", "sid"]);

/** `Bit:<attribute>:<bit>`: one flag of a bitmask attribute such as userAccountControl. */
const BIT = /^bit:([A-Za-z][A-Za-z0-9_-]*):(\d{1,20})$/i;

/** The converter of a Format attribute; throws for a format it does not know. */
export function valueFormat(format: string): ValueFormat {
  const lower = format.toLowerCase();
  if (lower === "1601date" || lower === "datetime") return ldapDate;
  if (KEPT_AS_WRITTEN.has(lower)) return AS_WRITTEN;
  if (lower.startsWith("concat:")) {
    if (format.length === "concat:".length) throw new Error(`Concat needs a separator: Concat:<separator>, such as Concat:;`);
    return AS_WRITTEN;
  }
  if (lower.startsWith("bit:")) {
    if (!BIT.test(format)) throw new Error(`a bit format is Bit:<attribute>:<bit>, such as bit:userAccountControl:2`);
    return AS_WRITTEN;
  }
  return pattern(format);
}

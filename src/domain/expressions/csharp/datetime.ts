/**
 * DateTime as .NET computes it with the invariant culture: custom and standard format strings,
 * Add*, parsing. The local time zone is UTC (results must not depend on the host), so
 * ToUniversalTime and ToLocalTime change only the Kind.
 */
import { CSharpException, CsDateTime, CsTimeSpan, type DateTimeKind } from "./values.js";

const MIN_MS = utc(1, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const DAY = 86_400_000;
/** .NET ticks (100 ns since 0001-01-01) at the JS epoch. */
export const EPOCH_TICKS = 621_355_968_000_000_000n;

function utc(y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

export function dateTime(ms: number, kind: DateTimeKind): CsDateTime {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new CSharpException("ArgumentOutOfRangeException", "The added or subtracted value results in an un-representable DateTime.");
  }
  return new CsDateTime(ms, kind);
}

export const MIN_VALUE = new CsDateTime(MIN_MS, "Unspecified");

export function construct(y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0, kind: DateTimeKind = "Unspecified"): CsDateTime {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || ms < 0 || ms > 999) {
    throw new CSharpException("ArgumentOutOfRangeException", "Year, Month, and Day parameters describe an un-representable DateTime.");
  }
  return new CsDateTime(utc(y, m - 1, d, h, mi, s, ms), kind);
}

export function daysInMonth(y: number, m: number): number {
  return new Date(utc(y, m, 0)).getUTCDate();
}

const storedDates = new Map<string, CsDateTime>();

/** A stored DateTime (ISO 8601 text, UTC). Parsed once per distinct text (values are immutable): a batch reads the same dates again and again. */
export function fromStored(text: string): CsDateTime | undefined {
  let value = storedDates.get(text);
  if (value === undefined) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return undefined;
    if (storedDates.size >= 10_000) storedDates.clear();
    storedDates.set(text, (value = new CsDateTime(ms, "Utc")));
  }
  return value;
}

export function toStored(value: CsDateTime): string {
  const iso = new Date(value.ms).toISOString();
  // Years before 1000 or after 9999 have a sign and six digits in JS; .NET years have four.
  return iso.startsWith("+") || iso.startsWith("-") ? iso.replace(/^[+-]0*(\d{4})/, "$1") : iso;
}

export function addMonths(value: CsDateTime, months: number): CsDateTime {
  if (!Number.isInteger(months) || Math.abs(months) > 120_000) throw new CSharpException("ArgumentOutOfRangeException", "Value to add was out of range.");
  const d = new Date(value.ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12;
  if (y < 1 || y > 9999) throw new CSharpException("ArgumentOutOfRangeException", "The added or subtracted value results in an un-representable DateTime.");
  const day = Math.min(d.getUTCDate(), daysInMonth(y, m + 1));
  return new CsDateTime(utc(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()), value.kind);
}

/** .NET rounds an Add* amount to the millisecond. */
export function addMs(value: CsDateTime, ms: number): CsDateTime {
  return dateTime(value.ms + Math.round(ms), value.kind);
}

export type DatePart = "Year" | "Month" | "Day" | "Hour" | "Minute" | "Second" | "Millisecond" | "DayOfYear";

export function part(value: CsDateTime, name: DatePart): number {
  const d = new Date(value.ms);
  switch (name) {
    case "Year": return d.getUTCFullYear();
    case "Month": return d.getUTCMonth() + 1;
    case "Day": return d.getUTCDate();
    case "Hour": return d.getUTCHours();
    case "Minute": return d.getUTCMinutes();
    case "Second": return d.getUTCSeconds();
    case "Millisecond": return d.getUTCMilliseconds();
    case "DayOfYear": return Math.floor((value.ms - utc(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
  }
}

export function datePart(value: CsDateTime): CsDateTime {
  return new CsDateTime(Math.floor(value.ms / DAY) * DAY, value.kind);
}

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export function dayOfWeek(value: CsDateTime): string {
  return DAY_NAMES[new Date(value.ms).getUTCDay()]!;
}

/** The invariant culture's standard format strings, as custom formats. */
const STANDARD: Record<string, string> = {
  d: "MM/dd/yyyy", D: "dddd, dd MMMM yyyy", f: "dddd, dd MMMM yyyy HH:mm", F: "dddd, dd MMMM yyyy HH:mm:ss",
  g: "MM/dd/yyyy HH:mm", G: "MM/dd/yyyy HH:mm:ss", m: "MMMM dd", M: "MMMM dd", o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK", r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss", t: "HH:mm", T: "HH:mm:ss", u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'", U: "dddd, dd MMMM yyyy HH:mm:ss",
  y: "yyyy MMMM", Y: "yyyy MMMM",
};

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** DateTime.ToString(format) with the invariant culture; no format is "G". */
export function formatDateTime(value: CsDateTime, format = "G"): string {
  if (format === "") format = "G";
  if (format.length === 1) {
    const standard = STANDARD[format];
    if (standard === undefined) throw new CSharpException("FormatException", "Input string was not in a correct format.");
    return formatCustom(value, standard);
  }
  return formatCustom(value, format);
}

function formatCustom(value: CsDateTime, format: string): string {
  const d = new Date(value.ms);
  const year = d.getUTCFullYear(), month = d.getUTCMonth() + 1, day = d.getUTCDate();
  const hour = d.getUTCHours(), minute = d.getUTCMinutes(), second = d.getUTCSeconds(), milli = d.getUTCMilliseconds();
  let out = "";
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    let n = 1;
    while (format[i + n] === c && "dfFghHKmMstyz".includes(c)) n++;
    switch (c) {
      case "d":
        out += n === 1 ? day : n === 2 ? pad(day, 2) : n === 3 ? DAY_NAMES[d.getUTCDay()]!.slice(0, 3) : DAY_NAMES[d.getUTCDay()]!;
        break;
      case "f":
      case "F": {
        if (n > 7) throw new CSharpException("FormatException", "Input string was not in a correct format.");
        const digits = pad(milli, 3).padEnd(7, "0").slice(0, n);
        out += c === "f" ? digits : digits.replace(/0+$/, "");
        if (c === "F" && digits.replace(/0+$/, "") === "" && out.endsWith(".")) out = out.slice(0, -1);
        break;
      }
      case "g":
        out += "A.D.";
        break;
      case "h":
        out += n === 1 ? (hour % 12 || 12) : pad(hour % 12 || 12, 2);
        break;
      case "H":
        out += n === 1 ? hour : pad(hour, 2);
        break;
      case "K":
        out += value.kind === "Utc" ? "Z" : value.kind === "Local" ? "+00:00" : "";
        break;
      case "m":
        out += n === 1 ? minute : pad(minute, 2);
        break;
      case "M":
        out += n === 1 ? month : n === 2 ? pad(month, 2) : n === 3 ? MONTH_NAMES[month - 1]!.slice(0, 3) : MONTH_NAMES[month - 1]!;
        break;
      case "s":
        out += n === 1 ? second : pad(second, 2);
        break;
      case "t":
        out += n === 1 ? (hour < 12 ? "A" : "P") : hour < 12 ? "AM" : "PM";
        break;
      case "y":
        out += n === 1 ? year % 100 : n === 2 ? pad(year % 100, 2) : pad(year, n);
        break;
      case "z":
        // The local time zone is UTC.
        out += n === 1 ? "+0" : n === 2 ? "+00" : "+00:00";
        break;
      case ":":
      case "/":
        out += c;
        break;
      case "'":
      case '"': {
        const end = format.indexOf(c, i + 1);
        if (end < 0) throw new CSharpException("FormatException", `Cannot find a matching quote character for the character '${c}'.`);
        out += format.slice(i + 1, end);
        i = end + 1;
        continue;
      }
      case "\\":
        if (i + 1 >= format.length) throw new CSharpException("FormatException", "Input string was not in a correct format.");
        out += format[i + 1];
        i += 2;
        continue;
      case "%":
        i += 1;
        continue;
      default:
        out += c;
    }
    i += n;
  }
  return out;
}

export function formatTimeSpan(value: CsTimeSpan): string {
  const negative = value.ms < 0;
  let rest = Math.abs(value.ms);
  const days = Math.floor(rest / DAY);
  rest -= days * DAY;
  const h = Math.floor(rest / 3_600_000), m = Math.floor((rest % 3_600_000) / 60_000), s = Math.floor((rest % 60_000) / 1000), ms = rest % 1000;
  return `${negative ? "-" : ""}${days ? `${days}.` : ""}${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${ms ? `.${pad(ms, 3)}0000` : ""}`;
}

const FORMAT_ERROR = (text: string) => new CSharpException("FormatException", `String '${text}' was not recognized as a valid DateTime.`);

/**
 * DateTime.ParseExact(text, format, InvariantCulture): each specifier reads its digits or names;
 * other characters must match. A single-letter format is the standard one.
 */
export function parseExact(text: string, format: string, kind: DateTimeKind = "Unspecified"): CsDateTime {
  const f = format.length === 1 ? STANDARD[format] : format;
  if (f === undefined) throw FORMAT_ERROR(text);
  let year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, milli = 0, pm: boolean | undefined, offsetMinutes: number | undefined;
  let pos = 0;
  const digits = (min: number, max: number): number => {
    let end = pos;
    while (end < text.length && end - pos < max && text[end]! >= "0" && text[end]! <= "9") end++;
    if (end - pos < min) throw FORMAT_ERROR(text);
    const n = Number(text.slice(pos, end));
    pos = end;
    return n;
  };
  const name = (names: string[], length?: number): number => {
    const found = names.findIndex((full) => {
      const candidate = length ? full.slice(0, length) : full;
      return text.slice(pos, pos + candidate.length).toLowerCase() === candidate.toLowerCase();
    });
    if (found < 0) throw FORMAT_ERROR(text);
    pos += length ?? names[found]!.length;
    return found;
  };
  for (let i = 0; i < f.length; ) {
    const c = f[i]!;
    let n = 1;
    while (f[i + n] === c && "dfFhHKmMstyz".includes(c)) n++;
    switch (c) {
      case "d":
        if (n <= 2) day = digits(n, 2);
        else name(DAY_NAMES, n === 3 ? 3 : undefined);
        break;
      case "M":
        if (n <= 2) month = digits(n, 2);
        else month = name(MONTH_NAMES, n === 3 ? 3 : undefined) + 1;
        break;
      case "y":
        year = n <= 2 ? digits(n, 2) : digits(n, n === 3 ? 4 : n);
        if (n <= 2) year += year < 50 ? 2000 : 1900;
        break;
      case "H":
      case "h":
        hour = digits(n, 2);
        break;
      case "m":
        minute = digits(n, 2);
        break;
      case "s":
        second = digits(n, 2);
        break;
      case "f":
      case "F": {
        const start = pos;
        const value = digits(c === "f" ? n : 0, n);
        milli = Math.floor(value * 10 ** (3 - (pos - start)));
        break;
      }
      case "t": {
        const word = text.slice(pos, pos + n).toUpperCase();
        if (!(n === 1 ? ["A", "P"] : ["AM", "PM"]).includes(word)) throw FORMAT_ERROR(text);
        pm = word.startsWith("P");
        pos += n;
        break;
      }
      case "K":
      case "z": {
        const m = /^(?:Z|([+-])(\d{1,2})(?::?(\d{2}))?)/.exec(text.slice(pos));
        if (!m) {
          if (c === "K") break;
          throw FORMAT_ERROR(text);
        }
        offsetMinutes = m[0] === "Z" ? 0 : (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
        pos += m[0].length;
        break;
      }
      case "'":
      case '"': {
        const end = f.indexOf(c, i + 1);
        const literal = f.slice(i + 1, end < 0 ? f.length : end);
        if (text.slice(pos, pos + literal.length) !== literal) throw FORMAT_ERROR(text);
        pos += literal.length;
        i = end < 0 ? f.length : end + 1;
        continue;
      }
      case "\\":
        if (text[pos] !== f[i + 1]) throw FORMAT_ERROR(text);
        pos++;
        i += 2;
        continue;
      case "%":
        i++;
        continue;
      default:
        if (text[pos] !== c) throw FORMAT_ERROR(text);
        pos++;
    }
    i += n;
  }
  if (pos !== text.length) throw FORMAT_ERROR(text);
  if (pm !== undefined) {
    if (hour > 12) throw FORMAT_ERROR(text);
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  let result: CsDateTime;
  try {
    result = construct(year, month, day, hour, minute, second, milli, kind);
  } catch {
    throw FORMAT_ERROR(text);
  }
  // A parsed offset converts to local time, which is UTC here.
  return offsetMinutes === undefined ? result : new CsDateTime(result.ms - offsetMinutes * 60_000, "Local");
}

/** The formats DateTime.Parse accepts here (invariant culture): ISO 8601 and the invariant short forms. */
const PARSE_FORMATS = [
  "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK",
  "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy/MM/dd", "yyyy/M/d", "M/d/yyyy", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy h:mm:ss tt",
  "M/d/yyyy h:mm tt", "yyyy/M/d H:mm:ss", "dddd, dd MMMM yyyy", "dddd, dd MMMM yyyy HH:mm:ss", "MMMM d, yyyy", "d MMMM yyyy", "ddd, dd MMM yyyy HH:mm:ss 'GMT'",
];

export function parseDateTime(text: string): CsDateTime {
  const trimmed = text.trim();
  for (const format of PARSE_FORMATS) {
    try {
      const value = parseExact(trimmed, format);
      return format.endsWith("'GMT'") ? new CsDateTime(value.ms, "Local") : value;
    } catch {
      // the next format
    }
  }
  throw FORMAT_ERROR(text);
}

/** 100-nanosecond intervals since 1601-01-01 UTC (Active Directory's FILETIME), as DateTime.FromFileTimeUtc. */
const FILETIME_EPOCH_MS = Date.UTC(1601, 0, 1);

export function fromFileTime(ticks: bigint): CsDateTime {
  return dateTime(FILETIME_EPOCH_MS + Number(ticks / 10_000n), "Utc");
}

export function toFileTime(value: CsDateTime): bigint {
  if (value.ms < FILETIME_EPOCH_MS) throw new CSharpException("ArgumentOutOfRangeException", "Not a valid Win32 FileTime.");
  return BigInt(value.ms - FILETIME_EPOCH_MS) * 10_000n;
}

export function ticks(value: CsDateTime): bigint {
  return EPOCH_TICKS + BigInt(value.ms) * 10_000n;
}

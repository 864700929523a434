/**
 * Windows time zone identifiers (what the product's ParseLocalDate takes) to IANA, for the zones
 * configurations use; an IANA identifier is accepted as is. The offset at a wall-clock time comes
 * from the ICU data of Node (Intl).
 */
import { CSharpException } from "./values.js";

const WINDOWS: Record<string, string> = {
  "UTC": "UTC", "GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
  "Romance Standard Time": "Europe/Paris", "W. Europe Standard Time": "Europe/Berlin", "Central Europe Standard Time": "Europe/Budapest",
  "Central European Standard Time": "Europe/Warsaw", "E. Europe Standard Time": "Europe/Chisinau", "FLE Standard Time": "Europe/Kiev",
  "GTB Standard Time": "Europe/Bucharest", "Russian Standard Time": "Europe/Moscow", "Turkey Standard Time": "Europe/Istanbul",
  "Israel Standard Time": "Asia/Jerusalem", "Arabian Standard Time": "Asia/Dubai", "India Standard Time": "Asia/Kolkata",
  "China Standard Time": "Asia/Shanghai", "Singapore Standard Time": "Asia/Singapore", "Tokyo Standard Time": "Asia/Tokyo",
  "Korea Standard Time": "Asia/Seoul", "AUS Eastern Standard Time": "Australia/Sydney", "New Zealand Standard Time": "Pacific/Auckland",
  "Eastern Standard Time": "America/New_York", "Central Standard Time": "America/Chicago", "Mountain Standard Time": "America/Denver",
  "Pacific Standard Time": "America/Los_Angeles", "Atlantic Standard Time": "America/Halifax", "E. South America Standard Time": "America/Sao_Paulo",
  "Morocco Standard Time": "Africa/Casablanca", "South Africa Standard Time": "Africa/Johannesburg", "W. Central Africa Standard Time": "Africa/Lagos",
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  const iana = WINDOWS[zone] ?? zone;
  let f = formats.get(iana);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone: iana, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    } catch {
      throw new CSharpException("TimeZoneNotFoundException", `The time zone ID '${zone}' was not found on the local computer.`);
    }
    formats.set(iana, f);
  }
  return f;
}

/** The zone's offset (ms) at the UTC instant `utcMs`. */
function offsetAt(zone: string, utcMs: number): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** TimeZoneInfo.ConvertTimeToUtc(wall clock in `zone`): a wall time in a gap or overlap takes the standard offset before it. */
export function zoneToUtc(zone: string, wallMs: number): number {
  const first = offsetAt(zone, wallMs);
  const second = offsetAt(zone, wallMs - first);
  return wallMs - second;
}

export function utcToZone(zone: string, utcMs: number): number {
  return utcMs + offsetAt(zone, utcMs);
}

import { describe, expect, it } from "vitest";
import { valueFormat } from "../../src/config/value-formats.js";

describe("valueFormat", () => {
  it("reads .NET-style date patterns as UTC, and keeps a value that does not match as it is", () => {
    const date = valueFormat("yyyy-MM-dd");
    expect(date("2011-02-02")).toBe("2011-02-02T00:00:00.000Z");
    expect(date(" 0001-01-01 ")).toBe("0001-01-01T00:00:00.000Z");
    expect(date("2023-02-29")).toBe("2023-02-29");
    expect(date("02/02/2011")).toBe("02/02/2011");
    const french = valueFormat("dd/MM/yyyy HH:mm:ss.fff");
    expect(french("31/12/2024 23:59:58.123")).toBe("2024-12-31T23:59:58.123Z");
    expect(french("31/12/2024 24:00:00.000")).toBe("31/12/2024 24:00:00.000");
    expect(valueFormat("yyyy.MM.dd")("2024x01x31")).toBe("2024x01x31");
  });

  it("reads a pattern as JavaScript's dates do: every date that exists, and no other (leap years, month ends, time limits)", () => {
    const format = valueFormat("yyyy/MM/dd HH:mm:ss.fff");
    /** What Date makes of the fields: the ISO text when they come back unchanged. */
    const reference = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): string | undefined => {
      const date = new Date(Date.UTC(2000, 0, 1, h, mi, s, ms));
      date.setUTCFullYear(y, mo - 1, d);
      const same = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h &&
        date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
      return same ? date.toISOString() : undefined;
    };
    const pad = (n: number, width: number) => String(n).padStart(width, "0");
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 20_000; i++) {
      const fields = [[0, 4, 100, 400, 1900, 2000, 2023, 2024, 9998][next(9)]! + next(2), next(14), next(33), next(26), next(62), next(62), next(1000)] as const;
      const text = `${pad(fields[0], 4)}/${pad(fields[1], 2)}/${pad(fields[2], 2)} ${pad(fields[3], 2)}:${pad(fields[4], 2)}:${pad(fields[5], 2)}.${pad(fields[6], 3)}`;
      expect(format(text)).toBe(reference(...fields) ?? text);
    }
  });

  it("reads LDAP 1601dates, 0 and the largest value meaning never", () => {
    const ldap = valueFormat("1601date");
    // (2024-01-20 − 1601-01-01) in 100 ns: (1,705,708,800,000 + 11,644,473,600,000) ms × 10,000.
    expect(ldap("133501824000000000")).toBe("2024-01-20T00:00:00.000Z");
    expect(ldap("0")).toBeUndefined();
    expect(ldap("9223372036854775807")).toBeUndefined();
    expect(ldap("soon")).toBe("soon");
  });

  it("reads DateTime as the product's LDAP dates: a FILETIME or a generalized time", () => {
    const ldap = valueFormat("DateTime");
    expect(ldap("133501824000000000")).toBe("2024-01-20T00:00:00.000Z");
    expect(ldap("20240120083005.0Z")).toBe("2024-01-20T08:30:05.000Z");
    expect(ldap("20240120083005.1234Z")).toBe("2024-01-20T08:30:05.123Z");
    expect(ldap("20230229083005.0Z")).toBe("20230229083005.0Z");
    expect(valueFormat("1601Date")("20240120083005Z")).toBe("2024-01-20T08:30:05.000Z");
    expect(ldap("0")).toBeUndefined();
  });

  it("keeps the values of the product's directory formats as written, in any case", () => {
    for (const format of ["rdn", "RDN", "guid", "sid", "SID", "binary", "Bytes", "bool", "byte", "double", "int16", "Int32", "int64", "MultivaluedText", "Date",
      "bit:userAccountControl:2", "Bit:userAccountControl:512", "concat:;", "Concat: | "]) {
      expect(valueFormat(format)("CN=Ann,OU=People")).toBe("CN=Ann,OU=People");
    }
  });

  it("refuses a pattern without a whole date, and a bit or concat format without its parts", () => {
    expect(() => valueFormat("HH:mm")).toThrow('date format "HH:mm" needs yyyy, MM and dd');
    expect(() => valueFormat("guide")).toThrow('date format "guide" needs yyyy, MM and dd');
    expect(() => valueFormat("bit:userAccountControl")).toThrow("a bit format is Bit:<attribute>:<bit>, such as bit:userAccountControl:2");
    expect(() => valueFormat("bit::2")).toThrow("a bit format is Bit:<attribute>:<bit>");
    expect(() => valueFormat("concat:")).toThrow("Concat needs a separator");
  });
});

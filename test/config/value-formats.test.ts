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

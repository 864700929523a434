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

  it("refuses a pattern without a whole date", () => {
    expect(() => valueFormat("HH:mm")).toThrow('date format "HH:mm" needs yyyy, MM and dd');
  });
});

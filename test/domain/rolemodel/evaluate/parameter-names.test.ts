import { describe, expect, it } from "vitest";
import { dimensionColumn, dimensionSuffix, parseDimensionBindings, parseDimensionCriteria } from "../../../../src/domain/rolemodel/evaluate/parameter-names.js";

describe("dimension parameter names", () => {
  it("spell the column in base32hex, 0–9 then A–V then two digits up to 3V", () => {
    expect([0, 9, 10, 31, 32, 127].map(dimensionSuffix)).toEqual(["0", "9", "A", "V", "10", "3V"]);
    expect(["0", "A", "v", "10", "3V"].map(dimensionColumn)).toEqual([0, 10, 31, 32, 127]);
    expect(() => dimensionSuffix(128)).toThrow(RangeError);
  });

  it("refuse what is not a suffix, so Description or DisplayName_L1 is no D criterion", () => {
    expect(["W", "escription_L1", "isplayName_L1", "40", "05", ""].map(dimensionColumn)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(parseDimensionCriteria({ Description_L1: "x", DisplayName_L1: "y", Role: "R" })).toEqual([]);
  });

  it("read D values with their L flags, by column", () => {
    expect(parseDimensionCriteria({ DA: "X", D0: "SALES", L0: "true", LA: false, D1: "", L1: true })).toEqual([
      { dimension: 0, value: "SALES", hierarchical: true },
      { dimension: 10, value: "X", hierarchical: false },
    ]);
    expect(parseDimensionBindings({ B0: "Records.Org", B10: "Records.Site" })).toEqual([
      { dimension: 0, binding: "Records.Org" },
      { dimension: 32, binding: "Records.Site" },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { holds, sameValue } from "../../../../src/domain/rolemodel/evaluate/compare-values.js";

describe("comparison types", () => {
  it.each([
    ["CaseSensitive", "Dupont", "dupont", false],
    ["CaseSensitive", "Dupont", "Dupont", true],
    ["IgnoreCase", "Dupont", "DUPONT", true],
    ["IgnoreCase", "Hélène", "helene", false],
    ["IgnoreDiacritics", "Hélène", "Helene", true],
    ["IgnoreDiacritics", "Hélène", "helene", false],
    ["Simplified", "Jean-Hélène O'Brien", "jeanhelene obrien", true],
    ["Simplified", "Anne", "Anna", false],
    ["Approximate", "Schmitt", "Schmit", true],
    ["Approximate", "Thomas", "Tomas", true],
    ["Approximate", "Kowalsky", "Cowalski", true],
    ["Approximate", "Dubois", "Duboi", true],
    ["Approximate", "Martin", "Morton", false],
    ["Trim", "  abc ", "abc", true],
    ["Trim", "abc", "ABC", false],
  ] as const)("%s: %s vs %s", (type, a, b, expected) => {
    expect(sameValue(a, b, type)).toBe(expected);
  });

  it("compare numbers, booleans and dates as the text a target holds", () => {
    expect(sameValue(66048, "66048")).toBe(true);
    expect(sameValue(true, "true")).toBe(true);
    expect(sameValue(new Date("2025-01-01T00:00:00Z"), "2025-01-01T00:00:00.000Z")).toBe(true);
  });

  it("a navigation property holds the value when one of its keys is it", () => {
    expect(holds(["G1", "G2"], "G2", "CaseSensitive")).toBe(true);
    expect(holds(["G1"], "G2", "CaseSensitive")).toBe(false);
    expect(holds(null, "G2", "CaseSensitive")).toBe(false);
  });
});

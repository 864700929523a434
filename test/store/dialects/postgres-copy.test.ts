// The text format of COPY gives the backslash, tab, newline and carriage return a meaning, and \N
// stands for NULL: each field is escaped so that the server reads back exactly the value.
import { describe, expect, it } from "vitest";
import { copyField } from "../../../src/store/dialects/postgres-copy.js";

describe("copyField", () => {
  it("writes NULL as \\N and escapes the characters that end or change a field", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField(undefined)).toBe("\\N");
    expect(copyField("\\N")).toBe("\\\\N");
    expect(copyField("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(copyField("")).toBe("");
    expect(copyField('{"a":"é😀 \\"q\\""}')).toBe('{"a":"é😀 \\\\"q\\\\""}');
  });

  it("writes numbers, booleans and bytes as the server reads them", () => {
    expect(copyField(-42)).toBe("-42");
    expect(copyField(1.5)).toBe("1.5");
    expect(copyField(12345678901234567890n)).toBe("12345678901234567890");
    expect(copyField(true)).toBe("t");
    expect(copyField(false)).toBe("f");
    expect(copyField(Buffer.from([0, 255]))).toBe("\\\\x00ff");
  });

  it("refuses a value it has no text for, rather than writing [object Object]", () => {
    expect(() => copyField({ a: 1 })).toThrow("a object cannot be copied into a column");
    expect(() => copyField(Symbol("s"))).toThrow("a symbol cannot be copied");
  });
});

import { describe, expect, it } from "vitest";
import { valueFormat } from "../../../src/config/value-formats.js";
import { encodeProperties } from "../../../src/domain/resources/properties.js";
import { propertiesEncoder, type EntityTypeModel } from "../../../src/domain/sync/synchronize-model.js";

const off = { lines: 0, percentage: 0 };

/** What a row's properties are, written the obvious way: an object filled column by column, then encodeProperties. */
function reference(model: EntityTypeModel, columns: string[], row: string[], offset: number): string {
  const properties: Record<string, string> = {};
  columns.forEach((column, i) => {
    const property = model.properties.get(column);
    const raw = row[i + offset] ?? "";
    if (property === undefined || raw === "") return;
    const format = model.formats.get(column);
    const value = format === undefined ? raw : format(raw);
    if (value !== undefined) properties[property] = value;
  });
  return encodeProperties(properties);
}

describe("propertiesEncoder", () => {
  it("writes what encodeProperties writes: names in its order (integer-like first), formats, empty and missing fields, several columns for one property", () => {
    const model: EntityTypeModel = {
      identifier: "T", primaryKey: "Id", thresholds: { Inserted: off, Updated: off, Deleted: off },
      properties: new Map([["id", "Id"], ["when", "Start"], ["ldap", "Expires"], ["b", "zeta"], ["a", "Zeta"], ["n", "10"], ["m", "9"], ["alias", "Zeta"], ["q", 'Quo"te']]),
      formats: new Map([["when", valueFormat("yyyy-MM-dd")], ["ldap", valueFormat("1601date")]]),
    };
    const columns = ["command", "id", "when", "ldap", "unmapped", "b", "a", "n", "m", "alias", "q"].slice(1);
    // Quotes, backslashes, control and separator characters, paired and lone surrogates: what JSON escapes, or not.
    const texts = ["", "x", "2024-02-29", "2023-02-29", "0", "133501824000000000", 'say "hi"\n', "é😀", "\\", " ", "\u0001\u001f", "\u2028\u007f", "a\ud800", "\udfff"];
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % texts.length;
    for (const offset of [0, 1]) {
      const encode = propertiesEncoder(model, columns, offset);
      for (let i = 0; i < 2_000; i++) {
        const row = Array.from({ length: columns.length + offset - (i % 3 === 0 ? 2 : 0) }, () => texts[next()]!);
        expect(encode(row)).toBe(reference(model, columns, row, offset));
      }
    }
    expect(propertiesEncoder(model, columns)(["1", "2024-01-31"])).toBe('{"Id":"1","Start":"2024-01-31T00:00:00.000Z"}');
  });
});

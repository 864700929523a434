import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { base32hex, loadCatalog, SCHEMA_DIR } from "../../../src/config/schema/catalog.js";

interface Group {
  "x-indexed": { prefix: string; from: number; to: number; description: string };
  patternProperties: Record<string, unknown>;
}

const groups = (JSON.parse(readFileSync(join(SCHEMA_DIR, "indexed-attributes.json"), "utf8")) as { $defs: Record<string, Group> }).$defs;
const catalog = loadCatalog();

describe("indexed attribute groups (x-indexed)", () => {
  it("spell indexes in base32hex, as the reference's parameter names", () => {
    expect([0, 9, 10, 31, 32, 127, 128, 152].map(base32hex)).toEqual(["0", "9", "A", "V", "10", "3V", "40", "4O"]);
  });

  it.each(Object.entries(groups))("%s: the catalog's attributes are exactly the names its pattern accepts", (_name, group) => {
    const { prefix, from, to } = group["x-indexed"];
    const [pattern] = Object.keys(group.patternProperties);
    const accepts = (name: string): boolean => new RegExp(pattern!).test(name);
    const names = Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${base32hex(from + i)}`);
    expect(names.every(accepts)).toBe(true);
    // Every other spelling of one or two base32hex digits is refused.
    const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    const others = [...digits, ...[...digits].flatMap((a) => [...digits].map((b) => a + b))].map((d) => prefix + d).filter((n) => !names.includes(n));
    expect(others.filter(accepts)).toEqual([]);
  });

  it("give an element one typed attribute per index, described with its index", () => {
    const owner = catalog.get("AccessCertificationOwnerFilter")!;
    expect([...owner.attributes.keys()].filter((n) => /^[DL][0-9A-V]{1,2}$/.test(n))).toHaveLength(256);
    expect(owner.attributes.get("D3V")).toMatchObject({ type: "string", required: false, description: "Value of dimension 127: the key of a resource of the dimension's entity type." });
    expect(owner.attributes.get("LA")).toMatchObject({ type: "boolean", required: false });
    expect(owner.attributes.get("LA")!.default).toBeUndefined();
    expect(catalog.get("Resource")!.attributes.get("I4O")).toMatchObject({ type: "integer", description: expect.stringContaining("column 152") });
  });
});

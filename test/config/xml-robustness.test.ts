// No input makes validation hang, throw or use more than linear time and memory: random
// mutations of the demo's files, random bytes and truncations; a large attribute value; nesting
// far deeper than the default limit when the limit is raised.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../../src/config/parse-config-file.js";
import { listConfigFiles } from "../../src/config/read-folder.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";
import { mutate, random } from "../helpers/xml-samples.js";

const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));
const LIMITS = { maxFileBytes: 1_000_000, maxDepth: 64 };

/** Parses and checks the contract: a tree or problems with real positions, never an exception. */
function parseChecked(bytes: Uint8Array): void {
  const started = performance.now();
  const { root, problems } = parseConfigFile("f.xml", bytes, LIMITS);
  expect(performance.now() - started).toBeLessThan(2000); // a hang guard, not a timing assertion
  // A tree comes with no problem, no tree with exactly one; every problem has a real position.
  expect(problems).toHaveLength(root === undefined ? 1 : 0);
  expect(problems.filter((p) => !(Number.isInteger(p.line) && p.line >= 1 && Number.isInteger(p.column) && p.column >= 1))).toEqual([]);
}

describe("parseConfigFile on hostile input", () => {
  it("never hangs nor throws on mutations of the demo's files", () => {
    const next = random(20240601);
    const demo = listConfigFiles(DEMO).map((f) => readFileSync(f.path));
    for (let i = 0; i < 1500; i++) parseChecked(mutate(demo[i % demo.length]!, next));
  });

  it("never hangs nor throws on random bytes and on every truncation of a file", () => {
    const next = random(7);
    for (let i = 0; i < 300; i++) parseChecked(Buffer.from(Array.from({ length: Math.floor(next() * 300) }, () => Math.floor(next() * 256))));
    const file = Buffer.from(configFile(`  <Job Identifier="J" DisplayName_L1="a &amp; b">\n    <!-- c --><![CDATA[x]]><?pi d?>\n  </Job>`));
    for (let n = 0; n <= file.length; n++) parseChecked(file.subarray(0, n));
  });

  it("refuses a form feed in a tag name instead of looping forever", () => {
    expect(parseConfigFile("f.xml", Buffer.from("<doc\f>text</doc\f>"), LIMITS).problems).toMatchObject([{ code: "xml-syntax", line: 1, column: 5 }]);
  });

  it("gives a file with only a declaration and a comment a real line and column", () => {
    const { problems } = parseConfigFile("f.xml", Buffer.from('<?xml version="1.0"?>\n<!-- nothing -->'), LIMITS);
    expect(problems).toMatchObject([{ code: "xml-syntax", line: 2, column: 17, message: "the file has no root element" }]);
  });

  it("reads an 8 MB attribute value (time and memory linear in its size)", () => {
    const value = "x".repeat(8 * 1024 * 1024);
    const { root, problems } = parseConfigFile("f.xml", Buffer.from(`<ConfigurationFile A="${value}" B="1"/>`), { maxFileBytes: 10_000_000, maxDepth: 64 });
    expect(problems).toEqual([]);
    expect(root!.attributes.map((a) => [a.name, a.value.length, a.span.column])).toEqual([["A", value.length, 20], ["B", 1, value.length + 25]]);
  });

  it("reads 100,000 nested elements without recursion when Validation.MaxDepth allows it", () => {
    const depth = 100_000;
    const body = `<Job Identifier="J" DisplayName_L1="J">${"<a>".repeat(depth)}${"</a>".repeat(depth)}</Job>`;
    const limits = { maxFileBytes: 10_000_000, maxDepth: 200_000 };
    const { root, problems } = parseConfigFile("f.xml", Buffer.from(configFile(body)), limits);
    expect(problems).toEqual([]);
    let element = root!;
    let levels = 1;
    while (element.children.length > 0) {
      element = element.children[0]!;
      levels++;
    }
    expect(levels).toBe(depth + 2);
    // The later passes over the tree finish too: <a> is unknown, reported once.
    const result = validateFolder(writeFolder({ "a.xml": configFile(body) }), limits);
    expect(result.problems.map((p) => p.code)).toContain("unknown-element");
  });
});

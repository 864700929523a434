// `idm validate` refuses exactly the documents a conforming XML 1.0 parser (with namespaces)
// refuses: each not-well-formed document below gets xml-syntax where the error is detected, each
// well-formed one passes the XML layer.
import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../../src/config/parse-config-file.js";
import { NOT_WELL_FORMED, WELL_FORMED } from "../helpers/xml-samples.js";

const LIMITS = { maxFileBytes: 1_000_000, maxDepth: 64 };
const parse = (text: string | Uint8Array) => parseConfigFile("f.xml", typeof text === "string" ? Buffer.from(text) : text, LIMITS);

describe("well-formedness: what a conforming XML parser refuses", () => {
  for (const [what, text, line, column] of NOT_WELL_FORMED) {
    it(`refuses ${what}`, () => {
      const { root, problems } = parse(text);
      expect(root).toBeUndefined();
      expect(problems).toMatchObject([{ code: "xml-syntax", line, column }]);
    });
  }

  for (const [what, text] of WELL_FORMED) {
    it(`accepts ${what}`, () => {
      const { root, problems } = parse(text);
      expect(problems).toEqual([]);
      expect(root).toBeDefined();
    });
  }

  it("accepts UTF-16 with a byte order mark, both byte orders", () => {
    const text = '<?xml version="1.0" encoding="utf-16"?>\n<r A="é&amp;"/>';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le).swap16();
    for (const bytes of [le, be]) {
      const { root, problems } = parse(bytes);
      expect(problems).toEqual([]);
      expect(root!.attributes).toMatchObject([{ name: "A", value: "é&", span: { line: 2, column: 4 } }]);
    }
  });

  it("refuses a DOCTYPE after a processing instruction or a comment, as a DOCTYPE", () => {
    for (const prolog of ["<?pi x?>\n", "<?pi <!-- ?>\n", "<!-- <?x -->\n", '<?xml version="1.0"?><!-- a --><?b?>\n']) {
      const { problems } = parse(`${prolog}<!DOCTYPE r [<!ENTITY e "x">]>\n<r>&e;</r>`);
      expect(problems).toMatchObject([{ code: "xml-doctype", line: 2, column: 1 }]);
    }
  });
});

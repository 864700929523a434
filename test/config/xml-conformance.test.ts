// `idm validate` refuses exactly the documents a conforming XML 1.0 parser (with namespaces)
// refuses: each not-well-formed document below gets xml-syntax where the error is detected, each
// well-formed one passes the XML layer.
import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../../src/config/parse-config-file.js";

const LIMITS = { maxFileBytes: 1_000_000, maxDepth: 64 };
const parse = (text: string | Uint8Array) => parseConfigFile("f.xml", typeof text === "string" ? Buffer.from(text) : text, LIMITS);

/** [what, document, line, column] */
const NOT_WELL_FORMED: [string, string, number, number][] = [
  ["a bare & in an attribute value", '<r ApiUrl="/api?x=1&y=2"/>', 1, 22],
  ["a bare & in text", "<r>a & b</r>", 1, 7],
  ["< in an attribute value", '<r A="a<b"/>', 1, 8],
  ["an undefined entity in an attribute value", '<r A="&foo;"/>', 1, 7],
  ["an undefined entity in text", "<r>&foo;</r>", 1, 4],
  ["a reference to character 0", '<r A="&#0;"/>', 1, 7],
  ["a reference to character 1", "<r>&#x1;</r>", 1, 4],
  ["a reference to a surrogate", "<r>&#xD800;</r>", 1, 4],
  ["a reference past U+10FFFF", "<r>&#x110000;</r>", 1, 4],
  ["a & followed by a space in an attribute value, then a later ;", '<r A="a & b" B="&amp;"/>', 1, 10],
  ["a character reference without digits", "<r>&#x;</r>", 1, 7],
  ["a character reference with a bad digit", "<r>&#12a;</r>", 1, 8],
  ["a reference without its ;", "<r>&amp</r>", 1, 8],
  ["a reference to U+FFFE", "<r>&#xFFFE;</r>", 1, 4],
  ["-- inside a comment", "<r><!-- a -- b --></r>", 1, 13],
  ["a comment ending in --->", "<r><!-- a ---></r>", 1, 13],
  ["text after the root's end tag", "<r/>\ntext", 2, 1],
  ["an element after the root's end tag", "<r/>\n<s/>", 2, 1],
  ["CDATA after the root's end tag", "<r/><![CDATA[x]]>", 1, 5],
  ["text before the root", "x<r/>", 1, 1],
  ["an XML declaration in the middle of the file", '<r>\n<?xml version="1.0"?>\n</r>', 2, 6],
  ["an XML declaration after a comment", '<!-- c -->\n<?xml version="1.0"?><r/>', 2, 6],
  ["an XML declaration after leading spaces", '  <?xml version="1.0"?><r/>', 1, 8],
  ["a form feed inside a tag", "<r\f/>", 1, 3],
  ["a form feed inside a tag name", "<doc\f>text</doc\f>", 1, 5],
  ["a control character in text", "<r>a\u0001b</r>", 1, 5],
  ["a control character in an attribute value", '<r A="a\u0008"/>', 1, 8],
  ["a mismatched end tag", "<r>\n  <a>\n  </b>\n</r>", 3, 3],
  ["an end tag with no start tag", "<r></r></s>", 1, 8],
  ["an unclosed element", "<r>\n  <a>\n</r>", 3, 1],
  ["a file ending inside the root", "<r>\n  <a/>\n", 3, 1],
  ["a file ending inside a tag", '<r A="x', 1, 8],
  ["a duplicate attribute", '<r A="1" A="2"/>', 1, 16],
  ["an attribute without a value", "<r A/>", 1, 5],
  ["an unquoted attribute value", "<r A=1/>", 1, 6],
  ["no space between attributes", '<r A="1"B="2"/>', 1, 9],
  ["a name starting with a digit", "<1r/>", 1, 2],
  ["]]> in text", "<r>a]]>b</r>", 1, 7],
  ["an unbound namespace prefix", "<p:r/>", 1, 1],
  ["an unbound attribute prefix", '<r p:A="1"/>', 1, 4],
  ["undeclaring a prefix", '<r xmlns:p=""/>', 1, 4],
  ["a prefix used outside the element that declares it", '<r><a xmlns:p="urn:p"/><p:b/></r>', 1, 24],
  ["two attributes with the same expanded name", '<r xmlns:p="urn:x" xmlns:q="urn:x" p:A="1" q:A="2"/>', 1, 44],
  ["a name with two colons", '<r xmlns:p="urn:p"><p:a:b/></r>', 1, 20],
  ["a local name starting with a digit", '<r xmlns:p="urn:p" p:1="x"/>', 1, 20],
  ["binding the xmlns prefix", '<r xmlns:xmlns="urn:x"/>', 1, 4],
  ["binding xml to another namespace", '<r xmlns:xml="urn:x"/>', 1, 4],
  ["a default namespace of xmlns", '<r xmlns="http://www.w3.org/2000/xmlns/"/>', 1, 4],
  ["a processing instruction target with a colon", "<r><?a:b x?></r>", 1, 4],
  ["a lowercase doctype", "<!doctype r><r/>", 1, 9],
  ["a processing instruction named xml", '<r><?XmL x="1"?></r>', 1, 16],
  ["a processing instruction without a target", "<r><? x?></r>", 1, 6],
  ["an XML declaration without a version", '<?xml encoding="utf-8"?><r/>', 1, 15],
  ["XML 1.1", '<?xml version="1.1"?><r/>', 1, 7],
  ["two roots", "<r/><r/>", 1, 5],
  ["a comment only", "<!-- c -->", 1, 11],
  ["a declaration and a comment only", '<?xml version="1.0"?>\n<!-- only a comment -->\n', 3, 1],
  ["a CDATA section that never ends", "<r><![CDATA[x</r>", 1, 18],
  ["a comment that never ends", "<r><!-- x</r>", 1, 14],
  ["a DOCTYPE after the root", "<r/><!DOCTYPE r>", 1, 13],
];

const WELL_FORMED: [string, string][] = [
  ["the five predefined entities and character references", `<r A="&lt;&amp;&gt;&quot;&apos;&#233;&#x1F600;">&lt;&#10;&#x9;</r>`],
  ["a > in attribute values and text", `<r A="a>b">a > b</r>`],
  ["CDATA holding markup", "<r><![CDATA[<&>]]></r>"],
  ["comments and processing instructions around the root", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- a -->\n<?pi data?>\n<r/>\n<!-- b -->\n<?pi?>\n'],
  ["a - inside a comment", "<r><!-- a - b --></r>"],
  ["namespace prefixes that are declared", '<p:r xmlns:p="urn:p" p:A="1" xml:lang="en"><p:s/></p:r>'],
  ["names with dots, dashes, colons and non-ASCII letters", '<r a.b-c_d="1" Été="2"><é/></r>'],
  ["astral characters", "<r A=\"\u{1F600}\">\u{1F600}</r>"],
  ["an end tag with spaces before >", "<r></r  >"],
  ["an undeclared default namespace and a prefix declared again inside", '<r xmlns="urn:a"><s xmlns=""><p:t xmlns:p="urn:p"><p:u xmlns:p="urn:q" p:A="1"/></p:t></s></r>'],
  ["a form feed-free file with every XML space", "<r\tA = '1'\r\n/>\n"],
];

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

// The fast path builds exactly the conforming pass's tree, or gives up: it never accepts what a
// conforming parser refuses, and it does read the files configurations are made of.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listConfigFiles } from "../../src/config/read-folder.js";
import { readPlainXmlTree } from "../../src/config/read-plain-xml-tree.js";
import { readConformingXmlTree } from "../../src/config/read-xml-tree.js";
import { decodeConfigBytes, LineIndex } from "../../src/config/source-text.js";
import { mutate, NOT_WELL_FORMED, random, WELL_FORMED } from "../helpers/xml-samples.js";

const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));
const MAX_DEPTH = 64;

/** Both readers on one text; each gets its own LineIndex so that neither's lookups help the other. */
function readBoth(text: string) {
  return {
    plain: readPlainXmlTree("f.xml", text, new LineIndex(text), MAX_DEPTH),
    conforming: readConformingXmlTree("f.xml", text, new LineIndex(text), MAX_DEPTH),
  };
}

/** The contract: no tree, or the conforming tree exactly. */
function expectAgreement(text: string): boolean {
  const { plain, conforming } = readBoth(text);
  if (plain === undefined) return false;
  expect(conforming.problem).toBeUndefined();
  expect(plain).toEqual(conforming.root);
  return true;
}

describe("readPlainXmlTree", () => {
  it("gives up on every document a conforming parser refuses", () => {
    const accepted = NOT_WELL_FORMED.filter(([, text]) => readBoth(text).plain !== undefined).map(([what]) => what);
    expect(accepted).toEqual([]);
  });

  it("builds the conforming tree, or gives up, on the well-formed samples", () => {
    for (const [, text] of WELL_FORMED) expectAgreement(text);
  });

  it("reads every file of the demo itself, giving the conforming tree", () => {
    const files = listConfigFiles(DEMO);
    expect(files.length).toBeGreaterThan(5);
    const read = files.filter(({ path }) => expectAgreement(readFileSync(path, "utf8")));
    expect(read).toEqual(files);
  });

  it("normalizes attribute values as XML does: references, tabs, line ends, both quotes", () => {
    const text = '<?xml version="1.0" encoding="utf-8"?>\r\n<!-- a - b -->\r\n<r A="x\ty\r\nz\rw\n" B=\'&lt;&amp;&gt;&quot;&apos;&#10;&#x41;\' C="it\'s" D=\'say "hi"\'\r\n   E = "é>"/>\r\n';
    expect(expectAgreement(text)).toBe(true);
    const { plain } = readBoth(text);
    expect(plain!.attributes.map((a) => a.value)).toEqual(["x y z w ", "<&>\"'\nA", "it's", 'say "hi"', "é>"]);
    expect(plain!.attributes[4]!.span).toEqual({ file: "f.xml", line: 6, column: 4, endLine: 6 });
  });

  it("replaces each reference once: &amp;lt; and &#38;lt; give &lt;, &#10; stays a line feed", () => {
    const text = '<r A="&amp;lt;" B="&#38;lt;" C="a&#10;b&#13;&#9;c" D="&amp;amp;&quot;"/>';
    expect(expectAgreement(text)).toBe(true);
    expect(readBoth(text).plain!.attributes.map((a) => a.value)).toEqual(["&lt;", "&lt;", "a\nb\r\tc", "&amp;\""]);
  });

  it("keeps nesting, spans and namespaces as the conforming pass does", () => {
    const text = '<p:r xmlns:p="urn:p" xml:lang="en">\n  <p:s A="1"\n     B="2">\n    <t/>\n  </p:s  >\n  <!-- c -->\n  <u xmlns="urn:u" />\n</p:r>';
    expect(expectAgreement(text)).toBe(true);
  });

  it("gives up on what it leaves to the conforming pass", () => {
    for (const text of ["<r>text</r>", "<r><![CDATA[x]]></r>", "<?pi?><r/>", "<r><?pi?></r>", "<é/>", '<r A="\u{1F600}"/>', '<?xml version="1.0"?><r/>x']) {
      expect(readBoth(text).plain, text).toBeUndefined();
    }
  });

  it("gives up beyond the depth limit, so that the conforming pass reports it", () => {
    const deep = "<a>".repeat(MAX_DEPTH + 1) + "</a>".repeat(MAX_DEPTH + 1);
    expect(readBoth(deep).plain).toBeUndefined();
    const limit = "<a>".repeat(MAX_DEPTH) + "</a>".repeat(MAX_DEPTH);
    expect(expectAgreement(limit)).toBe(true);
  });

  it("agrees with the conforming pass on random mutations of the demo's files", () => {
    const next = random(20261202);
    const files = listConfigFiles(DEMO).map(({ path }) => readFileSync(path));
    let agreed = 0;
    for (let n = 0; n < 1500; n++) {
      const decoded = decodeConfigBytes(mutate(files[n % files.length]!, next));
      if (decoded.ok && expectAgreement(decoded.text)) agreed++;
    }
    // Mutations often leave a file well-formed (an edit inside a value or a comment): the fast path must read those too.
    expect(agreed).toBeGreaterThan(100);
  });
});

// Documents and mutations shared by the XML tests: what a conforming parser refuses and accepts,
// and seeded random edits of real files.

/** [what, document, line, column] */
export const NOT_WELL_FORMED: [string, string, number, number][] = [
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

export const WELL_FORMED: [string, string][] = [
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

/** mulberry32: a small seeded generator, so that a failure can be replayed. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes XML gives meaning to, and some it forbids, to make mutations likely to matter. */
const INTERESTING = [..."<>&;\"'=/!?-[]#x: \t\r\n\f\0", "&amp;", "&#0;", "&#xD800;", "&foo;", "<!--", "-->", "<![CDATA[", "]]>", "<?xml ", "<!DOCTYPE a>", "\u00e9", "\ufeff"];

export function mutate(bytes: Buffer, next: () => number): Buffer {
  const pick = (n: number) => Math.floor(next() * n);
  let out = bytes;
  for (let edits = 1 + pick(4); edits > 0; edits--) {
    const at = pick(out.length + 1);
    switch (pick(5)) {
      case 0: // truncate
        out = out.subarray(0, at);
        break;
      case 1: // delete a run
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + pick(20))]);
        break;
      case 2: // insert something XML cares about
        out = Buffer.concat([out.subarray(0, at), Buffer.from(INTERESTING[pick(INTERESTING.length)]!), out.subarray(at)]);
        break;
      case 3: // a random byte
        out = Buffer.concat([out.subarray(0, at), Buffer.from([pick(256)]), out.subarray(at + 1)]);
        break;
      default: // duplicate a run elsewhere
        out = Buffer.concat([out.subarray(0, at), out.subarray(pick(out.length), pick(out.length) + 40), out.subarray(at)]);
    }
  }
  return out;
}


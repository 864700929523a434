import { describe, expect, it } from "vitest";
import { parseConfigFile } from "../../src/config/parse-config-file.js";

const parse = (text: string, limits = { maxFileBytes: 1_000_000, maxDepth: 64 }) =>
  parseConfigFile("f.xml", Buffer.from(text), limits);

describe("parseConfigFile", () => {
  it("gives every element and attribute its own line and column, with LF or CRLF", () => {
    for (const eol of ["\n", "\r\n"]) {
      const text = ['<?xml version="1.0"?>', "<ConfigurationFile>", '  <Job Identifier="J"', '       DisplayName_L1="a &amp; b">', "  </Job>", "</ConfigurationFile>"].join(eol);
      const { root, problems } = parse(text);
      expect(problems).toEqual([]);
      const job = root!.children[0]!;
      expect(job.span).toEqual({ file: "f.xml", line: 3, column: 3, endLine: 5 });
      expect(job.attributes).toEqual([
        { name: "Identifier", value: "J", span: { file: "f.xml", line: 3, column: 8, endLine: 3 } },
        { name: "DisplayName_L1", value: "a & b", span: { file: "f.xml", line: 4, column: 8, endLine: 4 } },
      ]);
      expect(root!.span).toEqual({ file: "f.xml", line: 2, column: 1, endLine: 6 });
    }
  });

  it("finds attribute positions when values hold '>' , '=' and the other quote", () => {
    const { root } = parse(`<ConfigurationFile>\n<Job A='x>"=y' B = "2"/></ConfigurationFile>`);
    expect(root!.children[0]!.attributes.map((a) => [a.name, a.value, a.span.column])).toEqual([
      ["A", 'x>"=y', 6],
      ["B", "2", 16],
    ]);
  });

  it("decodes the predefined entities and character references, and keeps spaces in values", () => {
    const { root } = parse(`<ConfigurationFile A="&lt;&amp;&gt;&quot;&apos;" B="a&#10;b&#x9;c&#233;" C="  x  "/>`);
    expect(root!.attributes.map((a) => a.value)).toEqual([`<&>"'`, "a\nb\tcé", "  x  "]);
  });

  it("turns line ends and tabs written in an attribute value into spaces, as XML does", () => {
    const { root } = parse(`<ConfigurationFile A="a\r\nb\tc\nd" B="x&#13;&#10;y"/>`);
    expect(root!.attributes.map((a) => a.value)).toEqual(["a b c d", "x\r\ny"]);
  });

  it("reports a syntax error where the parser finds it", () => {
    const { problems } = parse("<ConfigurationFile>\n  <Job>\n  </Jbo>\n</ConfigurationFile>");
    expect(problems).toMatchObject([{ code: "xml-syntax", line: 3, column: 3 }]);
  });

  it("refuses any DOCTYPE before expanding anything: XXE and billion laughs", () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<ConfigurationFile>&x;</ConfigurationFile>';
    const lol = `<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${"b".repeat(i + 1)} "${`&${i === 0 ? "a" : "b".repeat(i)};`.repeat(10)}">`).join("")}]>\n<ConfigurationFile Identifier="&bbbbbbbbb;"/>`;
    for (const text of [xxe, lol]) {
      const started = performance.now();
      const { root, problems } = parse(text);
      expect(root).toBeUndefined();
      expect(problems).toMatchObject([{ code: "xml-doctype", line: 2, column: 1 }]);
      expect(performance.now() - started).toBeLessThan(1000); // nothing was expanded
    }
  });

  it("does not mistake a DOCTYPE inside a comment for one", () => {
    const { problems } = parse("<!-- <!DOCTYPE x> -->\n<ConfigurationFile/>");
    expect(problems).toEqual([]);
  });

  it("refuses files over the size cap and nesting over the depth cap", () => {
    expect(parse("<ConfigurationFile/>", { maxFileBytes: 10, maxDepth: 64 }).problems).toMatchObject([{ code: "file-too-large" }]);
    const deep = `<ConfigurationFile>\n${"<a>".repeat(100)}${"</a>".repeat(100)}</ConfigurationFile>`;
    expect(parse(deep).problems).toMatchObject([{ code: "file-too-large", line: 2, column: 190, message: expect.stringContaining("nested") }]);
  });

  it("refuses empty and whitespace-only files", () => {
    expect(parse("").problems).toMatchObject([{ code: "empty-file", line: 1, column: 1 }]);
    expect(parse("  \r\n\t\n").problems).toMatchObject([{ code: "empty-file" }]);
  });
});

/**
 * One pass of a conforming XML 1.0 parser (saxes, plus the namespace rules of xml-namespaces.ts) over a file's text: it checks
 * well-formedness and builds the XmlElement tree with source spans at once. The product reads its
 * configuration with a conforming parser, so a document it would refuse is refused here too, at
 * the place the error is detected.
 *
 * The tree is built with an explicit stack (saxes keeps its own), so no nesting depth can overflow
 * the call stack; maxDepth is the only bound. Everything is linear in the size of the text.
 *
 * Most configuration files are only elements, attributes and comments: read-plain-xml-tree.ts
 * builds their tree first, several times faster, and hands anything else to this pass.
 */
import { SaxesParser } from "saxes";
import type { Problem } from "./problems.js";
import { isXmlChar, readPlainXmlTree } from "./read-plain-xml-tree.js";
import type { LineIndex } from "./source-text.js";
import { NamespaceScope } from "./xml-namespaces.js";
import type { Span, XmlElement } from "./xml-tree.js";

export interface XmlTreeResult {
  root?: XmlElement;
  problem?: Problem;
}

/** Thrown from a saxes handler to stop at the first problem: saxes itself would go on. */
const STOP = Symbol("stop");

export function readXmlTree(file: string, text: string, lines: LineIndex, maxDepth: number): XmlTreeResult {
  const plain = readPlainXmlTree(file, text, lines, maxDepth);
  return plain ? { root: plain } : readConformingXmlTree(file, text, lines, maxDepth);
}

/** The conforming pass alone: what decides every document the fast path gives up on. */
export function readConformingXmlTree(file: string, text: string, lines: LineIndex, maxDepth: number): XmlTreeResult {
  // forceXMLVersion: XML 1.1's rules are never applied (a 1.1 declaration is refused below).
  const parser = new SaxesParser({ xmlns: false, position: true, defaultXMLVersion: "1.0", forceXMLVersion: true });
  const stack: XmlElement[] = [];
  const namespaces = new NamespaceScope();
  /** Offsets of the current start tag's attribute names. */
  let attributeStarts: number[] = [];
  let root: XmlElement | undefined;
  let problem: Problem | undefined;
  /**
   * Offset of the `<` of the last start tag; where the last markup ended (for text out of place);
   * and the last place saxes reported from (a tag, an attribute, markup), after which only the
   * construct it is reading lies.
   */
  let tagStart = 0;
  let markupEnd = 0;
  let checkpoint = 0;
  let ended = false;

  const span = (start: number, end: number): Span => {
    const { line, column } = lines.position(start);
    return { file, line, column, endLine: end === start ? line : lines.line(end) };
  };
  const stop = (offset: number, code: Problem["code"], message: string, hint?: string): never => {
    const { line, column } = lines.position(offset);
    problem = { code, severity: "error", message, file, line, column, ...(hint ? { hint } : {}) };
    throw STOP;
  };

  parser.on("error", (error) => {
    const message = error.message.replace(/^\d+:\d+: /, "");
    const at = ended ? text.length : Math.max(0, parser.position - 1);
    // Saxes reads a reference up to the next `;`, wherever that is: find the reference's own error.
    const reference = findBadReference(text, checkpoint, at);
    const [offset, said] = reference ?? explain(message, at);
    stop(offset, "xml-syntax", said, message.startsWith("document must contain a root") ? "give the file a <ConfigurationFile> root, or remove it" : undefined);
  });
  /** Saxes says what it saw where it saw it; some errors read better at the start of the construct. */
  const explain = (message: string, at: number): [number, string] => {
    if (message.startsWith("unexpected close tag") || message.startsWith("unmatched closing tag")) {
      const lt = text.lastIndexOf("</", at);
      const name = /^<\/([^\s>]*)/.exec(text.slice(lt, lt + 200))?.[1] ?? "";
      // Saxes has just given the start tag it tried to close to the closetag handler.
      const open = message.startsWith("unexpected") ? lastClosed : undefined;
      return [lt, open ? `the end tag </${name}> does not match the start tag <${open.name}> on line ${open.span.line}` : `the end tag </${name}> has no start tag`];
    }
    if (message.startsWith("documents may contain only one root")) return [tagStart, "the file has a second root element: a file has exactly one"];
    if (message.startsWith("text data outside of root node")) {
      let k = markupEnd;
      while (k < at && isSpace(text.charCodeAt(k))) k++;
      return [k, stack.length === 0 && root === undefined ? "text before the root element" : "text after the root element's end tag"];
    }
    if (message.startsWith("unclosed tag")) {
      const open = stack[stack.length - 1]!;
      return [at, `the file ends before the end tag of <${open.name}> (line ${open.span.line})`];
    }
    if (message.startsWith("document must contain a root")) return [at, "the file has no root element"];
    return [at, message];
  };
  let lastClosed: XmlElement | undefined;

  parser.on("xmldecl", (decl) => {
    checkpoint = markupEnd = parser.position;
    if (decl.version !== undefined && decl.version !== "1.0") {
      stop(text.indexOf("version"), "xml-syntax", `XML version ${decl.version} is not supported: the product reads XML 1.0`, 'write <?xml version="1.0"?>');
    }
  });
  const markup = (): void => void (checkpoint = markupEnd = parser.position);
  parser.on("comment", markup);
  parser.on("processinginstruction", ({ target }) => {
    markup();
    if (target.includes(":")) stop(text.lastIndexOf("<?", markupEnd - 1), "xml-syntax", `a processing instruction's target may not hold a colon: ${target}`);
  });
  parser.on("cdata", markup);
  parser.on("opentag", () => {
    markup();
    const element = stack[stack.length - 1]!;
    const error = namespaces.open(element.name, element.attributes);
    if (error) stop(error[0] === -1 ? tagStart : attributeStarts[error[0]]!, "xml-syntax", error[1]);
  });
  parser.on("opentagstart", (tag) => {
    // The name and the character after it have been read, and a name holds no `<`.
    checkpoint = parser.position;
    tagStart = text.lastIndexOf("<", checkpoint - 1 - tag.name.length);
    if (stack.length >= maxDepth) stop(tagStart, "file-too-large", `elements are nested more than ${maxDepth} deep`, "raise the setting Validation.MaxDepth");
    const element: XmlElement = { name: tag.name, attributes: [], children: [], span: span(tagStart, tagStart) };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root ??= element;
    stack.push(element);
    attributeStarts = [];
  });
  parser.on("attribute", ({ name, value }) => {
    // Read just after the closing quote; the value holds no such quote, and `name S? = S?` precedes it.
    checkpoint = parser.position;
    const end = checkpoint - 1;
    let k = text.lastIndexOf(text[end]!, end - 1) - 1;
    while (isSpace(text.charCodeAt(k))) k--;
    k--; // the `=`
    while (isSpace(text.charCodeAt(k))) k--;
    const start = k + 1 - name.length;
    attributeStarts.push(start);
    stack[stack.length - 1]!.attributes.push({ name, value, span: span(start, end) });
  });
  parser.on("closetag", () => {
    const element = stack.pop()!;
    namespaces.close();
    checkpoint = markupEnd = parser.position;
    element.span.endLine = lines.line(markupEnd - 1);
    lastClosed = element;
  });

  try {
    parser.write(text);
    ended = true;
    parser.close();
  } catch (error) {
    if (error !== STOP) throw error;
    return { problem: problem! };
  }
  return { root: root! };
}

const PREDEFINED = new Set(["amp", "lt", "gt", "quot", "apos"]);
const NAME = /[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}][-.0-9\u00B7\u0300-\u036F\u203F-\u2040:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}]*/uy;

/**
 * The first reference in text[from, to] that XML refuses, as [offset, message]: at the character
 * that breaks `&name;`, `&#digits;` or `&#xhex;`, or at the `&` of an undefined entity or of a
 * reference to a character XML forbids. Only text or an attribute value lies between a checkpoint
 * and the error (markup would have reported), up to the first `<`.
 */
function findBadReference(text: string, from: number, to: number): [number, string] | undefined {
  const lt = text.indexOf("<", from);
  const end = lt === -1 || lt > to ? to : lt;
  for (let amp = text.indexOf("&", from); amp !== -1 && amp < end; amp = text.indexOf("&", amp + 1)) {
    const bad = checkReference(text, amp);
    if (bad) return bad;
  }
  return undefined;
}

function checkReference(text: string, amp: number): [number, string] | undefined {
  const literal = "a literal & must be written &amp;";
  let i = amp + 1;
  if (text[i] === "#") {
    const hex = text[++i] === "x";
    if (hex) i++;
    const digits = hex ? /[0-9a-fA-F]*/y : /[0-9]*/y;
    digits.lastIndex = i;
    const value = digits.exec(text)![0];
    i += value.length;
    if (value === "" || text[i] !== ";") return [i, `a character reference is &#digits; or &#xhex; (${literal})`];
    const code = Number.parseInt(value, hex ? 16 : 10);
    return isXmlChar(code) ? undefined : [amp, `${text.slice(amp, i + 1)} refers to a character XML does not allow`];
  }
  NAME.lastIndex = i;
  const name = NAME.exec(text)?.[0] ?? "";
  i += name.length;
  if (name === "" || text[i] !== ";") return [i, literal];
  return PREDEFINED.has(name) ? undefined : [amp, `undefined entity &${name};: only &amp; &lt; &gt; &quot; &apos; and character references are defined`];
}


function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

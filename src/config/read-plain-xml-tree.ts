/**
 * A fast path for the XML that configurations are made of: elements, attributes, white space and
 * comments, ASCII names, an optional `<?xml version="1.0"?>` declaration. It builds exactly the
 * tree the conforming pass (read-xml-tree.ts) builds, or gives up (undefined) at the first thing it
 * does not handle itself: text, CDATA, processing instructions, non-ASCII names, a surrogate, an
 * error of any kind. The conforming pass then reads the file from the start, so every refusal, and
 * its position and message, is still the conforming parser's.
 *
 * Giving up is always allowed; accepting is allowed only for a well-formed document. Character
 * classes below therefore leave out, rather than check, what is rare in configurations. Everything
 * is linear: each loop moves forward through the text, and nesting uses an explicit stack.
 */
import type { LineIndex } from "./source-text.js";
import { NamespaceScope } from "./xml-namespaces.js";
import type { Span, XmlAttribute, XmlElement } from "./xml-tree.js";

/** ASCII names; a colon is a name character, and the namespace rules say where it may stand. */
const NAME = /[A-Za-z_:][-A-Za-z0-9._:]*/y;
/** What an attribute value may not hold here: `<`, control characters other than white space, surrogates, U+FFFE, U+FFFF. */
const NOT_PLAIN_IN_VALUE = /[<\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** XML replaces each white space character of an attribute value (a CR LF pair as one) by a space. */
const WHITE_SPACE_IN_VALUE = /[\t\n\r]/;
const WHITE_SPACE_IN_VALUE_ALL = /\r\n|[\t\n\r]/g;
const REFERENCE_ALL = /&([^;&<"']{0,9})(;?)/g;
const PREDEFINED_REFERENCES = ["amp;", "lt;", "gt;", "quot;", "apos;"];
/** Longest value whose character references are replaced here; a longer one is left to the conforming pass, which needs less memory for it. */
const MAX_VALUE_WITH_CHARACTER_REFERENCES = 65_536;
const S = "[ \\t\\r\\n]";
const XML_DECLARATION = new RegExp(
  `<\\?xml${S}+version${S}*=${S}*(?:"1\\.0"|'1\\.0')` +
    `(?:${S}+encoding${S}*=${S}*(?:"[A-Za-z][-A-Za-z0-9._]*"|'[A-Za-z][-A-Za-z0-9._]*'))?` +
    `(?:${S}+standalone${S}*=${S}*(?:"(?:yes|no)"|'(?:yes|no)'))?${S}*\\?>`,
  "y",
);
/** Comment: no `--` inside, and not ending in `-`. */
const COMMENT = /<!--(?:[^-\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]|-[^-\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF])*-->/y;
const CHARACTER_REFERENCE = /^#(?:([0-9]{1,7})|x([0-9a-fA-F]{1,6}))$/;
const PREDEFINED = new Map([["lt", "<"], ["gt", ">"], ["amp", "&"], ["quot", '"'], ["apos", "'"]]);

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const BANG = 0x21;
const QUESTION = 0x3f;
const HASH = 0x23;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const SPACE = 0x20;

/** Thrown to give up; caught once at the top. */
const GIVE_UP = Symbol("give up");

export function readPlainXmlTree(file: string, text: string, lines: LineIndex, maxDepth: number): XmlElement | undefined {
  try {
    return new PlainReader(file, text, lines, maxDepth).document();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

class PlainReader {
  #i = 0;
  readonly #namespaces = new NamespaceScope();
  /** Names seen so far, by length and first character: a configuration repeats a few dozen names thousands of times. */
  readonly #names = new Map<number, string[]>();

  constructor(
    readonly file: string,
    readonly text: string,
    readonly lines: LineIndex,
    readonly maxDepth: number,
  ) {}

  document(): XmlElement {
    if (this.text.startsWith("<?xml")) this.#i = this.#sticky(XML_DECLARATION, 0);
    this.#misc();
    if (this.text.charCodeAt(this.#i) !== LT) giveUp();
    const root = this.#elements();
    this.#misc();
    if (this.#i !== this.text.length) giveUp();
    return root;
  }

  /** White space and comments, outside the root. */
  #misc(): void {
    const { text } = this;
    for (;;) {
      this.#spaces();
      if (!text.startsWith("<!--", this.#i)) return;
      this.#i = this.#sticky(COMMENT, this.#i);
    }
  }

  /** The root element and everything in it, at #i (a `<`). */
  #elements(): XmlElement {
    const { text } = this;
    const stack: XmlElement[] = [];
    for (;;) {
      // At a `<` in content (or the root's).
      const next = text.charCodeAt(this.#i + 1);
      if (next === SLASH) {
        const element = stack.pop() ?? giveUp();
        this.#endTag(element);
        if (stack.length === 0) return element;
      } else if (next === BANG) {
        if (stack.length === 0) giveUp();
        this.#i = this.#sticky(COMMENT, this.#i);
      } else {
        if (next === QUESTION || stack.length >= this.maxDepth) giveUp();
        const parent = stack[stack.length - 1];
        const [element, empty] = this.#startTag();
        if (parent) parent.children.push(element);
        if (!empty) stack.push(element);
        else if (!parent) return element;
      }
      this.#spaces();
      if (text.charCodeAt(this.#i) !== LT) giveUp(); // text, or the end of the file inside an element
    }
  }

  /** `<Name (S Attribute)* S? (> | />)`: the element, and whether it was empty (`/>`). */
  #startTag(): [XmlElement, boolean] {
    const { text } = this;
    const tagStart = this.#i;
    const name = this.#name(tagStart + 1);
    const attributes: XmlAttribute[] = [];
    const element: XmlElement = { name, attributes, children: [], span: this.#span(tagStart, tagStart) };
    let empty = false;
    for (;;) {
      const before = this.#i;
      this.#spaces();
      const c = text.charCodeAt(this.#i);
      if (c === GT) {
        this.#i++;
        break;
      }
      if (c === SLASH) {
        if (text.charCodeAt(this.#i + 1) !== GT) giveUp();
        this.#i += 2;
        empty = true;
        break;
      }
      if (this.#i === before) giveUp(); // an attribute needs white space before it
      const nameStart = this.#i;
      const attribute = this.#name(nameStart);
      for (const a of attributes) if (a.name === attribute) giveUp();
      this.#spaces();
      if (text.charCodeAt(this.#i) !== EQUALS) giveUp();
      this.#i++;
      this.#spaces();
      const value = this.#value();
      attributes.push({ name: attribute, value, span: this.#span(nameStart, this.#i - 1) });
    }
    if (this.#namespaces.open(name, attributes)) giveUp();
    if (empty) this.#close(element);
    return [element, empty];
  }

  /** `</Name S? >` of the open element. */
  #endTag(element: XmlElement): void {
    const name = this.#name(this.#i + 2);
    if (name !== element.name) giveUp();
    this.#spaces();
    if (this.text.charCodeAt(this.#i) !== GT) giveUp();
    this.#i++;
    this.#close(element);
  }

  #close(element: XmlElement): void {
    this.#namespaces.close();
    element.span.endLine = this.lines.line(this.#i - 1);
  }

  /** A quoted attribute value at #i, with references replaced and white space normalized as XML does; #i after the quote. */
  #value(): string {
    const { text } = this;
    const quote = text.charCodeAt(this.#i);
    if (quote !== QUOTE && quote !== APOSTROPHE) giveUp();
    const from = this.#i + 1;
    const end = text.indexOf(quote === QUOTE ? '"' : "'", from);
    if (end === -1) giveUp();
    this.#i = end + 1;
    const raw = text.slice(from, end);
    if (NOT_PLAIN_IN_VALUE.test(raw)) giveUp(); // `<`, a control character, a surrogate, U+FFFE/U+FFFF
    const value = WHITE_SPACE_IN_VALUE.test(raw) ? raw.replace(WHITE_SPACE_IN_VALUE_ALL, " ") : raw;
    return value.includes("&") ? replaceReferences(value) : value;
  }

  /** The name at offset `at`; #i after it. */
  #name(at: number): string {
    const { text } = this;
    NAME.lastIndex = at;
    if (!NAME.test(text)) giveUp();
    const end = (this.#i = NAME.lastIndex);
    const key = (end - at) * 128 + text.charCodeAt(at);
    let known = this.#names.get(key);
    if (known === undefined) this.#names.set(key, (known = []));
    for (const name of known) if (text.startsWith(name, at)) return name;
    const name = text.slice(at, end);
    if (known.length < 8) known.push(name);
    return name;
  }

  #spaces(): void {
    const { text } = this;
    let i = this.#i;
    for (let c = text.charCodeAt(i); c === SPACE || c === LF || c === CR || c === TAB; c = text.charCodeAt(++i));
    this.#i = i;
  }

  /** Where `pattern` ends when it matches at `at`; gives up otherwise. */
  #sticky(pattern: RegExp, at: number): number {
    pattern.lastIndex = at;
    if (!pattern.test(this.text)) giveUp();
    return pattern.lastIndex;
  }

  #span(start: number, end: number): Span {
    const { lines } = this;
    const line = lines.line(start);
    return { file: this.file, line, column: lines.column(start, line), endLine: end === start ? line : lines.line(end) };
  }
}

/**
 * A value (white space already normalized) with its references replaced. With only the five
 * predefined entities, native replaceAll does it in linear time and memory (`&amp;` last, so that
 * `&amp;lt;` gives `&lt;`); a character reference can produce a `&`, so then one pass does all.
 */
function replaceReferences(value: string): string {
  let characterReferences = false;
  for (let i = value.indexOf("&"); i !== -1; i = value.indexOf("&", i + 1)) {
    if (value.charCodeAt(i + 1) === HASH) characterReferences = true;
    else if (!PREDEFINED_REFERENCES.some((name) => value.startsWith(name, i + 1))) giveUp();
  }
  if (!characterReferences) {
    return value.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&apos;", "'").replaceAll("&amp;", "&");
  }
  if (value.length > MAX_VALUE_WITH_CHARACTER_REFERENCES) giveUp();
  return value.replace(REFERENCE_ALL, (_match: string, name: string, semicolon: string) => (semicolon === "" ? giveUp() : reference(name)));
}

/** What `&name;` stands for, for the five predefined entities and character references to characters XML allows. */
function reference(name: string): string {
  const predefined = PREDEFINED.get(name);
  if (predefined !== undefined) return predefined;
  const match = CHARACTER_REFERENCE.exec(name);
  if (!match) giveUp();
  const code = match[1] !== undefined ? Number.parseInt(match[1], 10) : Number.parseInt(match[2]!, 16);
  if (!isXmlChar(code)) giveUp();
  return String.fromCodePoint(code);
}

/** The Char production of XML 1.0: what a character reference may stand for. */
export function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

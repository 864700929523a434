/**
 * Parses one configuration file into an XmlElement tree with source spans, or into problems.
 * Hostile input is refused before the XML parser sees it: no DOCTYPE (so no DTD, no external or
 * internal entity, no billion laughs), a size cap, and a nesting cap.
 */
import { XMLParser, XMLValidator, type EntityDecoderOptions } from "fast-xml-parser";
import type { Problem } from "./problems.js";
import { decodeConfigBytes, LineIndex } from "./source-text.js";
import type { Span, XmlAttribute, XmlElement } from "./xml-tree.js";

export interface ParseLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Deepest element nesting accepted. */
  maxDepth: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxFileBytes: 50 * 1024 * 1024, maxDepth: 64 };

export interface ParsedFile {
  root?: XmlElement;
  problems: Problem[];
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;

/**
 * XML's five predefined entities and character references, nothing else: a DOCTYPE, the only way to
 * declare other entities, never reaches the parser.
 */
function decodeReferences(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(REFERENCE, (all, hex?: string, dec?: string, name?: string) => {
    if (name) return NAMED_ENTITIES[name]!;
    const code = Number.parseInt(hex ?? dec!, hex ? 16 : 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

const ENTITY_DECODER: EntityDecoderOptions = {
  decode: decodeReferences,
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
};

/**
 * An attribute value as XML defines it: line ends and tabs written literally become spaces
 * (references such as &#10; stay what they say), then references are decoded.
 */
function attributeValueOf(raw: string): string {
  return decodeReferences(raw.replace(/\r\n?|[\n\t]/g, " "));
}

// Attributes are read from the source text by TreeBuilder, which needs their positions anyway;
// the parser gives the element tree and offsets, and skipping attributes makes it much faster.
const PARSER_OPTIONS = {
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: true,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  entityDecoder: ENTITY_DECODER,
} as const;
const parsers = new Map<number, XMLParser>();
const META = XMLParser.getMetaDataSymbol();

export function parseConfigFile(file: string, bytes: Uint8Array, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedFile {
  const at = (line: number, column: number, code: Problem["code"], message: string, hint?: string): ParsedFile => ({
    problems: [{ code, severity: "error", message, file, line, column, ...(hint ? { hint } : {}) }],
  });
  const tooLarge = checkFileSize(file, bytes.length, limits);
  if (tooLarge) return { problems: [tooLarge] };
  const decoded = decodeConfigBytes(bytes);
  if (!decoded.ok) return at(1, 1, "xml-encoding", decoded.message);
  const text = decoded.text;
  if (text.trim() === "") return at(1, 1, "empty-file", "the file is empty", "remove it, or give it a <ConfigurationFile> root");
  const lines = new LineIndex(text);

  const doctype = findDoctype(text);
  if (doctype !== -1) {
    const p = lines.position(doctype);
    return at(p.line, p.column, "xml-doctype", "DOCTYPE declarations are not allowed (no DTD, no entities)",
      "remove the <!DOCTYPE ...> declaration; use &amp; &lt; &gt; &quot; &apos; or numeric character references");
  }
  const syntax = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (syntax !== true) return at(syntax.err.line, syntax.err.col, "xml-syntax", syntax.err.msg);
  let parser = parsers.get(limits.maxDepth);
  if (!parser) parsers.set(limits.maxDepth, (parser = new XMLParser({ ...PARSER_OPTIONS, maxNestedTags: limits.maxDepth })));
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch (error) {
    // The parser enforces the nesting cap but does not say where; finding the place costs a scan,
    // paid only on this path.
    const deep = findTooDeep(text, limits.maxDepth);
    if (deep === -1) return at(1, 1, "xml-syntax", (error as Error).message);
    const p = lines.position(deep);
    return at(p.line, p.column, "file-too-large", `elements are nested more than ${limits.maxDepth} deep`);
  }
  const builder = new TreeBuilder(file, text, lines);
  const roots = nodes.flatMap((n) => builder.element(n));
  if (roots.length === 0) return at(1, 1, "empty-file", "the file has no root element");
  return { root: roots[0], problems: [] };
}

/** Checked before reading too, so that a huge file is never loaded. */
export function checkFileSize(file: string, size: number, limits: ParseLimits): Problem | undefined {
  if (size <= limits.maxFileBytes) return undefined;
  return {
    code: "file-too-large",
    severity: "error",
    message: `the file is ${size} bytes; the limit is ${limits.maxFileBytes}`,
    hint: "split it into several files, or raise the setting Validation.MaxFileBytes",
    file,
    line: 1,
    column: 1,
  };
}

type OrderedNode = Record<string, unknown>;

class TreeBuilder {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly lines: LineIndex,
  ) {}

  element(node: OrderedNode): XmlElement[] {
    const name = Object.keys(node)[0];
    if (name === undefined || name === "#text") return [];
    const meta = (node as unknown as Record<symbol, { startIndex: number; endIndex?: number } | undefined>)[META as unknown as symbol];
    const start = meta?.startIndex ?? 0;
    const children = (node[name] as OrderedNode[]).flatMap((c) => this.element(c));
    const end = meta?.endIndex ?? start;
    return [{ name, attributes: this.attributes(start, name), children, span: this.span(start, end) }];
  }

  span(start: number, end: number): Span {
    const { line, column } = this.lines.position(start);
    return { file: this.file, line, column, endLine: this.lines.line(end) };
  }

  /** Reads the start tag's attributes and their positions; the validator has checked its syntax. */
  attributes(tagStart: number, name: string): XmlAttribute[] {
    const text = this.text;
    const result: XmlAttribute[] = [];
    let i = tagStart + 1 + name.length;
    while (i < text.length) {
      while (isSpace(text.charCodeAt(i))) i++;
      const c = text[i];
      if (c === ">" || c === "/" || c === undefined) break;
      const nameStart = i;
      while (i < text.length && text[i] !== "=" && !isSpace(text.charCodeAt(i))) i++;
      const attrName = text.slice(nameStart, i);
      while (text[i] !== '"' && text[i] !== "'") i++;
      const valueEnd = text.indexOf(text[i]!, i + 1);
      const value = attributeValueOf(text.slice(i + 1, valueEnd));
      i = valueEnd + 1;
      result.push({ name: attrName, value, span: this.span(nameStart, valueEnd) });
    }
    return result;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Offset of a `<!DOCTYPE` that is not inside a comment or CDATA section, or -1. */
function findDoctype(text: string): number {
  for (let i = text.indexOf("<!DOCTYPE"); i !== -1; i = text.indexOf("<!DOCTYPE", i + 1)) {
    const comment = text.lastIndexOf("<!--", i);
    if (comment !== -1 && text.indexOf("-->", comment) > i) continue;
    const cdata = text.lastIndexOf("<![CDATA[", i);
    if (cdata !== -1 && text.indexOf("]]>", cdata) > i) continue;
    return i;
  }
  return -1;
}

/**
 * Offset of the first start tag nested deeper than maxDepth, or -1. Runs on text the validator
 * accepted, so tags are well formed; quotes are tracked because `>` is legal in attribute values.
 */
function findTooDeep(text: string, maxDepth: number): number {
  let depth = 0;
  for (let i = text.indexOf("<"); i !== -1; i = text.indexOf("<", i + 1)) {
    const next = text[i + 1];
    if (next === "!") {
      const close = text.startsWith("<!--", i) ? text.indexOf("-->", i) : text.startsWith("<![CDATA[", i) ? text.indexOf("]]>", i) : text.indexOf(">", i);
      i = close;
      continue;
    }
    if (next === "?") {
      i = text.indexOf("?>", i);
      continue;
    }
    if (next === "/") {
      depth--;
      continue;
    }
    let quote = "";
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (quote) {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ">") break;
    }
    if (text[j - 1] !== "/") {
      depth++;
      if (depth > maxDepth) return i;
    }
    i = j;
  }
  return -1;
}

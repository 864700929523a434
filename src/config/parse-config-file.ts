/**
 * Parses one configuration file into an XmlElement tree with source spans, or into problems.
 * Hostile input is refused before the XML parser sees it: no DOCTYPE (so no DTD, no external or
 * internal entity, no billion laughs) and a size cap; the parser (read-xml-tree.ts) refuses what
 * is not well-formed and nesting over the depth cap.
 */
import type { Problem } from "./problems.js";
import { readXmlTree } from "./read-xml-tree.js";
import { decodeConfigBytes, LineIndex } from "./source-text.js";
import type { XmlElement } from "./xml-tree.js";

export interface ParseLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Deepest element nesting accepted. */
  maxDepth: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxFileBytes: 50 * 1024 * 1024, maxDepth: 64 };

/** The parse limits of each file, and the total size of the folder's XML. */
export interface ValidationLimits extends ParseLimits {
  /** Largest total of the folder's XML files, in bytes: together they are held in memory. */
  maxFolderBytes: number;
}

export const DEFAULT_VALIDATION_LIMITS: ValidationLimits = { ...DEFAULT_PARSE_LIMITS, maxFolderBytes: 256 * 1024 * 1024 };

export interface ParsedFile {
  root?: XmlElement;
  problems: Problem[];
}

export function parseConfigFile(file: string, bytes: Uint8Array, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedFile {
  const at = (line: number, column: number, code: Problem["code"], message: string, hint?: string): ParsedFile => ({
    problems: [{ code, severity: "error", message, file, line, column, ...(hint ? { hint } : {}) }],
  });
  const tooLarge = checkFileSize(file, bytes.length, limits);
  if (tooLarge) return { problems: [tooLarge] };
  const decoded = decodeConfigBytes(bytes);
  if (!decoded.ok) return at(1, 1, "xml-encoding", decoded.message);
  const text = decoded.text;
  if (isBlank(text)) return at(1, 1, "empty-file", "the file is empty", "remove it, or give it a <ConfigurationFile> root");
  const lines = new LineIndex(text);

  const doctype = findDoctype(text);
  if (doctype !== -1) {
    const p = lines.position(doctype);
    return at(p.line, p.column, "xml-doctype", "DOCTYPE declarations are not allowed (no DTD, no entities)",
      "remove the <!DOCTYPE ...> declaration; use &amp; &lt; &gt; &quot; &apos; or numeric character references");
  }
  const { root, problem } = readXmlTree(file, text, lines, limits.maxDepth);
  return problem ? { problems: [problem] } : { root: root!, problems: [] };
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

/** Only XML white space (a form feed or a no-break space is not). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Offset of a `<!DOCTYPE` in the prolog (after any declaration, comments and processing
 * instructions), or -1. Looked for before the parser runs, so that no DTD is ever read; a DOCTYPE
 * anywhere else is a syntax error the parser reports.
 */
function findDoctype(text: string): number {
  let i = 0;
  for (;;) {
    while (isSpace(text.charCodeAt(i))) i++;
    const close = text.startsWith("<?", i) ? "?>" : text.startsWith("<!--", i) ? "-->" : undefined;
    if (close === undefined) return text.startsWith("<!DOCTYPE", i) ? i : -1;
    const end = text.indexOf(close, i + 2);
    if (end === -1) return -1; // unterminated: the parser says so
    i = end + close.length;
  }
}

/**
 * Positions inside an attribute's value: an error found at character `index` of the decoded value
 * (an expression's syntax error, an unknown property name) is reported at the line and column of
 * that character in the file. The decoded value differs from the source text by its entity
 * references (`&quot;` is one character) and line breaks (normalised to spaces), so the source text
 * is walked again.
 */
import type { SourcePosition } from "./problems.js";
import { LineIndex } from "./source-text.js";
import type { XmlAttribute } from "./xml-tree.js";

/** Where character `index` of `attribute`'s decoded value is in `text` (the file the attribute was read from). */
export function attributeValuePosition(text: string, attribute: XmlAttribute, index: number): SourcePosition {
  const lines = new LineIndex(text);
  const lineStart = lineStartOffset(text, attribute.span.line);
  let i = lineStart + attribute.span.column - 1 + attribute.name.length;
  while (i < text.length && text[i] !== '"' && text[i] !== "'") i++;
  const quote = text[i];
  i++;
  for (let decoded = 0; decoded < index && i < text.length && text[i] !== quote; decoded++) {
    if (text[i] === "&") {
      const end = text.indexOf(";", i);
      i = end === -1 ? i + 1 : end + 1;
    } else if (text[i] === "\r" && text[i + 1] === "\n") i += 2;
    else i++;
  }
  const { line, column } = lines.position(i);
  return { file: attribute.span.file, line, column };
}

function lineStartOffset(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}

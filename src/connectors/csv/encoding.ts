/**
 * The text encodings of InvokeSqlCommandTask's CSV files (attribute Encoding): every name iconv-lite
 * knows, plus the .NET names it lacks (`unicode`, `unicodeFFFE`). UTF-8 (the default) is written
 * without a byte order mark; UTF-16 and UTF-32, whatever their byte order, with one, so that a reader
 * can tell their byte order. A character the encoding cannot hold becomes "?" (iconv-lite's rule).
 */
import iconv from "iconv-lite";
import { canonicalEncoding, isKnownEncoding } from "../../config/text-encoding.js";

export const DEFAULT_ENCODING = "utf-8";

const WITH_BOM = /^(utf-?16|utf-?32|ucs-?2)/;

export interface TextEncoder {
  /** The encoding's name as written in the configuration. */
  readonly name: string;
  /** The bytes of text; the first call adds the byte order mark, when the encoding has one. */
  encode(text: string): Buffer;
}

export function createEncoder(name: string = DEFAULT_ENCODING): TextEncoder {
  if (!isKnownEncoding(name)) {
    throw new Error(
      `unknown Encoding "${name}": write utf-8 (the default), utf-16, latin1, windows-1252 or another name iconv-lite knows`,
    );
  }
  const known = canonicalEncoding(name);
  // Buffer's own UTF-8 is the fast path of the default (iconv-lite does the same, one call deeper).
  if (known === "utf-8" || known === "utf8") return { name, encode: (text) => Buffer.from(text, "utf8") };
  const encoder = iconv.getEncoder(known, { addBOM: WITH_BOM.test(known) });
  return { name, encode: (text) => encoder.write(text) };
}

/**
 * Turns the bytes of a configuration file into text, and text offsets into line/column.
 * The reference product writes UTF-8; Windows editors also save UTF-16 with a byte order mark.
 * Anything else is refused rather than guessed, so that no identifier is silently mangled.
 */

export type DecodeResult = { ok: true; text: string } | { ok: false; message: string };

const DECLARED_ENCODING = /^<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/;

export function decodeConfigBytes(bytes: Uint8Array): DecodeResult {
  const [b0, b1, b2, b3] = bytes;
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    return { ok: false, message: "UTF-32 is not supported: save the file as UTF-8" };
  }
  let text: string;
  let encoding: "utf-8" | "utf-16le" | "utf-16be";
  try {
    if (b0 === 0xff && b1 === 0xfe) {
      encoding = "utf-16le";
      text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes.subarray(2));
    } else if (b0 === 0xfe && b1 === 0xff) {
      encoding = "utf-16be";
      text = new TextDecoder("utf-16be", { fatal: true }).decode(bytes.subarray(2));
    } else {
      if ((b0 === 0x3c && b1 === 0) || (b0 === 0 && b1 === 0x3c)) {
        return { ok: false, message: "UTF-16 without a byte order mark is not supported: save it with a BOM, or as UTF-8" };
      }
      encoding = "utf-8";
      const start = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? 3 : 0;
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start));
    }
  } catch {
    return { ok: false, message: "the file is not valid UTF-8 (nor UTF-16 with a byte order mark): save it as UTF-8" };
  }
  const declared = DECLARED_ENCODING.exec(text)?.[1]?.toLowerCase();
  if (declared !== undefined && !isCompatible(declared, encoding)) {
    return {
      ok: false,
      message: `the file declares encoding "${declared}" but only UTF-8 and UTF-16 (with a byte order mark) are supported`,
    };
  }
  return { ok: true, text };
}

function isCompatible(declared: string, actual: string): boolean {
  if (declared === "utf-8" || declared === "utf8") return actual === "utf-8";
  // A UTF-16 file's declaration rarely names the byte order; the BOM already told us.
  if (declared === "utf-16" || declared === "unicode") return actual !== "utf-8";
  return declared === actual;
}

/** Maps string offsets to 1-based line and column; CRLF and LF both end a line. */
export class LineIndex {
  readonly #lineStarts: number[];

  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.#lineStarts = starts;
  }

  /** The last line found (0-based): the parser asks in text order, mostly on that line or the next. */
  #last = 0;

  line(offset: number): number {
    const starts = this.#lineStarts;
    const last = this.#last;
    if (starts[last]! <= offset) {
      if (last + 1 >= starts.length || offset < starts[last + 1]!) return last + 1;
      if (last + 2 >= starts.length || offset < starts[last + 2]!) return (this.#last = last + 1) + 1;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.#last = lo;
    return lo + 1;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.line(offset);
    return { line, column: this.column(offset, line) };
  }

  /** The column of an offset on its line (as line() gave it). */
  column(offset: number, line: number): number {
    return offset - this.#lineStarts[line - 1]! + 1;
  }
}

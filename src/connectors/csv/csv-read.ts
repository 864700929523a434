/**
 * A streaming RFC 4180 CSV reader: fields separated by commas (or another one-character separator),
 * records ended by CRLF, LF or a lone CR, a field quoted with `"` may hold separators, quotes
 * (doubled) and line ends. A UTF-8 byte order mark at the start of the
 * file is dropped; a record with fewer fields than the header is padded with empty fields by the
 * caller; an empty line is skipped. An empty field and `""` both read as "" (no value). A quote
 * inside an unquoted field is kept as text; text after a closing quote, or a quote left open at the
 * end of the file, is a syntax error naming the line.
 */
import { createReadStream } from "node:fs";

export class CsvSyntaxError extends Error {}

/** A record: its fields, or (CsvParser.pushLines) the plain line they are split from. */
export type CsvRow = string[] | string;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

export class CsvParser {
  #state = State.FieldStart;
  #field = "";
  #record: string[] = [];
  #started = false;
  #afterCr = false;
  /** The line being read (1-based), and the line its current record started on. */
  line = 1;
  #recordLine = 1;
  /** A quoted field's CR ended the last piece: the LF that may open the next one is the same line end. */
  #quotedCr = false;
  readonly #separator: string;
  readonly #separatorCode: number;

  constructor(readonly source = "CSV", separator = ",") {
    if (separator.length !== 1 || separator === '"' || separator === "\r" || separator === "\n") throw new Error(`a CSV separator is one character other than a quote or a line end, not ${JSON.stringify(separator)}`);
    this.#separator = separator;
    this.#separatorCode = separator.charCodeAt(0);
  }

  /** Parses the next piece of text; returns the records it completed. */
  push(text: string): string[][] {
    return this.#parse(text, false) as string[][];
  }

  /**
   * push(), except that a record read as a plain line (no quote, no CR, whole in the text) is returned
   * as that line, not split: a caller that only needs some lines' values splits those (line.split(separator)).
   */
  pushLines(text: string): CsvRow[] {
    return this.#parse(text, true);
  }

  #parse(text: string, plainLines: boolean): CsvRow[] {
    // PostgreSQL cannot hold NUL in text: a value with one would poison every later step.
    const nul = text.indexOf("\u0000");
    if (nul !== -1) throw new CsvSyntaxError(`${this.source} line ${this.lineAt(text, nul)}: a NUL character (U+0000), which a text value cannot hold`);
    const records: CsvRow[] = [];
    let i = 0;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (this.#afterCr) {
        this.#afterCr = false;
        if (c === "\n") continue; // the LF of a CRLF already ended the record (or the line inside quotes)
      }
      // Most records are a whole line without quotes or a lone CR: split natively, not a character at a time.
      if (this.#state === State.FieldStart && this.#record.length === 0 && this.#field === "") {
        const lf = text.indexOf("\n", i);
        if (lf !== -1) {
          const line = text.slice(i, lf > i && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf);
          if (!line.includes('"') && !line.includes("\r")) {
            if (line !== "") records.push(plainLines ? line : line.split(this.#separator));
            this.line++;
            this.#recordLine = this.line;
            i = lf;
            continue;
          }
        }
      }
      switch (this.#state) {
        case State.Quoted: {
          const next = text.indexOf('"', i);
          const end = next === -1 ? text.length : next;
          const chunk = text.slice(i, end);
          this.#countLines(chunk);
          this.#field += chunk;
          i = end;
          if (next !== -1) this.#state = State.QuoteInQuoted;
          continue;
        }
        case State.QuoteInQuoted:
          if (c === '"') {
            this.#field += '"';
            this.#state = State.Quoted;
            continue;
          }
          if (c !== this.#separator && c !== "\r" && c !== "\n") {
            throw new CsvSyntaxError(`${this.source} line ${this.line}: text after a closing quote`);
          }
          break;
        case State.FieldStart:
          if (c === '"') {
            this.#state = State.Quoted;
            continue;
          }
          break;
        case State.Unquoted:
          break;
      }
      // Unquoted text, or a separator after any field.
      if (c === this.#separator) {
        this.#record.push(this.#field);
        this.#field = "";
        this.#state = State.FieldStart;
      } else if (c === "\r" || c === "\n") {
        if (c === "\r") this.#afterCr = true;
        this.#endRecord(records);
        this.line++;
        this.#recordLine = this.line;
      } else {
        // The rest of an unquoted field in one slice (a quote in it is text).
        let end = i + 1;
        while (end < text.length) {
          const code = text.charCodeAt(end);
          if (code === this.#separatorCode || code === 13 || code === 10) break;
          end++;
        }
        this.#field += text.slice(i, end);
        this.#state = State.Unquoted;
        i = end - 1;
      }
    }
    return records;
  }

  /** Ends the text: returns the last record when it has no line end. */
  end(): string[][] {
    if (this.#state === State.Quoted) {
      throw new CsvSyntaxError(`${this.source} line ${this.#recordLine}: a quoted field is not closed at the end of the file`);
    }
    const records: string[][] = [];
    this.#endRecord(records);
    return records;
  }

  #endRecord(records: CsvRow[]): void {
    const empty = this.#record.length === 0 && this.#field === "" && this.#state === State.FieldStart;
    if (!empty) {
      this.#record.push(this.#field);
      records.push(this.#record);
    }
    this.#record = [];
    this.#field = "";
    this.#state = State.FieldStart;
  }

  /** The line of `text[offset]`, `text` being the next piece to push. */
  lineAt(text: string, offset: number): number {
    const before = text.slice(0, offset);
    return this.line + (before.match(/\r\n|\r|\n/g)?.length ?? 0);
  }

  #countLines(chunk: string): void {
    for (let j = 0; j < chunk.length; j++) {
      const c = chunk.charCodeAt(j);
      const afterCr = j > 0 ? chunk.charCodeAt(j - 1) === 13 : this.#quotedCr;
      if (c === 13 || (c === 10 && !afterCr)) this.line++;
    }
    if (chunk.length > 0) this.#quotedCr = chunk.charCodeAt(chunk.length - 1) === 13;
  }
}

/**
 * The records of a UTF-8 CSV file, a chunk (of up to 64 KB) at a time. Bytes that are not UTF-8 are an
 * error naming the line, not U+FFFD: a value silently changed would be synchronized as a change.
 */
export function readCsvChunks(path: string, signal?: AbortSignal): AsyncGenerator<string[][]> {
  return readChunks(path, signal, false) as AsyncGenerator<string[][]>;
}

/** readCsvChunks, plain lines left whole (CsvParser.pushLines). */
export function readCsvLineChunks(path: string, signal?: AbortSignal): AsyncGenerator<CsvRow[]> {
  return readChunks(path, signal, true);
}

const READ_BYTES = 256 * 1024;
/** 64 KB: the text decoded stays an ordinary heap object (see csv-write.ts' CHUNK_CHARS). */
const TEXT_BYTES = 64 * 1024;

async function* readChunks(path: string, signal: AbortSignal | undefined, plainLines: boolean): AsyncGenerator<CsvRow[]> {
  const parser = new CsvParser(path);
  const push = (text: string) => (plainLines ? parser.pushLines(text) : parser.push(text));
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  // Read READ_BYTES at a time (fewer waits on the file system), decoded TEXT_BYTES at a time.
  const stream = createReadStream(path, { highWaterMark: READ_BYTES });
  try {
    for await (const read of stream as AsyncIterable<Buffer>) {
      for (let at = 0; at < read.length; at += TEXT_BYTES) {
        signal?.throwIfAborted();
        const records = push(decodeStrictly(decoder, read.subarray(at, at + TEXT_BYTES), parser));
        if (records.length > 0) yield records;
      }
    }
    const last = [...push(decodeStrictly(decoder, undefined, parser)), ...parser.end()];
    if (last.length > 0) yield last;
  } finally {
    stream.destroy();
  }
}

/** The next piece of text, or an error at the line of the first byte that is not UTF-8 (`bytes` undefined: the end of the file). */
function decodeStrictly(decoder: InstanceType<typeof TextDecoder>, bytes: Buffer | undefined, parser: CsvParser): string {
  try {
    return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
  } catch {
    const valid = bytes === undefined ? 0 : validPrefixLength(bytes);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes?.subarray(0, valid));
    throw new CsvSyntaxError(`${parser.source} line ${parser.lineAt(text, text.length)}: bytes that are not UTF-8 text`);
  }
}

/** How many first bytes decode (a sequence cut at the end counts as valid): found by halving, each step one decode. */
function validPrefixLength(bytes: Buffer): number {
  const decodes = (length: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (decodes(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The records of a CSV file one by one. */
export async function* readCsvRecords(path: string, signal?: AbortSignal): AsyncGenerator<string[]> {
  for await (const chunk of readCsvChunks(path, signal)) yield* chunk;
}

/**
 * The records of a CSV file one by one without a promise per record: `take()` returns the next record
 * of the chunk at hand, and only when it is used up does `await next()` read the next chunk.
 */
export class CsvCursor {
  readonly #chunks: AsyncGenerator<string[][]>;
  #chunk: string[][] = [];
  #index = 0;

  constructor(path: string, signal?: AbortSignal) {
    this.#chunks = readCsvChunks(path, signal);
  }

  take(): string[] | undefined {
    return this.#index < this.#chunk.length ? this.#chunk[this.#index++] : undefined;
  }

  async next(): Promise<string[] | undefined> {
    for (;;) {
      const result = await this.#chunks.next();
      if (result.done) return undefined;
      this.#chunk = result.value;
      this.#index = 0;
      const record = this.take();
      if (record !== undefined) return record;
    }
  }

  async close(): Promise<void> {
    await this.#chunks.return(undefined);
  }
}

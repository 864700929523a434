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

  constructor(private readonly source = "CSV", separator = ",") {
    if (separator.length !== 1 || separator === '"' || separator === "\r" || separator === "\n") throw new Error(`a CSV separator is one character other than a quote or a line end, not ${JSON.stringify(separator)}`);
    this.#separator = separator;
    this.#separatorCode = separator.charCodeAt(0);
  }

  /** Parses the next piece of text; returns the records it completed. */
  push(text: string): string[][] {
    const records: string[][] = [];
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

  #endRecord(records: string[][]): void {
    const empty = this.#record.length === 0 && this.#field === "" && this.#state === State.FieldStart;
    if (!empty) {
      this.#record.push(this.#field);
      records.push(this.#record);
    }
    this.#record = [];
    this.#field = "";
    this.#state = State.FieldStart;
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

/** The records of a UTF-8 CSV file, a chunk (of up to 64 KB of text) at a time. */
export async function* readCsvChunks(path: string, signal?: AbortSignal): AsyncGenerator<string[][]> {
  const parser = new CsvParser(path);
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 64 * 1024 });
  try {
    for await (const text of stream as AsyncIterable<string>) {
      signal?.throwIfAborted();
      const records = parser.push(text);
      if (records.length > 0) yield records;
    }
    const last = parser.end();
    if (last.length > 0) yield last;
  } finally {
    stream.destroy();
  }
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

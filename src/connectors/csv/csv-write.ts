/**
 * The CSV files prepare writes, in CsvText's TEXT_ONLY style (csv-text.ts): UTF-8 without a byte
 * order mark, CRLF line ends, an empty value an empty field. Text is kept until about 32 K
 * characters, then written: memory stays flat whatever the file size.
 *
 * Writes are synchronous: a row costs a string append, not a promise, and the rare 32 K write
 * blocks for well under a millisecond. Prepare writes millions of rows; awaiting each was a third of its time.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { csvRecord, TEXT_ONLY } from "./csv-text.js";

/**
 * Small enough that the text written, once flattened, is an ordinary heap object (V8 puts larger
 * ones in a space only a full collection frees, where a file's worth of them piled up).
 */
export const CHUNK_CHARS = 32 * 1024;

/** Quotes, line ends or a byte order mark somewhere in a record: some field may need quotes. */
const MAY_NEED_QUOTES = /["\r\n\uFEFF]/;

/** One record of prepare's files, CRLF included. */
export function csvLine(values: readonly string[]): string {
  // Most records need no quotes: one native join and one scan, rather than a test per field.
  const joined = values.join(",");
  if (MAY_NEED_QUOTES.test(joined)) return csvRecord(values, TEXT_ONLY);
  for (const value of values) if (value.includes(",")) return csvRecord(values, TEXT_ONLY);
  return joined + "\r\n";
}

/**
 * Text written to a file about CHUNK_CHARS at a time, synchronously (see the top of this file). The
 * file is opened by the caller; `close` writes what is left and closes it.
 */
export class TextWriter {
  #text = "";
  #fd: number | undefined;

  constructor(
    readonly path: string,
    fd: number,
  ) {
    this.#fd = fd;
  }

  write(text: string): void {
    this.#text += text;
    if (this.#text.length >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.#text.length === 0 || this.#fd === undefined) return;
    const bytes = Buffer.from(this.#text, "utf8");
    this.#text = "";
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset);
  }

  /** Writes what is left (unless the work failed) and closes the file; closing twice does nothing. */
  close(complete = true): void {
    if (this.#fd === undefined) return;
    try {
      if (complete) this.flush();
    } finally {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
}

/** A CSV file of prepare's: its header, then records, each written from values or as a line already encoded (csvLine). */
export class CsvWriter {
  readonly #text: TextWriter;
  rows = 0;

  private constructor(path: string, fd: number) {
    this.#text = new TextWriter(path, fd);
  }

  /** Creates the file (it must not exist) and writes the header. */
  static create(path: string, header: readonly string[]): CsvWriter {
    const writer = new CsvWriter(path, openSync(path, "wx"));
    writer.#text.write(csvLine(header));
    return writer;
  }

  get path(): string {
    return this.#text.path;
  }

  write(values: readonly string[]): void {
    this.writeLine(csvLine(values));
  }

  /** A record already encoded, CRLF included. */
  writeLine(line: string): void {
    this.#text.write(line);
    this.rows++;
  }

  /** Writes what is left (unless the work failed) and closes the file; closing twice does nothing. */
  close(complete = true): void {
    this.#text.close(complete);
  }
}

/**
 * The CSV files prepare writes, in CsvText's TEXT_ONLY style (csv-text.ts): UTF-8 without a byte
 * order mark, CRLF line ends, an empty value an empty field. Text is kept until about 256 K
 * characters, then written: memory stays flat whatever the file size.
 *
 * Writes are synchronous: a row costs a string append, not a promise, and the rare 256 K write
 * blocks for well under a millisecond. Prepare writes millions of rows; awaiting each was a third of its time.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { csvRecord, CsvText, TEXT_ONLY } from "./csv-text.js";

const CHUNK_CHARS = 256 * 1024;

/** One record of prepare's files, CRLF included. */
export function csvLine(values: readonly string[]): string {
  return csvRecord(values, TEXT_ONLY);
}

export class CsvWriter {
  readonly #text = new CsvText(TEXT_ONLY);
  #fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.#fd = fd;
  }

  /** Creates the file (it must not exist) and writes the header. */
  static create(path: string, header: readonly string[]): CsvWriter {
    const writer = new CsvWriter(path, openSync(path, "wx"));
    writer.#text.header(header);
    return writer;
  }

  get rows(): number {
    return this.#text.rows;
  }

  write(values: readonly string[]): void {
    this.#text.row(values);
    if (this.#text.length >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.#text.length === 0 || this.#fd === undefined) return;
    const bytes = Buffer.from(this.#text.take(), "utf8");
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

/**
 * The CSV files prepare writes: UTF-8 without a byte order mark, CRLF line ends, a field quoted when
 * it holds a comma, a quote, CR or LF (or starts with U+FEFF, which a reader would take for a byte
 * order mark), its quotes doubled; an empty value is an empty field. Text is kept until about
 * 256 K characters, then written: memory stays flat whatever the file size.
 */
import { open, type FileHandle } from "node:fs/promises";

const NEEDS_QUOTES = /[",\r\n]|^\uFEFF/;
const CHUNK_CHARS = 256 * 1024;

export function csvLine(values: readonly string[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as string;
    if (i > 0) line += ",";
    line += NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  }
  return line + "\r\n";
}

export class CsvWriter {
  #text = "";
  rows = 0;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates the file (it must not exist) and writes the header. */
  static async create(path: string, header: readonly string[]): Promise<CsvWriter> {
    const writer = new CsvWriter(path, await open(path, "wx"));
    writer.#text = csvLine(header);
    return writer;
  }

  async write(values: readonly string[]): Promise<void> {
    this.#text += csvLine(values);
    this.rows++;
    if (this.#text.length >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#text === "") return;
    const bytes = Buffer.from(this.#text, "utf8");
    this.#text = "";
    let offset = 0;
    while (offset < bytes.length) offset += (await this.handle.write(bytes, offset)).bytesWritten;
  }

  /** Writes what is left (unless the work failed) and closes the file. */
  async close(complete = true): Promise<void> {
    try {
      if (complete) await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}

/**
 * One result set written into one CSV file (under its temporary name), in chunks: the rows are turned
 * into text until CHUNK_CHARS, then encoded and written. The asynchronous writer (PostgreSQL, SQL
 * Server, in the task's process) is awaited before the next rows are read, which is the backpressure
 * on the database; the synchronous one serves SQLite, whose rows are read synchronously anyway (in
 * its own process, see sqlite-runner.ts).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { CsvText } from "./csv-text.js";
import { createEncoder, type TextEncoder } from "./encoding.js";

/** About 512 KB of text: large enough for few writes, small enough to keep memory flat. */
export const CHUNK_CHARS = 256 * 1024;

abstract class CsvFileBase {
  protected readonly text = new CsvText();
  protected readonly encoder: TextEncoder;

  constructor(
    readonly path: string,
    encoding: string,
    columns: readonly string[],
  ) {
    this.encoder = createEncoder(encoding);
    this.text.header(columns);
  }

  get rows(): number {
    return this.text.rows;
  }

  /** Adds a row; true when a chunk is ready to be written (the caller flushes before reading on). */
  row(values: readonly unknown[]): boolean {
    this.text.row(values);
    return this.text.length >= CHUNK_CHARS;
  }

  protected chunk(): Buffer {
    return this.encoder.encode(this.text.take());
  }
}

export class CsvFileSync extends CsvFileBase {
  readonly #fd: number;

  constructor(path: string, encoding: string, columns: readonly string[]) {
    super(path, encoding, columns);
    this.#fd = openSync(path, "wx");
  }

  flush(): void {
    const bytes = this.chunk();
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset);
  }

  /** Writes what is left and closes the file (also after a failure: then nothing more is written). */
  close(complete: boolean): void {
    try {
      if (complete) this.flush();
    } finally {
      closeSync(this.#fd);
    }
  }
}

export class CsvFile extends CsvFileBase {
  readonly #handle: FileHandle;

  private constructor(path: string, encoding: string, columns: readonly string[], handle: FileHandle) {
    super(path, encoding, columns);
    this.#handle = handle;
  }

  static async create(path: string, encoding: string, columns: readonly string[]): Promise<CsvFile> {
    createEncoder(encoding); // an unknown encoding fails before the file exists
    const handle = await open(path, "wx");
    return new CsvFile(path, encoding, columns, handle);
  }

  async flush(): Promise<void> {
    const bytes = this.chunk();
    let offset = 0;
    while (offset < bytes.length) offset += (await this.#handle.write(bytes, offset)).bytesWritten;
  }

  async close(complete: boolean): Promise<void> {
    try {
      if (complete) await this.flush();
    } finally {
      await this.#handle.close();
    }
  }
}

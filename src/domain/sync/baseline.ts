/**
 * The baseline of a mapping's incremental diffs (`previous/<Id>.baseline`): the keys of the last
 * whole set prepared for it, in key order, each with a hash of its row. An Incremental prepare of a
 * whole export looks each row's key up in it, compares hashes, and writes the next baseline by
 * merging the changes into it: the rows are never compared in full, and what the previous run sorted
 * is not sorted again (baseline-diff.ts).
 *
 * The file: a fingerprint line (`idm-baseline 1 <rows> <SHA-256 of the rest>`, fixed width), a JSON
 * line (the mapping's columns and key length), then the entries: each a key (its values joined by NUL,
 * external-sort.ts' joinKey), NUL, and the row's hash (HASH_CHARS of base64url). The fingerprint is
 * written last, over a placeholder: a file cut short, or changed since, does not match it and is
 * not used. Files are written under a staging name and renamed into place (prepare.ts).
 */
import { createHash, hash } from "node:crypto";
import { closeSync, createReadStream, openSync, writeSync } from "node:fs";
import { stat } from "node:fs/promises";

const MAGIC = "idm-baseline 1 ";
/** The fingerprint line: MAGIC, 12 digits of rows, a space, 64 hex digits, LF. */
const FINGERPRINT_LENGTH = MAGIC.length + 12 + 1 + 64 + 1;
export const HASH_CHARS = 22;
const NUL = "\u0000";
const CHUNK_CHARS = 256 * 1024;

/** A row's hash: 132 bits of the SHA-256 of its values joined by NUL (which no value holds), in base64url. */
export function rowHash(values: readonly string[]): string {
  return hash("sha256", values.join(NUL), "base64url").slice(0, HASH_CHARS);
}

export interface BaselineShape {
  columns: readonly string[];
  keyLength: number;
}

/** Writes a baseline, entries in key order. */
export class BaselineWriter {
  #fd: number | undefined;
  #text = "";
  #rows = 0;
  readonly #digest = createHash("sha256");

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.#fd = fd;
  }

  static create(path: string, shape: BaselineShape): BaselineWriter {
    const writer = new BaselineWriter(path, openSync(path, "wx"));
    writeSync(writer.#fd!, fingerprintLine(0, "0".repeat(64)));
    writer.#write(`${JSON.stringify({ columns: shape.columns, keyLength: shape.keyLength })}\n`);
    return writer;
  }

  /** One entry: `key` is joinKey's, `rowHash` rowHash's. */
  add(key: string, hashed: string): void {
    this.#write(key + NUL + hashed);
    this.#rows++;
  }

  /** Entries copied as they are from another baseline's text (Baseline.text). */
  addText(entries: string, count: number): void {
    this.#write(entries);
    this.#rows += count;
  }

  get rows(): number {
    return this.#rows;
  }

  #write(text: string): void {
    this.#text += text;
    if (this.#text.length >= CHUNK_CHARS) this.#flush();
  }

  #flush(): void {
    if (this.#text.length === 0 || this.#fd === undefined) return;
    const bytes = Buffer.from(this.#text, "utf8");
    this.#text = "";
    this.#digest.update(bytes);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.#fd, bytes, offset);
  }

  /** Writes what is left and, when the work completed, the fingerprint; closes the file. */
  close(complete = true): void {
    if (this.#fd === undefined) return;
    try {
      if (complete) {
        this.#flush();
        writeSync(this.#fd, fingerprintLine(this.#rows, this.#digest.digest("hex")), 0);
      }
    } finally {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
}

function fingerprintLine(rows: number, sha256: string): string {
  return `${MAGIC}${String(rows).padStart(12, "0")} ${sha256}\n`;
}

/**
 * One key range of a baseline, in memory: its entries' text as the file has it, where each key ends,
 * and an open-addressing table of the entries by a hash of their keys (a few bytes an entry, where a
 * Map of key strings takes several times the text). A row found is marked seen, and one whose hash
 * changed records the new one, for the next baseline.
 */
export class Baseline {
  /** Whether each entry's key was met in the new export. */
  readonly seen: Uint8Array;
  /** Entry → the hash of its changed row. */
  readonly updated = new Map<number, string>();
  /** Entry + 1 by key hash, linear probing; 0 is an empty slot. */
  readonly #slots: Int32Array;

  constructor(
    /** The entries, back to back. */
    readonly text: string,
    /** Where each entry's key ends (its NUL): entry i spans start(i) to keyEnds[i] + 1 + HASH_CHARS. */
    readonly keyEnds: Int32Array,
  ) {
    this.seen = new Uint8Array(keyEnds.length);
    let size = 16;
    while (size < 2 * keyEnds.length) size *= 2;
    this.#slots = new Int32Array(size);
    for (let i = 0; i < keyEnds.length; i++) {
      let slot = keyHash(text, this.start(i), keyEnds[i]!) & (size - 1);
      while (this.#slots[slot] !== 0) slot = (slot + 1) & (size - 1);
      this.#slots[slot] = i + 1;
    }
  }

  static empty(): Baseline {
    return new Baseline("", new Int32Array(0));
  }

  get size(): number {
    return this.keyEnds.length;
  }

  start(i: number): number {
    return i === 0 ? 0 : this.keyEnds[i - 1]! + 1 + HASH_CHARS;
  }

  key(i: number): string {
    return this.text.slice(this.start(i), this.keyEnds[i]);
  }

  /** Whether entry i's hash is `hashed`. */
  hashIs(i: number, hashed: string): boolean {
    return this.text.startsWith(hashed, this.keyEnds[i]! + 1);
  }

  /** The entry of `key`, or -1. */
  find(key: string): number {
    const mask = this.#slots.length - 1;
    for (let slot = keyHash(key, 0, key.length) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]!;
      if (entry === 0) return -1;
      const start = this.start(entry - 1);
      if (this.keyEnds[entry - 1]! - start === key.length && this.text.startsWith(key, start)) return entry - 1;
    }
  }

  /** `key` against entry i's key, ordinally (negative: key comes first). */
  compare(key: string, i: number): number {
    const start = this.start(i);
    const length = this.keyEnds[i]! - start;
    const n = Math.min(key.length, length);
    for (let j = 0; j < n; j++) {
      const d = key.charCodeAt(j) - this.text.charCodeAt(start + j);
      if (d !== 0) return d;
    }
    return key.length - length;
  }
}

/** FNV-1a of text[start, end), by UTF-16 code unit. */
function keyHash(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export type BaselineState = { state: "missing" } | { state: "damaged"; reason: string } | { state: "found"; file: BaselineFile };

interface Head extends BaselineShape {
  rows: number;
  sha256: string;
}

/**
 * A baseline file checked against its fingerprint, read in key ranges (partitions) that each fit the
 * memory budget: one in most cases, several for a baseline larger than the budget.
 */
export class BaselineFile {
  private constructor(
    readonly path: string,
    readonly rows: number,
    /** The first key of each partition after the first, in order. */
    readonly bounds: readonly string[],
    /** The one partition, kept from the check when there is only one. */
    private readonly whole: Baseline | undefined,
  ) {}

  get partitions(): number {
    return this.bounds.length + 1;
  }

  /** The partition a key belongs to: how many bounds it is not below. */
  partitionOf(key: string): number {
    let low = 0;
    let high = this.bounds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (key < this.bounds[middle]!) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /**
   * Opens and checks a baseline. A baseline of other columns is an error (the mapping changed: a
   * Complete prepare sets a new one); one cut short or altered is "damaged".
   */
  static async open(path: string, shape: BaselineShape, budgetBytes: number, signal: AbortSignal): Promise<BaselineState> {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
      throw error;
    }
    let partitions = 1;
    let every = 0;
    let whole: BaselineBuilder | undefined;
    const bounds: string[] = [];
    let index = 0;
    const read = await readEntries(path, signal, (head) => {
      if (head.columns.join(NUL) !== shape.columns.join(NUL) || head.keyLength !== shape.keyLength) {
        throw new Error(`${path} has the columns ${head.columns.join(", ")}, the mapping now ${shape.columns.join(", ")}: run a Complete prepare to set a new baseline`);
      }
      // The entries' text (about a byte a character), their key ends, lookup slots and seen marks.
      partitions = Math.max(1, Math.ceil((size + 21 * head.rows) / budgetBytes));
      every = Math.ceil(head.rows / partitions);
      if (partitions === 1) whole = new BaselineBuilder(head.rows);
    }, (text, keyEnds) => {
      if (whole !== undefined) whole.add(text, keyEnds);
      else {
        for (let i = 0; i < keyEnds.length; i++, index++) {
          if (index > 0 && index % every === 0) bounds.push(text.slice(i === 0 ? 0 : keyEnds[i - 1]! + 1 + HASH_CHARS, keyEnds[i]));
        }
      }
    });
    if (read.damaged !== undefined) return { state: "damaged", reason: read.damaged };
    return { state: "found", file: new BaselineFile(path, read.rows, bounds, whole?.build()) };
  }

  /** Partition p in memory (the file was checked when opened). */
  async load(p: number, signal: AbortSignal): Promise<Baseline> {
    if (this.whole !== undefined) return this.whole;
    const low = p === 0 ? undefined : this.bounds[p - 1]!;
    const high = this.bounds[p];
    const builder = new BaselineBuilder(Math.ceil(this.rows / this.partitions) + 1);
    const read = await readEntries(this.path, signal, () => undefined, (text, keyEnds) => {
      // Entries are in key order: the partition's are one stretch of the text.
      let from = keyEnds.length;
      let to = keyEnds.length;
      for (let i = 0; i < keyEnds.length; i++) {
        const start = i === 0 ? 0 : keyEnds[i - 1]! + 1 + HASH_CHARS;
        const key = text.slice(start, keyEnds[i]);
        if (from === keyEnds.length && (low === undefined || key >= low)) from = i;
        if (high !== undefined && key >= high) {
          to = i;
          break;
        }
      }
      if (from < to) {
        const offset = from === 0 ? 0 : keyEnds[from - 1]! + 1 + HASH_CHARS;
        const end = keyEnds[to - 1]! + 1 + HASH_CHARS;
        builder.add(text.slice(offset, end), keyEnds.slice(from, to).map((k) => k - offset));
      }
    });
    if (read.damaged !== undefined) throw new Error(`${this.path} changed while it was read: ${read.damaged}`);
    return builder.build();
  }
}

/** Entries gathered into a Baseline: stretches of text with their key ends. */
class BaselineBuilder {
  #text = "";
  #keyEnds: Int32Array;
  #count = 0;

  constructor(expected: number) {
    this.#keyEnds = new Int32Array(Math.max(16, expected));
  }

  add(text: string, keyEnds: readonly number[]): void {
    if (this.#count + keyEnds.length > this.#keyEnds.length) {
      const grown = new Int32Array(Math.max(this.#keyEnds.length * 2, this.#count + keyEnds.length));
      grown.set(this.#keyEnds.subarray(0, this.#count));
      this.#keyEnds = grown;
    }
    for (const end of keyEnds) this.#keyEnds[this.#count++] = this.#text.length + end;
    this.#text += text;
  }

  build(): Baseline {
    return new Baseline(this.#text, this.#keyEnds.slice(0, this.#count));
  }
}

/**
 * Reads a baseline file: its head (handed to `onHead`, which may throw), then its entries, a
 * stretch of text at a time with where each key ends, hashed as they are read. Damaged: no
 * fingerprint, entries that do not parse, or that do not match it.
 */
async function readEntries(
  path: string, signal: AbortSignal, onHead: (head: Head) => void, onEntries: (text: string, keyEnds: number[]) => void,
): Promise<{ rows: number; damaged?: string }> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const digest = createHash("sha256");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let head: Head | undefined;
  let pending = Buffer.alloc(0);
  let text = "";
  let rows = 0;
  const parse = () => {
    const keyEnds: number[] = [];
    let at = 0;
    for (;;) {
      // A key ends at its keyLength-th NUL; HASH_CHARS of hash follow.
      let keyEnd = at - 1;
      for (let n = 0; n < head!.keyLength; n++) {
        keyEnd = text.indexOf(NUL, keyEnd + 1);
        if (keyEnd === -1) break;
      }
      if (keyEnd === -1 || keyEnd + 1 + HASH_CHARS > text.length) break;
      keyEnds.push(keyEnd);
      at = keyEnd + 1 + HASH_CHARS;
    }
    if (keyEnds.length > 0) {
      rows += keyEnds.length;
      onEntries(text.slice(0, at), keyEnds);
    }
    text = text.slice(at);
  };
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      signal.throwIfAborted();
      if (head === undefined) {
        pending = Buffer.concat([pending, bytes]);
        const first = pending.indexOf(10);
        const second = first === -1 ? -1 : pending.indexOf(10, first + 1);
        if (second === -1) {
          if (pending.length > 1024 * 1024) return { rows, damaged: "it has no fingerprint" };
          continue;
        }
        const parsed = headOf(pending.toString("latin1", 0, first + 1), pending.toString("utf8", first + 1, second));
        if (parsed === undefined) return { rows, damaged: "it has no fingerprint" };
        head = parsed;
        onHead(head);
        digest.update(pending.subarray(first + 1));
        text = decoder.decode(pending.subarray(second + 1), { stream: true });
      } else {
        digest.update(bytes);
        text += decoder.decode(bytes, { stream: true });
      }
      parse();
    }
    if (head === undefined) return { rows, damaged: "it has no fingerprint" };
    text += decoder.decode();
    parse();
  } catch (error) {
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA") return { rows, damaged: "it is not UTF-8 text" };
    throw error;
  } finally {
    stream.destroy();
  }
  if (text !== "") return { rows, damaged: "it ends inside an entry" };
  if (rows !== head.rows || digest.digest("hex") !== head.sha256) return { rows, damaged: "it does not match its fingerprint" };
  return { rows };
}

/** The fingerprint and JSON lines, or undefined when they are not a baseline's. */
function headOf(fingerprint: string, json: string): Head | undefined {
  if (fingerprint.length !== FINGERPRINT_LENGTH) return undefined;
  const match = /^idm-baseline 1 (\d{12}) ([0-9a-f]{64})\n$/.exec(fingerprint);
  if (match === null) return undefined;
  try {
    const shape = JSON.parse(json) as Partial<BaselineShape>;
    if (!Array.isArray(shape.columns) || !shape.columns.every((c) => typeof c === "string") || !Number.isInteger(shape.keyLength) || shape.keyLength! < 1) return undefined;
    return { columns: shape.columns, keyLength: shape.keyLength!, rows: Number(match[1]), sha256: match[2]! };
  } catch {
    return undefined;
  }
}

/**
 * The baseline of a mapping's incremental diffs (`previous/<Id>.baseline`): the keys of the last
 * whole set prepared for it, each with a hash of its row, each key once. An Incremental prepare of a
 * whole export looks each row's key up in it and compares hashes (baseline-diff.ts): the rows are
 * never compared in full, and what the previous run sorted is not sorted again.
 *
 * Version 2 keeps the entries in the order of the export they were made from (the keys a diff
 * added after them, in key order): most sources export in a stable order, and a diff that walks its
 * export and the baseline side by side then reads the baseline sequentially, looking a key up only
 * where the two part. Version 1 (key order) is still read: the order is only a matter of speed.
 *
 * The file: a fingerprint line (`idm-baseline 2 <rows> <SHA-256 of the rest>`, fixed width), a JSON
 * line (the mapping's columns and key length, and, since row hashes are of CSV lines, `hashColumns`:
 * BaselineShape), then the entries: each a key (its values joined by NUL,
 * external-sort.ts' joinKey), NUL, and the row's hash (HASH_CHARS of base64url). The fingerprint is
 * written last, over a placeholder: a file cut short, or changed since, does not match it and is
 * not used. Files are written under a staging name and renamed into place (prepare.ts).
 */
import { createHash, hash } from "node:crypto";
import { closeSync, createReadStream, openSync, writeSync } from "node:fs";
import { open, readFile, rename, stat } from "node:fs/promises";
import { CHUNK_CHARS } from "../../connectors/csv/csv-write.js";

const MAGIC = "idm-baseline 2 ";
/** The fingerprint line: MAGIC (or version 1's), 12 digits of rows, a space, 64 hex digits, LF. */
const FINGERPRINT_LENGTH = MAGIC.length + 12 + 1 + 64 + 1;
export const HASH_CHARS = 22;
const NUL = "\u0000";

/** A row's hash in a baseline without hashColumns: 132 bits of the SHA-256 of its values joined by NUL (which no value holds), in base64url. */
export function rowHash(values: readonly string[]): string {
  return hash("sha256", values.join(NUL), "base64url").slice(0, HASH_CHARS);
}

/** A row's hash in a baseline with hashColumns: 132 bits of the SHA-256 of its CSV line (csvLine's, without the line end), in base64url. */
export function csvHash(line: string): string {
  return hash("sha256", line, "base64url").slice(0, HASH_CHARS);
}

export interface BaselineShape {
  columns: readonly string[];
  keyLength: number;
  /**
   * What a row's hash is of (export-row.ts): present, csvHash of the CSV line of its values in this
   * order (the export file's own when its columns are the mapped ones, so that a plain line is hashed
   * as it is); absent (baselines written before it), rowHash of its values in `columns`' order.
   */
  hashColumns?: readonly string[];
}

/** Writes a baseline, each key once. */
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
    const hashColumns = shape.hashColumns === undefined ? {} : { hashColumns: shape.hashColumns };
    writer.#write(`${JSON.stringify({ columns: shape.columns, keyLength: shape.keyLength, ...hashColumns })}\n`);
    return writer;
  }

  /** One entry: `key` is joinKey's, `rowHash` rowHash's. */
  add(key: string, hashed: string): void {
    this.#write(key + NUL + hashed);
    this.#rows++;
  }

  /** Entries copied as they are from another baseline (Baseline.bytes). */
  addBytes(entries: Buffer, count: number): void {
    this.#flush();
    this.#writeBytes(entries);
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
    if (this.#text.length === 0) return;
    const bytes = Buffer.from(this.#text, "utf8");
    this.#text = "";
    this.#writeBytes(bytes);
  }

  #writeBytes(bytes: Buffer): void {
    if (this.#fd === undefined) return;
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
 * One partition of a baseline, in memory: its entries' bytes as the file has them (read once, never
 * decoded as a whole: a string of them would be a second copy), where each key ends, and, built on
 * the first lookup, an open-addressing table of the entries by a hash of their keys' UTF-8 bytes (a
 * few bytes an entry, where a Map of key strings takes several times the text). A diff that meets
 * the entries in their order never builds it. A row found is marked seen.
 */
export class Baseline {
  /** Whether each entry's key was met in the new export. */
  readonly seen: Uint8Array;
  /** Entry + 1 by key hash, linear probing; 0 is an empty slot. Empty until the first lookup. */
  #slots = new Int32Array(0);
  /** What prefetch read, kept so that the reads are not optimized away. */
  #touched = 0;
  /** prefetch's slot entries of a chunk's keys. */
  #prefetched = new Int32Array(0);

  constructor(
    /** The entries, back to back. */
    readonly bytes: Buffer,
    /** Where each entry's key ends (its NUL): entry i spans start(i) to keyEnds[i] + 1 + HASH_CHARS. */
    readonly keyEnds: Int32Array,
  ) {
    this.seen = new Uint8Array(keyEnds.length);
  }

  #table(): Int32Array {
    if (this.#slots.length > 0) return this.#slots;
    let size = 16;
    while (size < 2 * this.keyEnds.length) size *= 2;
    const slots = new Int32Array(size);
    for (let i = 0; i < this.keyEnds.length; i++) {
      let slot = bytesHash(this.bytes, this.start(i), this.keyEnds[i]!) & (size - 1);
      while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
      slots[slot] = i + 1;
    }
    return (this.#slots = slots);
  }

  static empty(): Baseline {
    return new Baseline(Buffer.alloc(0), new Int32Array(0));
  }

  get size(): number {
    return this.keyEnds.length;
  }

  /** Where entry i starts, in bytes (its hash is ASCII: HASH_CHARS bytes). */
  start(i: number): number {
    return i === 0 ? 0 : this.keyEnds[i - 1]! + 1 + HASH_CHARS;
  }

  key(i: number): string {
    return this.bytes.toString("utf8", this.start(i), this.keyEnds[i]);
  }

  /** Whether entry i's hash is `hashed`. */
  hashIs(i: number, hashed: string): boolean {
    const at = this.keyEnds[i]! + 1;
    for (let j = 0; j < HASH_CHARS; j++) if (this.bytes[at + j] !== hashed.charCodeAt(j)) return false;
    return true;
  }

  /**
   * Reads what the finds of `keys` will read (their slots, key ends and first key bytes) without
   * waiting on each: the reads of successive keys overlap, where find waits at every step of one
   * lookup before the next; the finds that follow then hit the processor's cache. A large baseline's
   * lookups in an export's order are mostly cache misses: a chunk's keys prefetched first made them
   * about a third faster (1,000,000 keys, a micro-benchmark).
   */
  prefetch(keys: readonly string[]): void {
    const slots = this.#table();
    const mask = slots.length - 1;
    // Two passes, each of loads that do not wait on one another: the slots, then the entries they name.
    const entries = this.#prefetched.length >= keys.length ? this.#prefetched : (this.#prefetched = new Int32Array(keys.length));
    for (let k = 0; k < keys.length; k++) entries[k] = slots[stringHash(keys[k]!) & mask]!;
    let touched = 0;
    for (let k = 0; k < keys.length; k++) {
      const entry = entries[k]!;
      if (entry !== 0) touched += this.bytes[this.start(entry - 1)]!;
    }
    this.#touched = touched;
  }

  /** The entry of `key`, or -1. */
  find(key: string): number {
    const slots = this.#table();
    const mask = slots.length - 1;
    for (let slot = stringHash(key) & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      if (this.keyIs(entry - 1, key)) return entry - 1;
    }
  }

  /** Whether entry i's key is `key`: byte by byte while it is ASCII. */
  keyIs(i: number, key: string): boolean {
    const start = this.start(i);
    const end = this.keyEnds[i]!;
    for (let j = 0; j < key.length; j++) {
      const c = key.charCodeAt(j);
      if (c >= 0x80) return this.bytes.toString("utf8", start, end) === key;
      if (start + j >= end || this.bytes[start + j] !== c) return false;
    }
    return start + key.length === end;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of bytes[start, end). */
function bytesHash(bytes: Buffer, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash >>> 0;
}

/** FNV-1a of a string's UTF-8 bytes (bytesHash of its encoding), without encoding it. */
function stringHash(text: string): number {
  // ASCII in a loop of its own: the closure of utf8Hash would keep `hash` in a context, slower per character.
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return utf8Hash(text, i, hash);
    hash = Math.imul(hash ^ c, FNV_PRIME);
  }
  return hash >>> 0;
}

/** stringHash of text from `from` on, `start` being the hash of the characters before. */
function utf8Hash(text: string, from: number, start: number): number {
  let hash = start;
  const add = (byte: number) => (hash = Math.imul(hash ^ byte, FNV_PRIME));
  for (let i = from; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      hash = Math.imul(hash ^ c, FNV_PRIME);
      continue;
    }
    if (c < 0x800) {
      add(0xc0 | (c >> 6));
      add(0x80 | (c & 0x3f));
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
      const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      add(0xf0 | (point >> 18));
      add(0x80 | ((point >> 12) & 0x3f));
      add(0x80 | ((point >> 6) & 0x3f));
      add(0x80 | (point & 0x3f));
      i++;
      continue;
    }
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate, as Buffer encodes it
    add(0xe0 | (c >> 12));
    add(0x80 | ((c >> 6) & 0x3f));
    add(0x80 | (c & 0x3f));
  }
  return hash >>> 0;
}

export type BaselineState = { state: "missing" } | { state: "damaged"; reason: string } | { state: "found"; file: BaselineFile };

interface Head extends BaselineShape {
  rows: number;
  sha256: string;
}

/**
 * A baseline file checked against its fingerprint, read in partitions that each fit the memory
 * budget: one in most cases (the file is then read once, whole), several for a baseline larger than
 * the budget (read once to check it, then once per partition). A key's partition is by a hash of
 * the key, so that each partition keeps the entries in the file's order.
 */
export class BaselineFile {
  private constructor(
    readonly path: string,
    readonly rows: number,
    /** What its row hashes are of (BaselineShape.hashColumns). */
    readonly hashColumns: readonly string[] | undefined,
    readonly partitions: number,
    /** The one partition, when there is only one. */
    private readonly whole: Baseline | undefined,
  ) {}

  /** The partition a key belongs to. */
  partitionOf(key: string): number {
    return partitionOfHash(stringHash(key), this.partitions);
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
    const found = await readHead(path);
    if ("damaged" in found) return { state: "damaged", reason: found.damaged };
    const { head, entriesAt } = found;
    if (head.columns.join(NUL) !== shape.columns.join(NUL) || head.keyLength !== shape.keyLength) {
      throw new Error(`${path} has the columns ${head.columns.join(", ")}, the mapping now ${shape.columns.join(", ")}: run a Complete prepare to set a new baseline`);
    }
    // The entries' bytes, their key ends, lookup slots and seen marks.
    const partitions = Math.max(1, Math.ceil((size + 13 * head.rows) / budgetBytes));
    if (partitions === 1) {
      signal.throwIfAborted();
      const bytes = await readFile(path);
      const body = bytes.subarray(FINGERPRINT_LENGTH);
      if (createHash("sha256").update(body).digest("hex") !== head.sha256) return { state: "damaged", reason: "it does not match its fingerprint" };
      const entries = bytes.subarray(entriesAt);
      const keyEnds = new Int32Array(head.rows);
      const read = scanEntries(entries, head.keyLength, (keyEnd, n) => {
        if (n < keyEnds.length) keyEnds[n] = keyEnd;
      });
      if (read.rows !== head.rows || read.end !== entries.length) return { state: "damaged", reason: "its entries do not match its fingerprint" };
      return { state: "found", file: new BaselineFile(path, head.rows, head.hashColumns, 1, new Baseline(entries, keyEnds)) };
    }
    const read = await streamEntries(path, entriesAt, head, signal, () => true);
    if (read.damaged !== undefined) return { state: "damaged", reason: read.damaged };
    return { state: "found", file: new BaselineFile(path, head.rows, head.hashColumns, partitions, undefined) };
  }

  /** Partition p in memory, its entries in the file's order (the file was checked when opened). */
  async load(p: number, signal: AbortSignal): Promise<Baseline> {
    if (this.whole !== undefined) return this.whole;
    const found = await readHead(this.path);
    if ("damaged" in found) throw new Error(`${this.path} changed while it was read: ${found.damaged}`);
    const pieces: Buffer[] = [];
    const keyEnds: number[] = [];
    let length = 0;
    const read = await streamEntries(this.path, found.entriesAt, found.head, signal, (bytes, start, keyEnd) => {
      if (partitionOfHash(bytesHash(bytes, start, keyEnd), this.partitions) === p) {
        keyEnds.push(length + keyEnd - start);
        pieces.push(bytes.subarray(start, keyEnd + 1 + HASH_CHARS));
        length += keyEnd + 1 + HASH_CHARS - start;
      }
      return true;
    });
    if (read.damaged !== undefined) throw new Error(`${this.path} changed while it was read: ${read.damaged}`);
    return new Baseline(Buffer.concat(pieces, length), Int32Array.from(keyEnds));
  }
}

/** A partition by the high bits of a multiplicative mix: the lookup table takes the low bits of the same hash. */
function partitionOfHash(hash: number, partitions: number): number {
  return Math.floor(((Math.imul(hash, 0x9e3779b1) >>> 0) * partitions) / 0x100000000);
}

/**
 * Rewrites a baseline with only the first entry of each key of `repeated`: a whole set's baseline is
 * written as its rows are read, a key that repeats (a duplicate the prepare sets apart) once more for
 * each repeat, and a baseline holds each key once.
 */
export async function keepFirstEntries(path: string, repeated: ReadonlySet<string>, signal: AbortSignal): Promise<void> {
  const found = await readHead(path);
  if ("damaged" in found) throw new Error(`${path} changed while it was written: ${found.damaged}`);
  const rewritten = `${path}.first`;
  const writer = BaselineWriter.create(rewritten, found.head);
  let complete = false;
  try {
    const kept = new Set<string>();
    const read = await streamEntries(path, found.entriesAt, found.head, signal, (bytes, start, keyEnd) => {
      const key = bytes.toString("utf8", start, keyEnd);
      if (repeated.has(key)) {
        if (kept.has(key)) return true;
        kept.add(key);
      }
      writer.add(key, bytes.toString("latin1", keyEnd + 1, keyEnd + 1 + HASH_CHARS));
      return true;
    });
    if (read.damaged !== undefined) throw new Error(`${path} changed while it was written: ${read.damaged}`);
    complete = true;
  } finally {
    writer.close(complete);
  }
  await rename(rewritten, path);
}

/**
 * The entries of `bytes` from `at` on: `onEntry(keyEnd, n)` for each (keyEnd: where its key's last
 * NUL is). Returns how many there were and where the last one ended.
 */
function scanEntries(bytes: Buffer, keyLength: number, onEntry: (keyEnd: number, n: number) => void, at = 0): { rows: number; end: number } {
  let rows = 0;
  for (;;) {
    let keyEnd = at - 1;
    for (let k = 0; k < keyLength; k++) {
      keyEnd = bytes.indexOf(0, keyEnd + 1);
      if (keyEnd === -1) break;
    }
    if (keyEnd === -1 || keyEnd + 1 + HASH_CHARS > bytes.length) return { rows, end: at };
    onEntry(keyEnd, rows++);
    at = keyEnd + 1 + HASH_CHARS;
  }
}

/** A baseline file's fingerprint and JSON lines, and where its entries start; or why it is damaged. */
async function readHead(path: string): Promise<{ head: Head; entriesAt: number } | { damaged: string }> {
  const handle = await open(path, "r");
  try {
    const bytes = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    const first = bytes.indexOf(10);
    const second = first === -1 || first >= bytesRead ? -1 : bytes.indexOf(10, first + 1);
    if (second === -1 || second >= bytesRead) return { damaged: "it has no fingerprint" };
    const head = headOf(bytes.toString("latin1", 0, first + 1), bytes.toString("utf8", first + 1, second));
    return head === undefined ? { damaged: "it has no fingerprint" } : { head, entriesAt: second + 1 };
  } finally {
    await handle.close();
  }
}

/**
 * Streams a baseline's entries, a chunk at a time: `onEntry(chunk, start, keyEnd, n)` for each, until
 * it returns false. Checks the fingerprint when it reads them all.
 */
async function streamEntries(
  path: string, entriesAt: number, head: Head, signal: AbortSignal, onEntry: (bytes: Buffer, start: number, keyEnd: number, n: number) => boolean,
): Promise<{ damaged?: string }> {
  const digest = createHash("sha256");
  const stream = createReadStream(path, { start: FINGERPRINT_LENGTH, highWaterMark: 256 * 1024 });
  let pending = Buffer.alloc(0);
  let skip = entriesAt - FINGERPRINT_LENGTH; // the JSON line: hashed, not an entry
  let rows = 0;
  let stopped = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      signal.throwIfAborted();
      digest.update(chunk);
      let bytes = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (skip > 0) {
        const skipped = Math.min(skip, bytes.length);
        bytes = bytes.subarray(skipped);
        skip -= skipped;
      }
      let start = 0;
      const scanned = scanEntries(bytes, head.keyLength, (keyEnd, n) => {
        if (!stopped && !onEntry(bytes, start, keyEnd, rows + n)) stopped = true;
        start = keyEnd + 1 + HASH_CHARS;
      });
      rows += scanned.rows;
      pending = Buffer.from(bytes.subarray(scanned.end));
      if (stopped) return {};
    }
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) return { damaged: "it ends inside an entry" };
  if (rows !== head.rows || digest.digest("hex") !== head.sha256) return { damaged: "it does not match its fingerprint" };
  return {};
}

/** The fingerprint and JSON lines, or undefined when they are not a baseline's. */
function headOf(fingerprint: string, json: string): Head | undefined {
  if (fingerprint.length !== FINGERPRINT_LENGTH) return undefined;
  const match = /^idm-baseline [12] (\d{12}) ([0-9a-f]{64})\n$/.exec(fingerprint);
  if (match === null) return undefined;
  try {
    const shape = JSON.parse(json) as Partial<BaselineShape>;
    if (!Array.isArray(shape.columns) || !shape.columns.every((c) => typeof c === "string") || !Number.isInteger(shape.keyLength) || shape.keyLength! < 1) return undefined;
    const { hashColumns } = shape;
    // The hash order is the columns', permuted.
    if (hashColumns !== undefined && (!Array.isArray(hashColumns) || !hashColumns.every((c) => typeof c === "string") || [...hashColumns].sort().join(NUL) !== [...shape.columns].sort().join(NUL))) {
      return undefined;
    }
    return {
      columns: shape.columns, keyLength: shape.keyLength!, ...(hashColumns === undefined ? {} : { hashColumns }), rows: Number(match[1]), sha256: match[2]!,
    };
  } catch {
    return undefined;
  }
}

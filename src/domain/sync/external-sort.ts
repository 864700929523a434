/**
 * A stable sort of records by key that holds at most about `budgetBytes` of them in memory. A record
 * is kept as one string, its entry: `key NUL sequence text`, where `key` is its key's values joined
 * by NUL (which no value holds: the CSV reader refuses it), `sequence` its input position in fixed
 * width and `text` whatever the caller keeps (a CSV line). The ordinal order of entries is then the
 * order of the keys, value after value (a value that is a prefix of another sorts first, as NUL is
 * the smallest character), and equal keys keep their input order: entries sort with the built-in
 * string comparison, and one string per record is all the garbage collector sees.
 *
 * Below the budget the entries are sorted in memory; above it, each budget-full is sorted and written
 * to a run file in `tempFolder`, then the runs are merged (at most FAN_IN at a time, in several passes
 * when there are more). A run file is its entries, each ended by NUL: written and read back as they
 * are, without CSV encoding or parsing.
 */
import { createReadStream, openSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { TextWriter } from "../../connectors/csv/csv-write.js";

export interface SortOptions {
  budgetBytes: number;
  /** Where run files go (they are deleted as soon as they are merged). */
  tempFolder: string;
  /** Prefix of the run files' names, unique in tempFolder. */
  name: string;
  signal: AbortSignal;
}

const FAN_IN = 32;
const CHUNK_ENTRIES = 10_000;
/** Base-36 digits of an entry's sequence: 36^8, about 2.8 × 10^12 records. */
const SEQUENCE_DIGITS = 8;
const NUL = "\u0000";

/** A key's values as one string, in the order of the values' ordinal order. */
export function joinKey(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : values.join(NUL);
}

/** What an entry costs in memory, roughly: UTF-16 text (two bytes a character at worst), the string's header and its slot. */
function entryBytes(entry: string): number {
  return 40 + 2 * entry.length;
}

/** Reads the key and the text back from entries, given the number of values in a key. */
export class Entries {
  constructor(readonly keyLength: number) {}

  /** Where an entry's key ends (its NUL). */
  keyEnd(entry: string): number {
    let end = entry.indexOf(NUL);
    for (let n = 1; n < this.keyLength; n++) end = entry.indexOf(NUL, end + 1);
    return end;
  }

  key(entry: string): string {
    return entry.slice(0, this.keyEnd(entry));
  }

  text(entry: string): string {
    return entry.slice(this.keyEnd(entry) + 1 + SEQUENCE_DIGITS);
  }

}

export class ExternalSorter {
  #entries: string[] = [];
  #bytes = 0;
  #sequence = 0;
  #runs: string[] = [];
  #runCount = 0;
  /** Run files written (for counters and tests). */
  runsWritten = 0;
  readonly entries: Entries;

  constructor(
    keyLength: number,
    private readonly options: SortOptions,
  ) {
    this.entries = new Entries(keyLength);
  }

  /** Synchronous, like the run files' writes: a record costs no promise. `key` is joinKey's. */
  add(key: string, text: string): void {
    // join() makes one flat string: concatenation would keep a tree of pieces, which hold on to the
    // whole chunks of text the values were sliced from (several times the memory, and the collector's time).
    const entry = [key, (this.#sequence++).toString(36).padStart(SEQUENCE_DIGITS, "0") + text].join(NUL);
    this.#entries.push(entry);
    this.#bytes += entryBytes(entry);
    if (this.#bytes > this.options.budgetBytes) this.#spill();
  }

  /** The entries in order, up to CHUNK_ENTRIES at a time; run files are removed when the iteration ends, however it ends. */
  async *sorted(): AsyncGenerator<string[]> {
    try {
      if (this.#runs.length === 0) {
        const entries = this.#entries.sort();
        this.#entries = [];
        for (let i = 0; i < entries.length; i += CHUNK_ENTRIES) {
          this.options.signal.throwIfAborted();
          yield entries.slice(i, i + CHUNK_ENTRIES);
        }
        return;
      }
      if (this.#entries.length > 0) this.#spill();
      while (this.#runs.length > FAN_IN) {
        const merged: string[] = [];
        for (let i = 0; i < this.#runs.length; i += FAN_IN) {
          const group = this.#runs.slice(i, i + FAN_IN);
          if (group.length === 1) {
            merged.push(group[0] as string);
            continue;
          }
          const path = this.#nextRunPath();
          const writer = new TextWriter(path, openSync(path, "wx"));
          let ok = false;
          try {
            for await (const entries of this.#merge(group)) for (const entry of entries) writer.write(entry + NUL);
            ok = true;
          } finally {
            writer.close(ok);
          }
          await Promise.all(group.map((run) => rm(run, { force: true })));
          merged.push(path);
        }
        this.#runs = merged;
      }
      yield* this.#merge(this.#runs);
    } finally {
      await this.dispose();
    }
  }

  async dispose(): Promise<void> {
    this.#entries = [];
    const runs = this.#runs;
    this.#runs = [];
    await Promise.all(runs.map((run) => rm(run, { force: true })));
  }

  #nextRunPath(): string {
    return join(this.options.tempFolder, `${this.options.name}.run${++this.#runCount}`);
  }

  #spill(): void {
    this.options.signal.throwIfAborted();
    const entries = this.#entries.sort();
    this.#entries = [];
    this.#bytes = 0;
    const path = this.#nextRunPath();
    this.#runs.push(path);
    const writer = new TextWriter(path, openSync(path, "wx"));
    let ok = false;
    try {
      for (const entry of entries) writer.write(entry + NUL);
      ok = true;
    } finally {
      writer.close(ok);
    }
    this.runsWritten++;
  }

  /** A k-way merge of sorted run files, CHUNK_ENTRIES at a time (entries are unique: their sequences differ). */
  async *#merge(runs: string[]): AsyncGenerator<string[]> {
    const readers = runs.map((run) => new RunReader(run, this.entries.keyLength + 1, this.options.signal));
    try {
      const heap = new Heap();
      for (let run = 0; run < readers.length; run++) {
        const first = await readers[run]!.next();
        if (first !== undefined) heap.push(first, run);
      }
      let out: string[] = [];
      while (heap.size > 0) {
        const [entry, run] = heap.top();
        out.push(entry);
        const reader = readers[run]!;
        const next = reader.take() ?? (await reader.next());
        if (next === undefined) heap.pop();
        else heap.replaceTop(next, run);
        if (out.length >= CHUNK_ENTRIES) {
          this.options.signal.throwIfAborted();
          yield out;
          out = [];
        }
      }
      if (out.length > 0) yield out;
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
    }
  }
}

/** The entries of a run file one by one; an entry holds `nuls - 1` NULs and ends with one more. */
class RunReader {
  readonly #chunks: AsyncIterator<string>;
  #text = "";
  #at = 0;

  constructor(
    path: string,
    private readonly nuls: number,
    private readonly signal: AbortSignal,
  ) {
    this.#chunks = textChunks(path);
  }

  /** The next entry if the text at hand holds it whole. */
  take(): string | undefined {
    let end = this.#at - 1;
    for (let n = 0; n < this.nuls; n++) {
      end = this.#text.indexOf(NUL, end + 1);
      if (end === -1) return undefined;
    }
    const entry = this.#text.slice(this.#at, end);
    this.#at = end + 1;
    return entry;
  }

  async next(): Promise<string | undefined> {
    for (;;) {
      const entry = this.take();
      if (entry !== undefined) return entry;
      this.signal.throwIfAborted();
      const chunk = await this.#chunks.next();
      if (chunk.done) {
        if (this.#at < this.#text.length) throw new Error("a sort run file ends inside an entry");
        return undefined;
      }
      this.#text = this.#text.slice(this.#at) + chunk.value;
      this.#at = 0;
    }
  }

  async close(): Promise<void> {
    await this.#chunks.return?.(undefined);
  }
}

async function* textChunks(path: string): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  // 64 KB: the text decoded stays an ordinary heap object (see csv-write.ts' CHUNK_CHARS).
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) yield decoder.decode(bytes, { stream: true });
    const last = decoder.decode();
    if (last !== "") yield last;
  } finally {
    stream.destroy();
  }
}

/** A binary min-heap of (entry, run) pairs, by entry. */
class Heap {
  readonly #entries: string[] = [];
  readonly #runs: number[] = [];

  get size(): number {
    return this.#entries.length;
  }

  top(): [string, number] {
    return [this.#entries[0]!, this.#runs[0]!];
  }

  push(entry: string, run: number): void {
    this.#entries.push(entry);
    this.#runs.push(run);
    this.#up(this.#entries.length - 1);
  }

  pop(): void {
    const entry = this.#entries.pop()!;
    const run = this.#runs.pop()!;
    if (this.#entries.length > 0) this.replaceTop(entry, run);
  }

  /** Replaces the smallest entry (cheaper than a pop and a push). */
  replaceTop(entry: string, run: number): void {
    const entries = this.#entries;
    const runs = this.#runs;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= entries.length) break;
      const right = left + 1;
      const child = right < entries.length && entries[right]! < entries[left]! ? right : left;
      if (entries[child]! >= entry) break;
      entries[i] = entries[child]!;
      runs[i] = runs[child]!;
      i = child;
    }
    entries[i] = entry;
    runs[i] = run;
  }

  #up(i: number): void {
    const entries = this.#entries;
    const runs = this.#runs;
    const entry = entries[i]!;
    const run = runs[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (entries[parent]! <= entry) break;
      entries[i] = entries[parent]!;
      runs[i] = runs[parent]!;
      i = parent;
    }
    entries[i] = entry;
    runs[i] = run;
  }
}

/**
 * A stable sort of CSV rows by key that holds at most about `budgetBytes` of rows in memory: below
 * the budget the rows are sorted in memory; above it, each budget-full of rows is sorted and written
 * to a run file in `tempFolder`, then the runs are merged (at most FAN_IN at a time, in several
 * passes when there are more). Equal keys keep their input order: runs are consecutive pieces of the
 * input, and the merge takes from the earlier run first.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { CsvCursor } from "../../connectors/csv/csv-read.js";
import { CsvWriter } from "../../connectors/csv/csv-write.js";

export type Row = string[];

export interface SortOptions {
  budgetBytes: number;
  /** Where run files go (they are deleted as soon as they are merged). */
  tempFolder: string;
  /** Prefix of the run files' names, unique in tempFolder. */
  name: string;
  signal: AbortSignal;
}

const FAN_IN = 32;
const CHUNK_ROWS = 10_000;

/** What a row costs in memory, roughly: UTF-16 text plus the array and string headers. */
export function rowBytes(row: Row): number {
  let bytes = 64;
  for (const value of row) bytes += 24 + 2 * value.length;
  return bytes;
}

/** Compares rows by the values at `key`, ordinally (UTF-16 code units), one column after the other. */
export function keyComparator(key: readonly number[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const index of key) {
      const x = a[index] ?? "";
      const y = b[index] ?? "";
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

export class ExternalSorter {
  #rows: Row[] = [];
  #bytes = 0;
  #runs: string[] = [];
  #runCount = 0;
  /** Run files written (for counters and tests). */
  runsWritten = 0;

  constructor(
    private readonly compare: (a: Row, b: Row) => number,
    private readonly options: SortOptions,
  ) {}

  /** Synchronous, like the run files' writes: a row costs no promise. */
  add(row: Row): void {
    this.#rows.push(row);
    this.#bytes += rowBytes(row);
    if (this.#bytes > this.options.budgetBytes) this.#spill();
  }

  /** The rows in order, up to CHUNK_ROWS at a time; run files are removed when the iteration ends, however it ends. */
  async *sorted(): AsyncGenerator<Row[]> {
    try {
      if (this.#runs.length === 0) {
        const rows = this.#rows.sort(this.compare);
        this.#rows = [];
        for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
          this.options.signal.throwIfAborted();
          yield rows.slice(i, i + CHUNK_ROWS);
        }
        return;
      }
      if (this.#rows.length > 0) this.#spill();
      while (this.#runs.length > FAN_IN) {
        const merged: string[] = [];
        for (let i = 0; i < this.#runs.length; i += FAN_IN) {
          const group = this.#runs.slice(i, i + FAN_IN);
          if (group.length === 1) {
            merged.push(group[0] as string);
            continue;
          }
          const path = this.#nextRunPath();
          const writer = CsvWriter.create(path, ["run"]);
          let ok = false;
          try {
            for await (const rows of this.#merge(group)) for (const row of rows) writer.write(row);
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
    this.#rows = [];
    const runs = this.#runs;
    this.#runs = [];
    await Promise.all(runs.map((run) => rm(run, { force: true })));
  }

  #nextRunPath(): string {
    return join(this.options.tempFolder, `${this.options.name}.run${++this.#runCount}.csv`);
  }

  #spill(): void {
    this.options.signal.throwIfAborted();
    const rows = this.#rows.sort(this.compare);
    this.#rows = [];
    this.#bytes = 0;
    const path = this.#nextRunPath();
    this.#runs.push(path);
    // Run files have a dummy header: rows may have any number of fields.
    const writer = CsvWriter.create(path, ["run"]);
    let ok = false;
    try {
      for (const row of rows) writer.write(row);
      ok = true;
    } finally {
      writer.close(ok);
    }
    this.runsWritten++;
  }

  /**
   * A k-way merge of sorted run files, CHUNK_ROWS rows at a time; on equal keys the earlier run comes
   * first. Each run is read a chunk of records at a time, so a row costs a heap step, not a promise.
   */
  async *#merge(runs: string[]): AsyncGenerator<Row[]> {
    const readers = runs.map((run) => new CsvCursor(run, this.options.signal));
    try {
      const heap = new Heap<{ row: Row; run: number }>((a, b) => this.compare(a.row, b.row) || a.run - b.run);
      for (let run = 0; run < readers.length; run++) {
        await readers[run]!.next(); // the header
        const first = readers[run]!.take() ?? (await readers[run]!.next());
        if (first !== undefined) heap.push({ row: first, run });
      }
      let out: Row[] = [];
      for (let top = heap.pop(); top !== undefined; top = heap.pop()) {
        out.push(top.row);
        const reader = readers[top.run]!;
        const next = reader.take() ?? (await reader.next());
        if (next !== undefined) heap.push({ row: next, run: top.run });
        if (out.length >= CHUNK_ROWS) {
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

class Heap<T> {
  readonly #items: T[] = [];

  constructor(private readonly less: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(items[i] as T, items[parent] as T) >= 0) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    if (items.length === 0) return undefined;
    const top = items[0] as T;
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.less(items[left] as T, items[smallest] as T) < 0) smallest = left;
        if (right < items.length && this.less(items[right] as T, items[smallest] as T) < 0) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest] as T, items[i] as T];
        i = smallest;
      }
    }
    return top;
  }
}

/**
 * An Incremental prepare of a whole export (no command column): its rows against the baseline of
 * the previous whole set (baseline.ts). Each row's key is looked up in the baseline and its hash
 * compared, and only the changes are sorted (external-sort.ts): an insert (a key only in the
 * export), an update (another hash), a delete (a key only in the baseline: the key's columns, the
 * others empty, as the synchronization needs no more). The export and the baseline are walked side
 * by side: a row whose key is the baseline's next entry needs no lookup, and the next baseline,
 * written in the same pass, keeps the export's order (baseline.ts). What the previous run sorted is
 * not sorted again. A baseline larger than the memory budget is taken one partition at a time, the
 * export read once per partition, the changes of all sorted together. Rows whose key repeats are
 * set apart as duplicates (the first kept), in key order.
 */
import { csvLine, type CsvWriter } from "../../connectors/csv/csv-write.js";
import { Baseline, HASH_CHARS, type BaselineFile, type BaselineWriter } from "./baseline.js";
import type { RowSource } from "./export-row.js";
import { ExternalSorter, type SortOptions } from "./external-sort.js";

export interface DiffTarget {
  keyLength: number;
  /** Columns of a row (a delete has values for the key's only). */
  width: number;
  /** `<Id>.sorted.delta`, its header written. */
  delta: CsvWriter;
  /** `<Id>.duplicates.csv`, created when the first duplicate is met. */
  duplicates: () => CsvWriter;
  /** The next baseline. */
  baseline: BaselineWriter;
  /** What row hashes are of (BaselineShape.hashColumns): the previous baseline's. */
  hashColumns: readonly string[] | undefined;
  sort: SortOptions;
}

export interface DiffCounts {
  inserts: number;
  updates: number;
  deletes: number;
  duplicates: number;
  sortRuns: number;
}

// A change's text in the sort: the row's hash (kept for an insert, which the baseline lacks; a
// placeholder otherwise), then its delta line, command first; "duplicate" never reaches the delta.
const INSERT = "insert,";
const UPDATE = "update,";
const DELETE = "delete,";
const DUPLICATE = "duplicate,";
const NO_HASH = "-".repeat(HASH_CHARS);

export async function diffWithBaseline(previous: BaselineFile | undefined, read: RowSource, target: DiffTarget): Promise<DiffCounts> {
  const counts: DiffCounts = { inserts: 0, updates: 0, deletes: 0, duplicates: 0, sortRuns: 0 };
  const { keyLength } = target;
  const partitions = previous?.partitions ?? 1;
  // One sort of the changes of every partition: the delta is in key order, a partition's keys are not a range.
  const changes = new ExternalSorter(keyLength, target.sort);
  try {
    for (let p = 0; p < partitions; p++) {
      const baseline = previous === undefined ? Baseline.empty() : await previous.load(p, target.sort.signal);
      const next = new NextBaseline(baseline, target.baseline);
      // The entry the export's next row is expected at: the one after the last row's.
      let cursor = 0;
      let lookups = 0;
      await read((row) => {
        const key = row.key;
        if (partitions > 1 && previous!.partitionOf(key) !== p) return;
        let i = cursor;
        if (i >= baseline.size || !baseline.keyIs(i, key)) {
          lookups++;
          i = baseline.find(key);
        }
        if (i === -1) {
          changes.add(key, row.hash() + INSERT + row.line());
          return;
        }
        if (baseline.seen[i] === 1) {
          changes.add(key, NO_HASH + DUPLICATE + row.line());
          return;
        }
        baseline.seen[i] = 1;
        cursor = i + 1;
        const hashed = row.hash();
        if (baseline.hashIs(i, hashed)) {
          next.keep(i);
        } else {
          next.add(key, hashed);
          changes.add(key, NO_HASH + UPDATE + row.line());
        }
      }, p === 0, target.hashColumns, (keys) => {
        // Prefetched only while the export strays from the baseline's order: in it, lookups are rare.
        if (lookups * 8 > keys.length) baseline.prefetch(keys);
        lookups = 0;
      });
      for (let i = 0; i < baseline.size; i++) {
        if (baseline.seen[i] === 1) continue;
        const key = baseline.key(i);
        const values = keyLength === 1 ? [key] : key.split("\u0000");
        while (values.length < target.width) values.push("");
        changes.add(key, NO_HASH + DELETE + csvLine(values));
      }
      next.flush();
    }
    await writeChanges(changes, target, counts);
    counts.sortRuns += changes.runsWritten;
  } finally {
    await changes.dispose();
  }
  return counts;
}

/**
 * The next baseline of a partition, in the order of the export its rows come in: an unchanged row's
 * entry copied from the previous baseline (successive ones as one stretch of bytes), a changed one's
 * with its new hash. A new key is added after them by writeChanges, in key order, once.
 */
class NextBaseline {
  /** The stretch of previous entries [from, to) not yet copied. */
  #from = 0;
  #to = 0;

  constructor(
    private readonly previous: Baseline,
    private readonly writer: BaselineWriter,
  ) {}

  keep(i: number): void {
    if (i !== this.#to) {
      this.flush();
      this.#from = i;
    }
    this.#to = i + 1;
  }

  add(key: string, hashed: string): void {
    this.flush();
    this.writer.add(key, hashed);
  }

  flush(): void {
    if (this.#to > this.#from) this.writer.addBytes(this.previous.bytes.subarray(this.previous.start(this.#from), this.previous.start(this.#to)), this.#to - this.#from);
    this.#from = this.#to;
  }
}

/** Writes the sorted changes to the delta and the duplicates, and the new keys to the next baseline. */
async function writeChanges(changes: ExternalSorter, target: DiffTarget, counts: DiffCounts): Promise<void> {
  let inserted: string | undefined;
  for await (const entries of changes.sorted()) {
    for (const entry of entries) {
      const key = changes.entries.key(entry);
      const hashed = changes.entries.text(entry);
      const text = hashed.slice(HASH_CHARS);
      if (text.startsWith(DUPLICATE) || (text.startsWith(INSERT) && key === inserted)) {
        target.duplicates().writeLine(text.slice(text.indexOf(",") + 1));
        counts.duplicates++;
        continue;
      }
      target.delta.writeLine(text);
      if (text.startsWith(INSERT)) {
        target.baseline.add(key, hashed.slice(0, HASH_CHARS));
        inserted = key;
        counts.inserts++;
      } else if (text.startsWith(UPDATE)) {
        counts.updates++;
      } else {
        counts.deletes++;
      }
    }
  }
}

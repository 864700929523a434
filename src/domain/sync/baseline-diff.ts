/**
 * An Incremental prepare of a whole export (no command column): its rows against the baseline of
 * the previous whole set (baseline.ts). Each row's key is looked up in the baseline and its hash
 * compared, and only the changes are sorted (external-sort.ts): an insert (a key only in the
 * export), an update (another hash), a delete (a key only in the baseline: the key's columns, the
 * others empty, as the synchronization needs no more). The next baseline is the previous one with the
 * changes merged in, in the same pass: what the previous run sorted is not sorted again. A baseline
 * larger than the memory budget is taken one key range at a time, the export read once per range.
 * Rows whose key repeats are set apart as duplicates (the first kept), in key order.
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
  for (let p = 0; p < partitions; p++) {
    const baseline = previous === undefined ? Baseline.empty() : await previous.load(p, target.sort.signal);
    const changes = new ExternalSorter(keyLength, { ...target.sort, name: `${target.sort.name}-${p}` });
    try {
      await read((row) => {
        const key = row.key;
        if (partitions > 1 && previous!.partitionOf(key) !== p) return;
        const i = baseline.find(key);
        if (i === -1) {
          changes.add(key, row.hash() + INSERT + row.line());
        } else if (baseline.seen[i] === 1) {
          changes.add(key, NO_HASH + DUPLICATE + row.line());
        } else {
          baseline.seen[i] = 1;
          const hashed = row.hash();
          if (!baseline.hashIs(i, hashed)) {
            baseline.updated.set(i, hashed);
            changes.add(key, NO_HASH + UPDATE + row.line());
          }
        }
      }, p === 0, target.hashColumns, (keys) => baseline.prefetch(keys));
      for (let i = 0; i < baseline.size; i++) {
        if (baseline.seen[i] === 1) continue;
        const key = baseline.key(i);
        const values = keyLength === 1 ? [key] : key.split("\u0000");
        while (values.length < target.width) values.push("");
        changes.add(key, NO_HASH + DELETE + csvLine(values));
      }
      await mergeChanges(baseline, changes, target, counts);
      counts.sortRuns += changes.runsWritten;
    } finally {
      await changes.dispose();
    }
  }
  return counts;
}

/** Writes the sorted changes to the delta and the duplicates, and the next baseline: the previous one's stretches between changes, as they are. */
async function mergeChanges(baseline: Baseline, changes: ExternalSorter, target: DiffTarget, counts: DiffCounts): Promise<void> {
  let kept = 0; // the first baseline entry not yet written nor dropped
  const keepUpTo = (end: number) => {
    if (end > kept) target.baseline.addBytes(baseline.bytes.subarray(baseline.start(kept), baseline.start(end)), end - kept);
    kept = Math.max(kept, end);
  };
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
        keepUpTo(lowerBound(baseline, key, kept));
        target.baseline.add(key, hashed.slice(0, HASH_CHARS));
        inserted = key;
        counts.inserts++;
        continue;
      }
      // An update or a delete: the key is the baseline's next one changed.
      const i = baseline.find(key);
      keepUpTo(i);
      kept = i + 1;
      if (text.startsWith(UPDATE)) {
        target.baseline.add(key, baseline.updated.get(i)!);
        counts.updates++;
      } else {
        counts.deletes++;
      }
    }
  }
  keepUpTo(baseline.size);
}

/** The first entry from `from` on whose key is not below `key`. */
function lowerBound(baseline: Baseline, key: string, from: number): number {
  let low = from;
  let high = baseline.size;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (baseline.compare(key, middle) > 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

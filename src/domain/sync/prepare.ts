/**
 * The agent's file step of "sync up": the export files of a connector's mappings become one batch
 * of cleansed, sorted files queued for Synchronize (README, PrepareSynchronizationTask).
 *
 * Each mapping's export file is cleansed (rows without a key set aside in `.nullpk.csv`, duplicate
 * keys in `.duplicates.csv`) and sorted by key within a memory budget (external-sort.ts); for an
 * Incremental batch without a command column, compared with the baseline of the previous whole set
 * instead, and only the changes sorted (baseline-diff.ts). Everything is built in a private staging
 * folder under `Collect/<Connector>/`, then queued whole (batch-queue.ts); a failed or cancelled run
 * leaves nothing but the staging folder, which is removed. The baselines (`previous/<Id>.baseline`,
 * baseline.ts) are renamed into place after the batch is queued: a run killed before leaves the old
 * ones whole.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { readCsvChunks, readCsvLineChunks, type CsvRow } from "../../connectors/csv/csv-read.js";
import { CsvWriter } from "../../connectors/csv/csv-write.js";
import { cancelQueuedIncrementals, collectFolder, enqueueBatch, type FileCounts, type Manifest, type ManifestEntry } from "./batch-queue.js";
import { BaselineFile, BaselineWriter, HASH_CHARS, keepFirstEntries } from "./baseline.js";
import { diffWithBaseline } from "./baseline-diff.js";
import { hashOrderFor, ReadRow, type RowSource } from "./export-row.js";
import { LineHasher, THREAD_MIN_BYTES } from "./line-hashes.js";
import { ExternalSorter, joinKey, type SortOptions } from "./external-sort.js";
import type { MappedFile } from "./mappings.js";
import type { SynchronizationMode } from "../vocabulary.js";
import type { WorkContext } from "../work-context.js";
import { confineTo } from "../confined-path.js";

export const DEFAULT_MEMORY_BUDGET = 64 * 1024 * 1024;
const COMMANDS = new Map([
  ["insert", "insert"],
  ["add", "insert"],
  ["update", "update"],
  ["delete", "delete"],
  ["merge", "merge"],
]);

/** What preparing a connector's files counted. */
export interface Counters extends FileCounts {
  batchesCancelled: number;
}

export interface PrepareOptions extends Pick<WorkContext, "job" | "signal">, Partial<Pick<WorkContext<Counters>, "log" | "progress">> {
  connector: string;
  mode: SynchronizationMode;
  files: MappedFile[];
  /** Where `<ConnectionTable>.csv` files are read. */
  exportFolder: string;
  /** Batches go to `<workFolder>/Collect/<database>/<connector>/`. */
  workFolder: string;
  /** The queue of the database the batches are for (databaseQueue). */
  database: string;
  /** Incremental only: the input's command column, passed through when the file has it. */
  commandColumn?: string | undefined;
  memoryBudgetBytes?: number;
  /** Export files from this size on have their lines hashed by a thread (line-hashes.ts). */
  hashThreadMinBytes?: number;
  task: string;
}

export interface PrepareOutcome {
  batch: string;
  folder: string;
  manifest: Manifest;
  counters: Counters;
}

export function emptyCounters(): Counters {
  return {
    rowsRead: 0, rowsWritten: 0, nullPrimaryKeys: 0, duplicates: 0,
    deltaInserts: 0, deltaUpdates: 0, deltaDeletes: 0, deltaMerges: 0, sortRuns: 0, batchesCancelled: 0,
  };
}

export async function prepareSynchronization(options: PrepareOptions): Promise<PrepareOutcome> {
  const { signal } = options;
  signal.throwIfAborted();
  const collect = collectFolder(options.workFolder, options.connector, options.database);
  // Every input and baseline is checked before the first is read: a refused one leaves nothing behind.
  for (const file of options.files) {
    confineTo(exportFileOf(options, file), options.exportFolder);
    confineTo(baselineOf(collect, file), options.workFolder);
  }
  await mkdir(collect, { recursive: true });
  const staging = join(collect, `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
  const batchStage = join(staging, "batch");
  const baselineStage = join(staging, "previous");
  await mkdir(batchStage, { recursive: true });
  await mkdir(baselineStage, { recursive: true });
  const totals = emptyCounters();
  try {
    const entries: ManifestEntry[] = [];
    for (const file of options.files) {
      entries.push(await prepareFile(options, file, collect, batchStage, baselineStage, staging, totals));
    }
    signal.throwIfAborted();

    const manifest: Manifest = {
      format: 1,
      connector: options.connector,
      mode: options.mode,
      sequence: 0,
      job: options.job.identifier,
      jobInstance: options.job.instanceId,
      task: options.task,
      createdAt: new Date().toISOString(),
      entries,
    };
    const { name, sequence } = await enqueueBatch(options.workFolder, collect, batchStage, manifest, signal);
    manifest.sequence = sequence;

    if (options.mode !== "Incremental") {
      for (const other of await cancelQueuedIncrementals(collect, sequence)) {
        totals.batchesCancelled++;
        options.log?.("Information", `queued batch ${other} of ${options.connector} cancelled by the ${options.mode} batch ${name}`);
      }
    }

    // The new baseline, file by file (each rename is atomic). A pass-through of changes has none.
    const baselines = await readdir(baselineStage);
    if (baselines.length > 0) {
      const previous = confineTo(join(collect, "previous"), options.workFolder);
      await mkdir(previous, { recursive: true });
      for (const baseline of baselines) {
        await rename(join(baselineStage, baseline), join(previous, baseline));
        // The whole sorted file earlier versions kept as the baseline.
        await rm(join(previous, baseline.replace(/\.baseline$/, ".sorted.csv")), { force: true });
      }
    }
    options.progress?.({ ...totals });
    return { batch: name, folder: join(collect, name), manifest, counters: totals };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function prepareFile(
  options: PrepareOptions,
  file: MappedFile,
  collect: string,
  batchStage: string,
  baselineStage: string,
  staging: string,
  totals: Counters,
): Promise<ManifestEntry> {
  const { signal } = options;
  const input = exportFileOf(options, file);
  const what = `${file.kind === "EntityType" ? "EntityTypeMapping" : "EntityAssociationMapping"} ${file.identifier}`;
  if (!existsSync(input)) throw new Error(`${what}: the export file ${input} does not exist`);
  const counts: ManifestEntry["counts"] = { ...emptyCounters() };
  delete (counts as Partial<Counters>).batchesCancelled;
  const add = (name: keyof ManifestEntry["counts"], n = 1) => {
    counts[name] += n;
    totals[name] += n;
  };

  const header = await headerOf(input, what, signal);
  const missing = file.columns.filter((column) => !header.includes(column));
  if (missing.length > 0) throw new Error(`${what}: the export file ${input} has no column ${missing.join(", ")} (its columns: ${header.join(", ")})`);
  const passThrough = options.mode === "Incremental" && options.commandColumn !== undefined && header.includes(options.commandColumn);
  const diff = options.mode === "Incremental" && !passThrough;
  const columns = passThrough ? ["command", ...file.columns] : file.columns;
  const budgetBytes = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  const outputs = new Outputs(batchStage, file.identifier, columns);
  let complete = false;
  try {
    const work: FileWork = {
      file, outputs, add, budgetBytes,
      read: rowReader(options, file, input, header, passThrough, what, outputs, add, totals),
      sort: { budgetBytes, tempFolder: staging, name: `${file.kind}-${file.identifier}`, signal },
      baseline: baselineOf(collect, file),
      nextBaseline: join(baselineStage, basename(baselineOf(collect, file))),
      hashColumns: hashOrderFor(header, file.columns),
      header,
    };
    const entry = diff ? await diffed(work, what, options) : passThrough ? await passedThrough(work) : await wholeSet(work);
    outputs.close(true);
    complete = true;
    return {
      kind: file.kind,
      identifier: file.identifier,
      connectionTable: file.connectionTable,
      columns: file.columns,
      key: file.columns.slice(0, file.keyLength),
      ...entry,
      ...(outputs.nullpkFile === undefined ? {} : { nullPrimaryKeysFile: outputs.nullpkFile }),
      ...(outputs.duplicatesFile === undefined ? {} : { duplicatesFile: outputs.duplicatesFile }),
      counts,
    };
  } finally {
    outputs.close(complete);
  }
}

/** What the three ways of preparing a mapping's file share. */
interface FileWork {
  file: MappedFile;
  outputs: Outputs;
  add: (name: keyof FileCounts, n?: number) => void;
  read: RowSource;
  sort: SortOptions;
  budgetBytes: number;
  /** previous/<Id>.baseline, and where the next one is staged. */
  baseline: string;
  nextBaseline: string;
  /** The hash order of a new baseline (export-row.ts' hashOrderFor). */
  hashColumns: readonly string[];
  /** The export's columns. */
  header: readonly string[];
}

type Prepared = Pick<ManifestEntry, "file" | "delta"> & Partial<Pick<ManifestEntry, "columns">>;

/**
 * A whole set (Complete, Initial): sorted, the first row of each key kept. Its keys and row hashes
 * are the next baseline, in the export's order (baseline.ts), written as the rows are read; a key
 * that repeats is then written once more for each repeat, which the end takes out. An export of
 * exactly the mapped columns, the key first, keeps its own column order (the manifest names it): its
 * plain lines are then the sorted file's lines as they are.
 */
async function wholeSet(work: FileWork): Promise<Prepared> {
  const { file, outputs, add } = work;
  // hashOrderFor returns the header itself when the export holds exactly the mapped columns.
  const ownOrder = work.hashColumns === work.header && file.keyLength === 1 && work.header[0] === file.columns[0];
  const columns = ownOrder ? work.header : file.columns;
  const sorter = new ExternalSorter(file.keyLength, work.sort);
  try {
    const baseline = outputs.baseline(work.nextBaseline, file, work.hashColumns);
    await work.read((row) => {
      baseline.add(row.key, row.hash());
      sorter.add(row.key, ownOrder ? row.exportLine() : row.line());
    }, true, work.hashColumns);
    const sorted = outputs.csv(`${file.identifier}.sorted.csv`, columns);
    const repeated = new Set<string>();
    let previousKey: string | undefined;
    for await (const entries of sorter.sorted()) for (const entry of entries) {
      const key = sorter.entries.key(entry);
      const line = sorter.entries.text(entry);
      if (key === previousKey) {
        outputs.duplicates(columns).writeLine(line);
        add("duplicates");
        repeated.add(key);
        continue;
      }
      previousKey = key;
      sorted.writeLine(line);
    }
    if (repeated.size > 0) {
      baseline.close();
      await keepFirstEntries(baseline.path, repeated, work.sort.signal);
    }
    add("rowsWritten", sorted.rows);
    add("sortRuns", sorter.runsWritten);
    return { file: basename(sorted.path), delta: "none", ...(ownOrder ? { columns: [...columns] } : {}) };
  } finally {
    await sorter.dispose();
  }
}

/** The export's own changes (a command column): sorted by key, every row kept, a key's in input order. */
async function passedThrough(work: FileWork): Promise<Prepared> {
  const { file, outputs, add } = work;
  const sorter = new ExternalSorter(file.keyLength, work.sort);
  try {
    await work.read((row) => sorter.add(row.key, row.line()), true);
    const delta = outputs.csv(`${file.identifier}.sorted.delta`, ["command", ...file.columns]);
    for await (const entries of sorter.sorted()) for (const entry of entries) {
      const line = sorter.entries.text(entry);
      delta.writeLine(line);
      const command = line.slice(0, line.indexOf(","));
      add(command === "insert" ? "deltaInserts" : command === "update" ? "deltaUpdates" : command === "delete" ? "deltaDeletes" : "deltaMerges");
    }
    add("rowsWritten", delta.rows);
    add("sortRuns", sorter.runsWritten);
    return { file: basename(delta.path), delta: "changes" };
  } finally {
    await sorter.dispose();
  }
}

/** A whole export in Incremental mode: diffed against the baseline (baseline-diff.ts); none, or a damaged one, makes every row an insert. */
async function diffed(work: FileWork, what: string, options: PrepareOptions): Promise<Prepared> {
  const { file, outputs, add } = work;
  const previous = await BaselineFile.open(work.baseline, file, work.budgetBytes, work.sort.signal);
  if (previous.state !== "found") {
    const name = `previous/${basename(work.baseline)}`;
    const why = previous.state === "missing" ? `no ${name} to compare with` : `${name} is damaged (${previous.reason})`;
    options.log?.("Warning", `${what}: ${why}: every row is an insert (a Complete prepare sets the baseline)`);
  }
  const delta = outputs.csv(`${file.identifier}.sorted.delta`, ["command", ...file.columns]);
  // The next baseline merges the previous one's hashes with new ones: all of them in its form.
  const hashColumns = previous.state === "found" ? previous.file.hashColumns : work.hashColumns;
  const changes = await diffWithBaseline(previous.state === "found" ? previous.file : undefined, work.read, {
    keyLength: file.keyLength, width: file.columns.length, delta, duplicates: () => outputs.duplicates(),
    baseline: outputs.baseline(work.nextBaseline, file, hashColumns), hashColumns, sort: work.sort,
  });
  add("deltaInserts", changes.inserts);
  add("deltaUpdates", changes.updates);
  add("deltaDeletes", changes.deletes);
  add("duplicates", changes.duplicates);
  add("sortRuns", changes.sortRuns);
  add("rowsWritten", changes.inserts + changes.updates + changes.deletes);
  return { file: basename(delta.path), delta: "diff" };
}

/** A row's key: its first value, or its first `keyLength` values joined (joinKey). */
function keyOf(values: readonly string[], keyLength: number): string {
  return keyLength === 1 ? values[0]! : joinKey(values.slice(0, keyLength));
}

/** The export's header (its first record). */
async function headerOf(input: string, what: string, signal: AbortSignal): Promise<string[]> {
  const chunks = readCsvChunks(input, signal);
  try {
    const first = await chunks.next();
    if (first.done) throw new Error(`${what}: the export file ${input} is empty (it needs a header row)`);
    return first.value[0]!;
  } finally {
    await chunks.return(undefined);
  }
}

/**
 * Reads the export's rows, a chunk of records at a time (a row costs no promise): the mapped values,
 * key first (after the command when it passes through); rows with an empty key value go to
 * `<Id>.nullpk.csv`, the others to `onRow`. Only the first read of a file counts and sets apart.
 * A plain line (export-row.ts) whose key is its first field is passed on unsplit.
 */
function rowReader(
  options: PrepareOptions, file: MappedFile, input: string, header: string[], passThrough: boolean, what: string, outputs: Outputs,
  add: (name: keyof FileCounts, n?: number) => void, totals: Counters,
): RowSource {
  const { signal } = options;
  const indexes = file.columns.map((column) => header.indexOf(column));
  const commandIndex = passThrough ? header.indexOf(options.commandColumn as string) : -1;
  const offset = passThrough ? 1 : 0;
  // A file of exactly the mapped columns, in order: its records are the rows.
  const whole = indexes.length === header.length && indexes.every((index, i) => index === i);
  return async (onRow, first, hashColumns, onKeys) => {
    const row = new ReadRow(header, whole ? undefined : indexes, file.columns, hashColumns);
    // Plain lines are taken whole when their hash is of the line and their key is its first field.
    const plainLines = !passThrough && row.hashesLines && file.keyLength === 1 && indexes[0] === 0;
    // A diff's hashes computed by a thread (line-hashes.ts), a chunk ahead of the rows passed on. Not
    // a Complete prepare's: its sort keeps the thread waiting, and its memory budget is spent already.
    const diff = options.mode === "Incremental" && plainLines;
    const hasher = diff && (await stat(input)).size >= (options.hashThreadMinBytes ?? THREAD_MIN_BYTES) ? new LineHasher() : undefined;
    let line = 0;
    const passOn = (records: CsvRow[], keys: (string | undefined)[], hashes: string | undefined) => {
      let keyed = 0;
      for (let r = 0; r < records.length; r++) {
        const read = records[r]!;
        if (++line === 1) continue; // the header
        let record: string[];
        if (typeof read === "string") {
          const key = keys[r];
          if (key !== undefined) {
            const at = keyed++ * HASH_CHARS;
            onRow(row.setLine(read, key, hashes?.slice(at, at + HASH_CHARS)));
            continue;
          }
          record = read.split(",");
        } else {
          record = read;
        }
        if (record.length > header.length) throw new Error(`${what}: record ${line} of ${input} has ${record.length} fields, its header ${header.length}`);
        const values = whole && record.length === header.length ? record : indexes.map((index) => record[index] ?? "");
        if (passThrough) {
          const raw = (record[commandIndex] ?? "").trim().toLowerCase();
          const command = COMMANDS.get(raw);
          if (command === undefined) {
            throw new Error(`${what}: record ${line} of ${input} has the command "${raw}" in ${options.commandColumn} (expected insert, update, delete or merge)`);
          }
          values.unshift(command);
        }
        let empty = false;
        for (let k = 0; k < file.keyLength; k++) if (values[k + offset] === "") empty = true;
        if (!empty) onRow(row.setRecord(record, values, keyOf(offset === 0 ? values : values.slice(offset), file.keyLength)));
        else if (first) {
          outputs.nullpk().write(values);
          add("nullPrimaryKeys");
        }
      }
      signal.throwIfAborted();
      if (first) options.progress?.({ ...totals });
    };
    try {
      let held: { records: CsvRow[]; keys: (string | undefined)[]; hashes: Promise<string> | undefined } | undefined;
      let chunks = 0;
      for await (const records of plainLines ? readCsvLineChunks(input, signal) : readCsvChunks(input, signal)) {
        const withHeader = chunks++ === 0;
        if (first) add("rowsRead", withHeader ? records.length - 1 : records.length);
        // The plain lines of all the fields and their keys, told onKeys first.
        const plain = plainLines ? plainLinesOf(records, header.length, withHeader) : NO_PLAIN_LINES;
        if (onKeys !== undefined && plainLines) onKeys(plain.keys);
        const hashes = hasher?.hash(plain.lines);
        if (held !== undefined) passOn(held.records, held.keys, await held.hashes);
        held = { records, keys: plain.byRecord, hashes };
      }
      if (held !== undefined) passOn(held.records, held.keys, await held.hashes);
    } finally {
      await hasher?.close();
    }
  };
}

interface PlainLines {
  /** Each record's key when it is a plain line of all the fields with a non-empty key; undefined for the others (and the header). */
  byRecord: (string | undefined)[];
  /** Those lines and their keys, in order. */
  lines: string[];
  keys: string[];
}

const NO_PLAIN_LINES: PlainLines = { byRecord: [], lines: [], keys: [] };

/** The plain lines of `width` fields of a chunk whose key (first field) is not empty; the header, the first record of the first chunk, is not one. */
function plainLinesOf(records: readonly CsvRow[], width: number, withHeader: boolean): PlainLines {
  const plain: PlainLines = { byRecord: new Array<string | undefined>(records.length), lines: [], keys: [] };
  for (let r = withHeader ? 1 : 0; r < records.length; r++) {
    const read = records[r]!;
    if (typeof read !== "string") continue;
    const keyEnd = read.indexOf(",");
    if (keyEnd <= 0 || fieldCount(read) !== width) continue;
    const key = read.slice(0, keyEnd);
    plain.byRecord[r] = key;
    plain.lines.push(read);
    plain.keys.push(key);
  }
  return plain;
}

/** The fields of a plain line (its commas and one). */
function fieldCount(line: string): number {
  let count = 1;
  for (let at = line.indexOf(","); at !== -1; at = line.indexOf(",", at + 1)) count++;
  return count;
}

/** The files one mapping writes, created on first use, closed together. */
class Outputs {
  readonly #writers: { close(complete: boolean): void }[] = [];
  #nullpk: CsvWriter | undefined;
  #duplicates: CsvWriter | undefined;

  constructor(
    private readonly folder: string,
    private readonly identifier: string,
    private readonly columns: string[],
  ) {}

  /** `name` in the batch. */
  csv(name: string, columns: readonly string[]): CsvWriter {
    const writer = CsvWriter.create(join(this.folder, name), columns);
    this.#writers.push(writer);
    return writer;
  }

  baseline(path: string, file: MappedFile, hashColumns: readonly string[] | undefined): BaselineWriter {
    const writer = BaselineWriter.create(path, { columns: file.columns, keyLength: file.keyLength, ...(hashColumns === undefined ? {} : { hashColumns }) });
    this.#writers.push(writer);
    return writer;
  }

  nullpk(): CsvWriter {
    return (this.#nullpk ??= this.csv(`${this.identifier}.nullpk.csv`, this.columns));
  }

  /** `<Id>.duplicates.csv`, of `columns` (the mapped ones by default) when it is created. */
  duplicates(columns: readonly string[] = this.columns): CsvWriter {
    return (this.#duplicates ??= this.csv(`${this.identifier}.duplicates.csv`, columns));
  }

  get nullpkFile(): string | undefined {
    return this.#nullpk && basename(this.#nullpk.path);
  }

  get duplicatesFile(): string | undefined {
    return this.#duplicates && basename(this.#duplicates.path);
  }

  close(complete: boolean): void {
    for (const writer of this.#writers.splice(0)) writer.close(complete);
  }
}

/** `<Paths.Export>/<ConnectionTable>.csv`, what a mapping's rows are read from. */
function exportFileOf(options: PrepareOptions, file: MappedFile): string {
  return join(options.exportFolder, `${file.connectionTable}.csv`);
}

/** The keys and row hashes of the previous whole set, which an Incremental prepare diffs against (baseline.ts). */
function baselineOf(collect: string, file: MappedFile): string {
  return join(collect, "previous", `${file.identifier}.baseline`);
}

/**
 * The agent's file step of "sync up": the export files of a connector's mappings become one batch
 * of cleansed, sorted files queued for Synchronize (README, PrepareSynchronizationTask).
 *
 * Each mapping's export file is cleansed (rows without a key set aside in `.nullpk.csv`, duplicate
 * keys in `.duplicates.csv`), sorted by key within a memory budget (external-sort.ts) and, for an
 * Incremental batch, compared with the previous export (sorted-diff.ts). Everything is built in a
 * private staging folder under `Collect/<Connector>/`, then queued whole (batch-queue.ts); a failed
 * or cancelled run leaves nothing but the staging folder, which is removed. The baseline of
 * incremental diffs (`previous/`) is replaced after the batch is queued.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { readCsvChunks } from "../../connectors/csv/csv-read.js";
import { CsvWriter } from "../../connectors/csv/csv-write.js";
import { cancelQueuedIncrementals, collectFolder, enqueueBatch, type FileCounts, type Manifest, type ManifestEntry } from "./batch-queue.js";
import { ExternalSorter, keyComparator, type Row } from "./external-sort.js";
import type { MappedFile } from "./mappings.js";
import { diffSorted } from "./sorted-diff.js";
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
      for (const baseline of baselines) await rename(join(baselineStage, baseline), join(previous, baseline));
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

  const chunks = readCsvChunks(input, signal);
  const writers: CsvWriter[] = [];
  let complete = false;
  try {
    const first = await chunks.next();
    if (first.done) throw new Error(`${what}: the export file ${input} is empty (it needs a header row)`);
    const header = first.value.shift()!;
    const missing = file.columns.filter((column) => !header.includes(column));
    if (missing.length > 0) {
      throw new Error(`${what}: the export file ${input} has no column ${missing.join(", ")} (its columns: ${header.join(", ")})`);
    }
    const passThrough = options.mode === "Incremental" && options.commandColumn !== undefined && header.includes(options.commandColumn);
    const indexes = file.columns.map((column) => header.indexOf(column));
    const commandIndex = passThrough ? header.indexOf(options.commandColumn as string) : -1;
    const offset = passThrough ? 1 : 0;
    const columns = passThrough ? ["command", ...file.columns] : file.columns;
    const key = Array.from({ length: file.keyLength }, (_, i) => i + offset);
    const compare = keyComparator(key);

    let nullpk: CsvWriter | undefined;
    const sorter = new ExternalSorter(compare, {
      budgetBytes: options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET,
      tempFolder: staging,
      name: `${file.kind}-${file.identifier}`,
      signal,
    });
    try {
      let line = 1;
      const take = (record: string[]): void => {
        line++;
        add("rowsRead");
        if (record.length > header.length) {
          throw new Error(`${what}: record ${line} of ${input} has ${record.length} fields, its header ${header.length}`);
        }
        const row: Row = indexes.map((index) => record[index] ?? "");
        if (passThrough) {
          const raw = (record[commandIndex] ?? "").trim().toLowerCase();
          const command = COMMANDS.get(raw);
          if (command === undefined) {
            throw new Error(`${what}: record ${line} of ${input} has the command "${raw}" in ${options.commandColumn} (expected insert, update, delete or merge)`);
          }
          row.unshift(command);
        }
        if (key.some((index) => row[index] === "")) {
          nullpk ??= writer(join(batchStage, `${file.identifier}.nullpk.csv`), columns, writers);
          nullpk.write(row);
          add("nullPrimaryKeys");
        } else {
          sorter.add(row);
        }
      };
      // Records a chunk at a time: a row costs no promise.
      for (const record of first.value) take(record);
      for await (const records of chunks) {
        for (const record of records) take(record);
        signal.throwIfAborted();
        options.progress?.({ ...totals });
      }

      // Sorted rows: a whole set keeps the first row of each key; changes keep every row, in order.
      const diff = options.mode === "Incremental" && !passThrough;
      const sortedName = passThrough ? `${file.identifier}.sorted.delta` : `${file.identifier}.sorted.csv`;
      const sortedPath = join(diff ? baselineStage : batchStage, sortedName);
      const sorted = writer(sortedPath, columns, writers);
      let duplicates: CsvWriter | undefined;
      let kept: Row | undefined;
      for await (const rows of sorter.sorted()) for (const row of rows) {
        if (!passThrough && kept !== undefined && compare(kept, row) === 0) {
          duplicates ??= writer(join(batchStage, `${file.identifier}.duplicates.csv`), columns, writers);
          duplicates.write(row);
          add("duplicates");
          continue;
        }
        kept = row;
        sorted.write(row);
        if (passThrough) {
          const command = row[0];
          add(command === "insert" ? "deltaInserts" : command === "update" ? "deltaUpdates" : command === "delete" ? "deltaDeletes" : "deltaMerges");
        } else if (!diff) {
          add("rowsWritten");
        }
      }
      if (passThrough) add("rowsWritten", sorted.rows);
      counts.sortRuns += sorter.runsWritten;
      totals.sortRuns += sorter.runsWritten;
      for (const w of writers.splice(0)) w.close(true);

      let delta: ManifestEntry["delta"] = passThrough ? "changes" : "none";
      let output = sortedName;
      if (diff) {
        delta = "diff";
        output = `${file.identifier}.sorted.delta`;
        const previous = baselineOf(collect, file);
        if (!existsSync(previous)) {
          options.log?.("Warning", `${what}: no previous/${sortedName} to compare with: every row is an insert (a Complete prepare sets the baseline)`);
        }
        const changes = await diffSorted(existsSync(previous) ? previous : undefined, sortedPath, join(batchStage, output), file, signal);
        add("deltaInserts", changes.inserts);
        add("deltaUpdates", changes.updates);
        add("deltaDeletes", changes.deletes);
        add("rowsWritten", changes.inserts + changes.updates + changes.deletes);
      } else if (!passThrough) {
        await copyFile(sortedPath, join(baselineStage, sortedName));
      }
      complete = true;
      return {
        kind: file.kind,
        identifier: file.identifier,
        connectionTable: file.connectionTable,
        columns: file.columns,
        key: file.columns.slice(0, file.keyLength),
        file: output,
        delta,
        ...(nullpk === undefined ? {} : { nullPrimaryKeysFile: `${file.identifier}.nullpk.csv` }),
        ...(duplicates === undefined ? {} : { duplicatesFile: `${file.identifier}.duplicates.csv` }),
        counts,
      };
    } finally {
      await sorter.dispose();
    }
  } finally {
    for (const w of writers) w.close(complete);
    await chunks.return(undefined);
  }
}

/** `<Paths.Export>/<ConnectionTable>.csv`, what a mapping's rows are read from. */
function exportFileOf(options: PrepareOptions, file: MappedFile): string {
  return join(options.exportFolder, `${file.connectionTable}.csv`);
}

/** The previous whole set an Incremental prepare diffs against. */
function baselineOf(collect: string, file: MappedFile): string {
  return join(collect, "previous", `${file.identifier}.sorted.csv`);
}

function writer(path: string, columns: string[], writers: CsvWriter[]): CsvWriter {
  const created = CsvWriter.create(path, columns);
  writers.push(created);
  return created;
}

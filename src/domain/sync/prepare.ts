/**
 * The agent's file step of "sync up": the export files of a connector's mappings become one batch
 * of cleansed, sorted files queued for Synchronize (README, PrepareSynchronizationTask).
 *
 * Everything is built in a private staging folder under `Collect/<Connector>/`; the batch is queued
 * by renaming its complete folder (manifest included) to `<sequence>-<mode>`, so a reader never
 * sees a half batch, and a failed or cancelled run leaves nothing but the staging folder, which is
 * removed. The baseline of incremental diffs (`previous/`) is replaced after the batch is queued.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CsvCursor, readCsvChunks } from "../../connectors/csv/csv-read.js";
import { CsvWriter } from "../../connectors/csv/csv-write.js";
import { ExternalSorter, keyComparator, type Row } from "./external-sort.js";
import type { MappedFile } from "./mappings.js";
import type { SynchronizationMode } from "../vocabulary.js";
import type { WorkContext } from "../work-context.js";


/** A queued batch folder: `000042-Incremental`. */
export const BATCH_NAME = /^(\d{6,})-(Initial|Complete|Incremental)$/;
export const MANIFEST = "batch.json";
export const DEFAULT_MEMORY_BUDGET = 64 * 1024 * 1024;
const COMMANDS = new Map([
  ["insert", "insert"],
  ["add", "insert"],
  ["update", "update"],
  ["delete", "delete"],
  ["merge", "merge"],
]);

export interface Counters {
  rowsRead: number;
  rowsWritten: number;
  nullPrimaryKeys: number;
  duplicates: number;
  deltaInserts: number;
  deltaUpdates: number;
  deltaDeletes: number;
  deltaMerges: number;
  sortRuns: number;
  batchesCancelled: number;
}

export interface ManifestEntry {
  kind: MappedFile["kind"];
  identifier: string;
  connectionTable: string;
  columns: string[];
  key: string[];
  /** The rows for Synchronize: `.sorted.csv` (whole set) or `.sorted.delta` (changes, with a `command` column first). */
  file: string;
  /** none: a whole set; diff: computed against previous/; changes: the export's own command column. */
  delta: "none" | "diff" | "changes";
  nullPrimaryKeysFile?: string;
  duplicatesFile?: string;
  counts: Omit<Counters, "batchesCancelled">;
}

export interface Manifest {
  format: 1;
  connector: string;
  mode: SynchronizationMode;
  sequence: number;
  job: string;
  jobInstance: number;
  task: string;
  createdAt: string;
  entries: ManifestEntry[];
}

export interface PrepareOptions extends Pick<WorkContext, "job" | "signal">, Partial<Pick<WorkContext<Counters>, "log" | "progress">> {
  connector: string;
  mode: SynchronizationMode;
  files: MappedFile[];
  /** Where `<ConnectionTable>.csv` files are read. */
  exportFolder: string;
  /** Batches go to `<workFolder>/Collect/<connector>/`. */
  workFolder: string;
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

export function collectFolder(workFolder: string, connector: string): string {
  return join(workFolder, "Collect", connector);
}

export async function prepareSynchronization(options: PrepareOptions): Promise<PrepareOutcome> {
  const { signal } = options;
  signal.throwIfAborted();
  const collect = collectFolder(options.workFolder, options.connector);
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
    const { name, sequence } = await queue(collect, batchStage, manifest, signal);
    manifest.sequence = sequence;

    if (options.mode !== "Incremental") {
      for (const other of await readdir(collect)) {
        const match = BATCH_NAME.exec(other);
        if (match === null || match[2] !== "Incremental" || Number(match[1]) >= sequence) continue;
        await rm(join(collect, other), { recursive: true, force: true });
        totals.batchesCancelled++;
        options.log?.("Information", `queued batch ${other} of ${options.connector} cancelled by the ${options.mode} batch ${name}`);
      }
    }

    // The new baseline, file by file (each rename is atomic). A pass-through of changes has none.
    const baselines = await readdir(baselineStage);
    if (baselines.length > 0) {
      const previous = join(collect, "previous");
      await mkdir(previous, { recursive: true });
      for (const baseline of baselines) await rename(join(baselineStage, baseline), join(previous, baseline));
    }
    options.progress?.({ ...totals });
    return { batch: name, folder: join(collect, name), manifest, counters: totals };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Writes the manifest into the finished batch folder and renames the folder into the queue. */
async function queue(collect: string, batchStage: string, manifest: Manifest, signal: AbortSignal): Promise<{ name: string; sequence: number }> {
  const counterPath = join(collect, "sequence");
  let last = 0;
  if (existsSync(counterPath)) last = Number((await readFile(counterPath, "utf8")).trim()) || 0;
  for (const name of await readdir(collect)) {
    const match = BATCH_NAME.exec(name);
    if (match !== null) last = Math.max(last, Number(match[1]));
  }
  for (let sequence = last + 1; ; sequence++) {
    signal.throwIfAborted();
    manifest.sequence = sequence;
    await writeFile(join(batchStage, `${MANIFEST}.tmp`), JSON.stringify(manifest, null, 2) + "\n");
    await rename(join(batchStage, `${MANIFEST}.tmp`), join(batchStage, MANIFEST));
    const name = `${String(sequence).padStart(6, "0")}-${manifest.mode}`;
    try {
      await rename(batchStage, join(collect, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTEMPTY") continue; // another prepare took that number
      throw error;
    }
    await writeFile(`${counterPath}.tmp`, `${sequence}\n`);
    await rename(`${counterPath}.tmp`, counterPath);
    return { name, sequence };
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
  const input = join(options.exportFolder, `${file.connectionTable}.csv`);
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
        const previous = join(collect, "previous", sortedName);
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

function writer(path: string, columns: string[], writers: CsvWriter[]): CsvWriter {
  const created = CsvWriter.create(path, columns);
  writers.push(created);
  return created;
}

/**
 * Compares two files sorted by the same key, without duplicates: a key only in the new file is an
 * insert, only in the previous one a delete (with the previous values), in both with another value
 * in some column an update.
 */
async function diffSorted(
  previousPath: string | undefined,
  currentPath: string,
  deltaPath: string,
  file: MappedFile,
  signal: AbortSignal,
): Promise<{ inserts: number; updates: number; deletes: number }> {
  const compare = keyComparator(Array.from({ length: file.keyLength }, (_, i) => i));
  const counts = { inserts: 0, updates: 0, deletes: 0 };
  const current = new CsvCursor(currentPath, signal);
  const previous = previousPath === undefined ? undefined : new CsvCursor(previousPath, signal);
  const out = CsvWriter.create(deltaPath, ["command", ...file.columns]);
  let ok = false;
  try {
    await current.next();
    if (previous !== undefined) {
      const columns = (await previous.next()) ?? [];
      if (columns.join("\u0000") !== file.columns.join("\u0000")) {
        throw new Error(
          `${file.identifier}: previous/${file.identifier}.sorted.csv has the columns ${columns.join(", ")}, the mapping now ${file.columns.join(", ")}:` +
            " run a Complete prepare to set a new baseline",
        );
      }
    }
    const nextOf = async (reader: CsvCursor | undefined): Promise<Row | undefined> => {
      if (reader === undefined) return undefined;
      const record = reader.take() ?? (await reader.next());
      if (record !== undefined) while (record.length < file.columns.length) record.push("");
      return record;
    };
    let a = await nextOf(previous);
    let b = await nextOf(current);
    let steps = 0;
    while (a !== undefined || b !== undefined) {
      if (++steps % 10_000 === 0) signal.throwIfAborted();
      const order = a === undefined ? 1 : b === undefined ? -1 : compare(a, b);
      if (order < 0) {
        out.write(["delete", ...(a as Row)]);
        counts.deletes++;
        a = await nextOf(previous);
      } else if (order > 0) {
        out.write(["insert", ...(b as Row)]);
        counts.inserts++;
        b = await nextOf(current);
      } else {
        if ((a as Row).some((value, i) => value !== (b as Row)[i])) {
          out.write(["update", ...(b as Row)]);
          counts.updates++;
        }
        a = await nextOf(previous);
        b = await nextOf(current);
      }
    }
    ok = true;
    return counts;
  } finally {
    out.close(ok);
    await current.close();
    await previous?.close();
  }
}

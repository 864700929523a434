/**
 * The batch queue between PrepareSynchronization (the producer, prepare.ts) and Synchronize (the
 * consumer): a folder per database and connector, `<workFolder>/Collect/<database>/<Connector>/`, where each batch is a
 * folder named `<sequence>-<mode>` holding its sorted files and its manifest (`batch.json`).
 *
 * Queueing: a batch is built elsewhere and queued by renaming its complete folder (manifest
 * included), so a reader never sees a half batch; the sequence number is one more than the highest
 * queued or recorded (`sequence` file), and a rename that finds the name taken tries the next one.
 * A Complete or Initial batch cancels the Incremental batches queued before it.
 *
 * Taking: the oldest queued batch is taken by renaming its folder to `<name>.taken` before anything
 * is read, so that a Complete prepare cancelling the queued Incrementals (it removes folders named
 * `<NNNNNN>-Incremental` only) cannot delete it mid-read. The batch is removed (consumed) once its
 * changes are committed; when the task fails before that, it is renamed back into the queue
 * (released). A `.taken` folder left by a killed run (SIGKILL) is taken again first, in sequence order.
 *
 * Confinement: every path the queue reads or writes must resolve, symbolic links followed, inside
 * the work folder (confined-path.ts): a symlinked connector folder, batch folder, manifest or batch
 * file leading elsewhere is refused before anything is read through it.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MappedFile } from "./mappings.js";
import type { Store } from "../../store/store.js";
import type { SynchronizationMode } from "../vocabulary.js";
import { confineTo } from "../confined-path.js";

/** A queued batch folder: `000042-Incremental`. */
export const BATCH_NAME = /^(\d{6,})-(Initial|Complete|Incremental)$/;
export const MANIFEST = "batch.json";

/** What preparing one file counted (in its manifest entry). */
export interface FileCounts {
  rowsRead: number;
  rowsWritten: number;
  nullPrimaryKeys: number;
  duplicates: number;
  deltaInserts: number;
  deltaUpdates: number;
  deltaDeletes: number;
  deltaMerges: number;
  sortRuns: number;
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
  counts: FileCounts;
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

/**
 * The queue folder of a connector in one database's queue: `<workFolder>/Collect/<database>/<connector>/`.
 * Two databases used from one working folder must not take each other's batches or share numbers.
 */
export function collectFolder(workFolder: string, connector: string, database: string): string {
  return confineTo(join(workFolder, "Collect", database, connector), workFolder);
}

/** The name of a database's queue: stable for the database whatever the URL's password, different per database and schema. */
export function databaseQueue(store: Store): string {
  const options = store.dataSource.options as { database?: unknown; schema?: unknown };
  // A SQLite store is its file (the URL may be relative); a server store is its redacted URL.
  const where = store.dialect === "sqlite" ? String(options.database) : store.display;
  const identity = `${store.dialect}\u0000${where}\u0000${typeof options.schema === "string" ? options.schema : ""}`;
  return `db-${createHash("sha256").update(identity).digest("hex").slice(0, 12)}`;
}

/** Writes the manifest into the finished batch folder and renames the folder into the queue (of `workFolder`). */
export async function enqueueBatch(
  workFolder: string, collect: string, batchStage: string, manifest: Manifest, signal: AbortSignal,
): Promise<{ name: string; sequence: number }> {
  const counterPath = confineTo(join(collect, "sequence"), workFolder);
  confineTo(`${counterPath}.tmp`, workFolder);
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

/** Removes the Incremental batches queued before `sequence` (a Complete or Initial batch makes them moot); returns their names. */
export async function cancelQueuedIncrementals(collect: string, sequence: number): Promise<string[]> {
  const cancelled: string[] = [];
  for (const other of await readdir(collect)) {
    const match = BATCH_NAME.exec(other);
    if (match === null || match[2] !== "Incremental" || Number(match[1]) >= sequence) continue;
    await rm(join(collect, other), { recursive: true, force: true });
    cancelled.push(other);
  }
  return cancelled;
}

export const TAKEN_SUFFIX = ".taken";

export interface TakenBatch {
  /** The queued name, `000042-Complete`. */
  name: string;
  sequence: number;
  /** The folder while taken (`<name>.taken`). */
  folder: string;
  /** Where the batch goes back to when released. */
  queuedFolder: string;
  manifest: Manifest;
}

interface QueuedBatch {
  name: string;
  sequence: number;
  /** Taken by a synchronization (running, or killed: the next one takes it again first). */
  taken: boolean;
}

/** The batches of a queue folder in the order synchronization takes them. */
async function queuedBatches(collect: string): Promise<QueuedBatch[]> {
  const batches: QueuedBatch[] = [];
  for (const entry of await readdir(collect)) {
    const taken = entry.endsWith(TAKEN_SUFFIX);
    const name = taken ? entry.slice(0, -TAKEN_SUFFIX.length) : entry;
    const match = BATCH_NAME.exec(name);
    if (match !== null) batches.push({ name, sequence: Number(match[1]), taken });
  }
  return batches.sort((a, b) => a.sequence - b.sequence || Number(b.taken) - Number(a.taken));
}

/** Takes the oldest batch of the connector, or returns undefined when none is queued. */
export async function takeOldestBatch(workFolder: string, connector: string, database: string): Promise<TakenBatch | undefined> {
  const collect = collectFolder(workFolder, connector, database);
  if (!existsSync(collect)) return undefined;
  for (;;) {
    const candidates = await queuedBatches(collect);
    if (candidates.length === 0) return undefined;
    const next = candidates[0]!;
    const folder = join(collect, next.name + TAKEN_SUFFIX);
    const queuedFolder = join(collect, next.name);
    confineTo(next.taken ? folder : queuedFolder, workFolder);
    if (!next.taken) {
      try {
        await rename(queuedFolder, folder);
      } catch (error) {
        // Cancelled by a Complete prepare between the listing and the rename: look again.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
    }
    try {
      const manifest = JSON.parse(await readFile(confineTo(join(folder, MANIFEST), workFolder), "utf8")) as Manifest;
      if (manifest.format !== 1) throw new Error(`batch ${next.name} of ${connector}: unknown manifest format ${String(manifest.format)}`);
      // The manifest names the files Synchronize reads: each must stay in the work folder too.
      for (const entry of manifest.entries) confineTo(join(folder, entry.file), workFolder);
      return { name: next.name, sequence: next.sequence, folder, queuedFolder, manifest };
    } catch (error) {
      // Back into the queue as it was: a refused batch is the operator's to mend or discard.
      if (!next.taken) await rename(folder, queuedFolder).catch(() => undefined);
      throw error;
    }
  }
}

/** Puts a taken batch back into the queue (the task failed before committing). */
export async function releaseBatch(batch: TakenBatch): Promise<void> {
  if (existsSync(batch.folder) && !existsSync(batch.queuedFolder)) await rename(batch.folder, batch.queuedFolder);
}

/** Removes a batch whose changes are committed (applied, or stored as blocked changes). */
export async function consumeBatch(batch: TakenBatch): Promise<void> {
  await rm(batch.folder, { recursive: true, force: true });
}

/**
 * Removes a batch from the queue without applying it: the one named, else the one the next
 * synchronization would take. A batch no synchronization can apply would otherwise block its
 * connector's queue for good. Returns the name removed, or undefined when there is no such batch.
 */
export async function discardBatch(workFolder: string, connector: string, database: string, name?: string): Promise<string | undefined> {
  const collect = collectFolder(workFolder, connector, database);
  if (!existsSync(collect)) return undefined;
  const batches = await queuedBatches(collect);
  const chosen = name === undefined ? batches[0] : batches.find((batch) => batch.name === name);
  if (chosen === undefined) return undefined;
  await rm(join(collect, chosen.name + (chosen.taken ? TAKEN_SUFFIX : "")), { recursive: true, force: true });
  return chosen.name;
}

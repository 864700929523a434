/**
 * SynchronizeTask's hold on the batch queue of PrepareSynchronization (src/domain/sync/prepare.ts): the
 * oldest queued batch is taken by renaming its folder to `<name>.taken` before anything is read,
 * so that a Complete prepare cancelling the queued Incrementals (it removes folders named
 * `<NNNNNN>-Incremental` only) cannot delete it mid-read. The batch is removed once its changes are
 * committed; when the task fails before that, it is renamed back into the queue. A `.taken` folder
 * left by a killed run (SIGKILL) is taken again first, in sequence order.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { BATCH_NAME, collectFolder, MANIFEST, type Manifest } from "./prepare.js";

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

/** Takes the oldest batch of the connector, or returns undefined when none is queued. */
export async function takeOldestBatch(workFolder: string, connector: string): Promise<TakenBatch | undefined> {
  const collect = collectFolder(workFolder, connector);
  if (!existsSync(collect)) return undefined;
  for (;;) {
    const candidates: { name: string; sequence: number; taken: boolean }[] = [];
    for (const entry of await readdir(collect)) {
      const taken = entry.endsWith(TAKEN_SUFFIX);
      const name = taken ? entry.slice(0, -TAKEN_SUFFIX.length) : entry;
      const match = BATCH_NAME.exec(name);
      if (match !== null) candidates.push({ name, sequence: Number(match[1]), taken });
    }
    if (candidates.length === 0) return undefined;
    candidates.sort((a, b) => a.sequence - b.sequence || Number(b.taken) - Number(a.taken));
    const next = candidates[0]!;
    const folder = join(collect, next.name + TAKEN_SUFFIX);
    const queuedFolder = join(collect, next.name);
    if (!next.taken) {
      try {
        await rename(queuedFolder, folder);
      } catch (error) {
        // Cancelled by a Complete prepare between the listing and the rename: look again.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
    }
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST), "utf8")) as Manifest;
    if (manifest.format !== 1) throw new Error(`batch ${next.name} of ${connector}: unknown manifest format ${String(manifest.format)}`);
    return { name: next.name, sequence: next.sequence, folder, queuedFolder, manifest };
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

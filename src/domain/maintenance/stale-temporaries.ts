/**
 * The temporary files and folders of runs that were killed: exports written under a temporary name
 * (`.<table>.<pid>-<hex>.<n>.tmp`, `<cookie>.<pid>-<hex>.tmp`, `.<file>.<pid>.<hex>.tmp`) and prepare's
 * staging folders (`.staging-<pid>-<hex>`). Each name holds its writer's pid; one whose process is
 * gone from this host is removed at the next start of a run, so that a killed export of 100 MB does
 * not stay on the disk for good. A live pid (its own run, or a reused pid) keeps its files.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { processExists } from "../../store/lease.js";

const TEMPORARY = /^\..+[.](\d+)[-.][0-9a-f]{8}(?:\.\d+)?\.tmp$|^.+\.(\d+)-[0-9a-f]{8}\.tmp$|^\.staging-(\d+)-[0-9a-f]{8}$/;

/**
 * Removes the temporaries of dead writers in each folder and in its batch queues
 * (`Collect/<database>/<connector>/`); returns the paths removed.
 */
export function removeStaleTemporaries(folders: readonly string[], running: (pid: number) => boolean = processExists): string[] {
  const removed: string[] = [];
  for (const folder of new Set(folders)) {
    for (const dir of [folder, ...queueFolders(folder)]) {
      for (const name of list(dir)) {
        const match = TEMPORARY.exec(name);
        const pid = Number(match?.[1] ?? match?.[2] ?? match?.[3]);
        if (match === null || !Number.isSafeInteger(pid) || pid <= 0 || running(pid)) continue;
        rmSync(join(dir, name), { recursive: true, force: true });
        removed.push(join(dir, name));
      }
    }
  }
  return removed;
}

function queueFolders(folder: string): string[] {
  const collect = join(folder, "Collect");
  return list(collect).flatMap((database) => list(join(collect, database)).map((connector) => join(collect, database, connector)));
}

/** The entries of a folder; none when it is missing or not a folder. */
function list(dir: string): string[] {
  try {
    return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir) : [];
  } catch {
    return [];
  }
}

/** removeStaleTemporaries at the start of a run, saying what it removed; a failure is a warning, never the run's end. */
export function sweepStaleTemporaries(folders: readonly string[], log: (level: "Information" | "Warning", message: string) => void): void {
  try {
    const removed = removeStaleTemporaries(folders);
    if (removed.length > 0) {
      log("Information", `removed ${removed.length} temporary file(s) of killed runs: ${removed.slice(0, 5).join(", ")}${removed.length > 5 ? ", …" : ""}`);
    }
  } catch (error) {
    log("Warning", `could not remove the temporary files of killed runs: ${(error as Error).message}`);
  }
}

/**
 * SQLite's WAL checkpoints, off the job's thread. By default the connection that commits copies the
 * log back into the database file, and syncs it, as soon as the log passes 1,000 pages: a task that
 * rewrote 10,000 scattered rows waited ~400 ms at its COMMIT (bench:sync, Incremental 1%), a Dirty
 * recompute a third of its write time. Here the store's connection checkpoints itself only past
 * BACKSTOP_PAGES (so that the log cannot grow without bound when nothing else does it), and a worker
 * thread with a connection of its own runs a PASSIVE checkpoint (which never waits for, nor blocks,
 * the writer) each time the log has grown past CHECKPOINT_BYTES since the last one: on the machine's
 * other core, while the job goes on. The thread starts the first time the log is that large, so that
 * a store that writes little (a CLI command, a test) never starts one.
 */
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { BackgroundWork } from "./profile.js";

/** The store's connection's own wal_autocheckpoint: 256 MiB of 4 KiB pages. */
export const BACKSTOP_PAGES = 65_536;
/** SQLite's own threshold (1,000 pages of 4 KiB), in bytes of log. */
const CHECKPOINT_BYTES = 4_096_000;
const POLL_MS = 100;

// CommonJS, run by `new Worker(…, { eval: true })`: no file to find next to this module, from src/ or dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  let error;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (caught) {
    error = String(caught && caught.message);
  }
  parentPort.postMessage({ error });
});
`;

/** Its close() stops watching and closes the thread's connection: before the store's own closes, whose last checkpoint then empties the log. */
export type Checkpointer = BackgroundWork;

/** Watches the log of the SQLite database `file` (in WAL mode) and checkpoints it from a worker thread. */
export function startCheckpointer(file: string): Checkpointer {
  const log = `${file}-wal`;
  let worker: Worker | undefined;
  let busy = false;
  let checkpointed = ""; // the log's size and time when the last checkpoint was asked for
  const poll = setInterval(() => {
    if (busy) return;
    let stamp: string;
    try {
      const stats = statSync(log);
      if (stats.size < CHECKPOINT_BYTES) return;
      stamp = `${stats.size}:${stats.mtimeMs}`;
    } catch {
      return; // no log yet, or the database is gone: the store's own statements report that
    }
    if (stamp === checkpointed) return;
    checkpointed = stamp;
    busy = true;
    worker ??= spawn();
    worker.postMessage("checkpoint");
  }, POLL_MS);
  poll.unref();

  const spawn = (): Worker => {
    const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver: createRequire(import.meta.url).resolve("better-sqlite3") } });
    thread.unref();
    // A failed checkpoint is tried again when the log grows. A thread that fails (it cannot open the
    // file) is not started again: the connection's backstop checkpoints from then on.
    thread.on("message", () => (busy = false));
    thread.on("error", () => {
      clearInterval(poll);
      worker = undefined; // gone: nothing for close() to wait for
    });
    return thread;
  };

  return {
    async close() {
      clearInterval(poll);
      const thread = worker;
      worker = undefined;
      if (thread === undefined) return;
      const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
      thread.ref(); // waited for now: an unreferenced thread would let the process end before it closes
      thread.postMessage("close");
      await exited;
    },
  };
}

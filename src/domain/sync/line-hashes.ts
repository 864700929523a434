/**
 * The csvHash of an export's plain lines, computed in a worker thread while the prepare goes on
 * with the lines before: SHA-256 costs ~1 µs a line, most of it the call itself, a third of an
 * Incremental diff of a whole export (1,000,000 lines: ~1 s of ~3). The thread gets a chunk's lines
 * as one text and answers their hashes as one text, HASH_CHARS each, in order.
 */
import { Worker } from "node:worker_threads";
import { HASH_CHARS } from "./baseline.js";

/** Below this, a thread costs more than it saves. */
export const THREAD_MIN_BYTES = 8 * 1024 * 1024;

// CommonJS, run by `new Worker(…, { eval: true })`; the same hash as baseline.ts' csvHash.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { hash } = require("node:crypto");
parentPort.on("message", (text) => {
  let hashes = "";
  for (const line of text.split("\\n")) hashes += hash("sha256", line, "base64url").slice(0, workerData.hashChars);
  parentPort.postMessage(hashes);
});
`;

export class LineHasher {
  readonly #worker: Worker;
  /** The answers awaited, in the order the texts were sent. */
  readonly #waiting: { resolve: (hashes: string) => void; reject: (error: Error) => void }[] = [];
  #failed: Error | undefined;

  constructor() {
    // A small young generation: its strings live for one chunk, and the prepare's peak RSS counts this heap too.
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { hashChars: HASH_CHARS }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.#worker.on("message", (hashes: string) => this.#waiting.shift()?.resolve(hashes));
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", (code) => this.#fail(new Error(`the hashing thread exited (code ${code})`)));
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const waiting of this.#waiting.splice(0)) waiting.reject(this.#failed);
  }

  /** The hashes of `lines` (none holds a line end), HASH_CHARS each, in order. */
  hash(lines: readonly string[]): Promise<string> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    if (lines.length === 0) return Promise.resolve("");
    const hashes = new Promise<string>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#worker.postMessage(lines.join("\n"));
    });
    // A chunk the reader never gets to (it stopped at an error of its own) must not fail the process.
    hashes.catch(() => undefined);
    return hashes;
  }

  async close(): Promise<void> {
    this.#fail(new Error("the hashing thread was closed"));
    await this.#worker.terminate();
  }
}

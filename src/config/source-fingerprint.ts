/**
 * The fingerprint of what a deploy's items are made of: the toolkit build, and every file the
 * validation read (configuration and modules), with its name. Two folders with the same fingerprint
 * make the same items, sources included, so a deploy whose fingerprint is the last deployment's has
 * nothing to compare (deploy/apply.ts). SHA-256: the processor's instructions hash 50 MB in ~35 ms.
 */
import { createHash, type Hash } from "node:crypto";
import { toolkitBuildId } from "./toolkit-build.js";

export class SourceFingerprint {
  readonly #hash: Hash = createHash("sha256").update(`${toolkitBuildId()}\u0000`);

  /** `layer`: "configuration", or the module the file belongs to. */
  add(layer: string, file: string, bytes: Uint8Array): void {
    this.#hash.update(`${layer}\u0000${file}\u0000${bytes.length}\u0000`).update(bytes);
  }

  digest(): string {
    return this.#hash.digest("hex");
  }
}

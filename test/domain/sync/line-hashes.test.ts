import { afterEach, describe, expect, it } from "vitest";
import { csvHash, HASH_CHARS } from "../../../src/domain/sync/baseline.js";
import { LineHasher } from "../../../src/domain/sync/line-hashes.js";

let hasher: LineHasher | undefined;
afterEach(async () => {
  await hasher?.close();
  hasher = undefined;
});

describe("LineHasher", () => {
  it("answers csvHash of each line, in order, for several chunks in flight", async () => {
    hasher = new LineHasher();
    const chunks = Array.from({ length: 20 }, (_, c) => Array.from({ length: 500 }, (_, i) => `k${c}-${i},Zoë,"quoted, comma",${"x".repeat(i % 50)},😀`));
    chunks.push([""], []);
    const answers = await Promise.all(chunks.map((lines) => hasher!.hash(lines)));
    answers.forEach((hashes, c) => {
      const lines = chunks[c]!;
      expect(hashes.length).toBe(lines.length * HASH_CHARS);
      expect(Array.from({ length: lines.length }, (_, i) => hashes.slice(i * HASH_CHARS, (i + 1) * HASH_CHARS))).toEqual(lines.map(csvHash));
    });
  });

  it("fails what is asked after its thread is gone, instead of waiting forever", async () => {
    hasher = new LineHasher();
    await hasher.hash(["a"]);
    await hasher.close();
    await expect(Promise.race([hasher.hash(["b"]), new Promise((resolve) => setTimeout(() => resolve("waiting"), 2000))])).rejects.toThrow(/thread/);
    hasher = undefined;
  });
});

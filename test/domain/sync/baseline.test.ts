import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Baseline, BaselineFile, BaselineWriter, keepFirstEntries, rowHash, type BaselineShape } from "../../../src/domain/sync/baseline.js";
import { joinKey } from "../../../src/domain/sync/external-sort.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const signal = new AbortController().signal;
const PEOPLE: BaselineShape = { columns: ["id", "name"], keyLength: 1 };
const MEMBERS: BaselineShape = { columns: ["group", "member"], keyLength: 2 };
const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Keys that sort in awkward ways: prefixes, case, accents, characters beyond U+FFFF and in U+E000–U+FFFF. */
const KEYS = ["", "a", "a b", "ab", "B", "b", "é", "e\u0301", "\uFFFD", "\u{1F600}", "\u4E2D", "z\r\nz", "9", "10"].filter((k) => k !== "").sort(ordinal);

/** A folder of the test's own, removed after it. */
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "idm-baseline-"));
  folders.push(folder);
  return folder;
}

function write(shape: BaselineShape, keys: string[], name = "x.baseline"): string {
  const path = join(tempFolder(), name);
  const writer = BaselineWriter.create(path, shape);
  for (const key of keys) writer.add(key, rowHash([key, "row"]));
  writer.close();
  return path;
}

async function open(path: string, shape = PEOPLE, budget = 1 << 30): Promise<BaselineFile> {
  const opened = await BaselineFile.open(path, shape, budget, signal);
  if (opened.state !== "found") throw new Error(`the baseline is ${opened.state}`);
  return opened.file;
}

/** Every entry of every partition: [partition, key, whether its hash is the one written]. */
async function entries(file: BaselineFile): Promise<[number, string, boolean][]> {
  const found: [number, string, boolean][] = [];
  for (let p = 0; p < file.partitions; p++) {
    const baseline: Baseline = await file.load(p, signal);
    for (let i = 0; i < baseline.size; i++) found.push([p, baseline.key(i), baseline.hashIs(i, rowHash([baseline.key(i), "row"]))]);
  }
  return found;
}

describe("a baseline", () => {
  it("reads back the keys and hashes written, and finds each key, and no other", async () => {
    const file = await open(write(PEOPLE, KEYS));
    expect(file.partitions).toBe(1);
    expect(await entries(file)).toEqual(KEYS.map((key) => [0, key, true]));
    const baseline = await file.load(0, signal);
    for (const [i, key] of KEYS.entries()) expect(baseline.find(key)).toBe(i);
    for (const absent of ["", "A", "a c", "aa", "\u{1F601}", "é ", "1"]) expect(baseline.find(absent)).toBe(-1);
    expect(baseline.hashIs(0, rowHash(["another", "row"]))).toBe(false);
  });

  it("keeps a key of several values apart from the same characters split otherwise", async () => {
    const keys = [["a", "b c"], ["a", "bc"], ["a b", "c"], ["ab", ""], ["ab", "c"]].map(joinKey).sort(ordinal);
    const file = await open(write(MEMBERS, keys), MEMBERS);
    const baseline = await file.load(0, signal);
    expect(keys.map((key) => baseline.find(key))).toEqual([0, 1, 2, 3, 4]);
    expect(baseline.find(joinKey(["a", "b"]))).toBe(-1);
  });

  it("larger than the budget, is read one partition at a time: every entry once, in the partition partitionOf names, in the file's order", async () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => `k${(i * 7919) % 5_000}`);
    const file = await open(write(PEOPLE, keys), PEOPLE, 40_000);
    expect(file.partitions).toBeGreaterThan(3);
    const found = await entries(file);
    expect(found.every(([p, key, hashed]) => hashed && file.partitionOf(key) === p)).toBe(true);
    for (let p = 0; p < file.partitions; p++) {
      const inPartition = keys.filter((key) => file.partitionOf(key) === p);
      expect(inPartition.length).toBeGreaterThan(5_000 / file.partitions / 2);
      expect(found.filter(([q]) => q === p).map(([, key]) => key)).toEqual(inPartition);
    }
  });

  it("of version 1 (its entries in key order) is read as it is", async () => {
    const path = write(PEOPLE, KEYS);
    const bytes = readFileSync(path);
    expect(bytes.toString("latin1", 0, 15)).toBe("idm-baseline 2 ");
    bytes.write("1", 13, "latin1");
    writeFileSync(path, bytes);
    expect(await entries(await open(path))).toEqual(KEYS.map((key) => [0, key, true]));
  });

  it("rewritten with the first entry of each repeated key only, keeps the others in order", async () => {
    const path = join(tempFolder(), "repeated.baseline");
    const writer = BaselineWriter.create(path, PEOPLE);
    const added: [string, string][] = [["b", "1"], ["a", "1"], ["b", "2"], ["c", "1"], ["a", "2"], ["b", "3"]];
    for (const [key, row] of added) writer.add(key, rowHash([key, row]));
    writer.close();
    await keepFirstEntries(path, new Set(["a", "b"]), signal);
    const baseline = await (await open(path)).load(0, signal);
    expect(Array.from({ length: baseline.size }, (_, i) => [baseline.key(i), baseline.hashIs(i, rowHash([baseline.key(i), "1"]))])).toEqual([["b", true], ["a", true], ["c", true]]);
  });

  it("is missing, or damaged when cut short, altered, or left unfinished by its writer", async () => {
    const folder = tempFolder();
    expect(await BaselineFile.open(join(folder, "none.baseline"), PEOPLE, 1 << 30, signal)).toEqual({ state: "missing" });

    const cut = write(PEOPLE, KEYS);
    truncateSync(cut, readFileSync(cut).length - 5);
    const altered = write(PEOPLE, KEYS);
    const bytes = readFileSync(altered);
    bytes[bytes.length - 3] = bytes[bytes.length - 3] === 65 ? 66 : 65;
    writeFileSync(altered, bytes);
    const unfinished = join(folder, "unfinished.baseline");
    const writer = BaselineWriter.create(unfinished, PEOPLE);
    for (const key of KEYS) writer.add(key, rowHash([key]));
    writer.close(false);
    const empty = join(folder, "empty.baseline");
    writeFileSync(empty, "");
    const other = join(folder, "other.baseline");
    writeFileSync(other, "id,name\r\n1,Ann\r\n");
    for (const path of [cut, altered, unfinished, empty, other]) {
      expect(await BaselineFile.open(path, PEOPLE, 1 << 30, signal)).toEqual({ state: "damaged", reason: expect.any(String) });
    }
  });

  it("of other columns is an error: the mapping changed, a Complete prepare sets a new one", async () => {
    const path = write(PEOPLE, KEYS);
    await expect(BaselineFile.open(path, { columns: ["id", "mail"], keyLength: 1 }, 1 << 30, signal)).rejects.toThrow(
      /has the columns id, name, the mapping now id, mail: run a Complete prepare/,
    );
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { csvLine } from "../../../src/connectors/csv/csv-write.js";
import type { MappedFile } from "../../../src/domain/sync/mappings.js";
import { collectFolder, type Manifest } from "../../../src/domain/sync/batch-queue.js";
import { BaselineFile, BaselineWriter, csvHash, rowHash } from "../../../src/domain/sync/baseline.js";
import { prepareSynchronization, type PrepareOptions } from "../../../src/domain/sync/prepare.js";
import { type SynchronizationMode } from "../../../src/domain/vocabulary.js";
import { readCsv } from "../../helpers/demo-data.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), "idm-prepare-"));
  folders.push(root);
  const exportFolder = join(root, "export");
  const workFolder = join(root, "work");
  mkdirSync(exportFolder);
  const collect = collectFolder(workFolder, "HR", "db-test");
  const writeExport = (table: string, rows: string[][], bom = false) =>
    writeFileSync(join(exportFolder, `${table}.csv`), (bom ? "\uFEFF" : "") + rows.map(csvLine).join(""));
  const run = (mode: SynchronizationMode, files: MappedFile[], extra: Partial<PrepareOptions> = {}) =>
    prepareSynchronization({
      connector: "HR",
      mode,
      files,
      exportFolder,
      workFolder,
      database: "db-test",
      job: { identifier: "J", instanceId: 7 },
      task: "HR_Prepare",
      signal: new AbortController().signal,
      ...extra,
    });
  const batches = () => readdirSync(collect).filter((name) => /^\d{6}-/.test(name)).sort();
  return { root, exportFolder, workFolder, collect, writeExport, run, batches };
}

const PEOPLE: MappedFile = { kind: "EntityType", identifier: "HR_Person", connectionTable: "HRPeople", columns: ["id", "name", "dept"], keyLength: 1 };
const MEMBERS: MappedFile = { kind: "EntityAssociation", identifier: "HR_Person_Department", connectionTable: "HRPeople", columns: ["dept", "id"], keyLength: 2 };
const HEADER = ["id", "unused", "name", "dept"];

/** A deterministic pseudo-random generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** A row's hash in a baseline prepare writes: of its CSV line, without the line end. */
const lineHash = (values: string[]) => csvHash(csvLine(values).slice(0, -2));

const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A mapping's baseline in previous/: [key, row hash] in file order (keys of several values joined by NUL). */
async function baselineEntries(collect: string, file: MappedFile): Promise<[string, string][]> {
  const opened = await BaselineFile.open(join(collect, "previous", `${file.identifier}.baseline`), file, 1 << 30, new AbortController().signal);
  if (opened.state !== "found") throw new Error(`the baseline is ${opened.state}`);
  const baseline = await opened.file.load(0, new AbortController().signal);
  return Array.from({ length: baseline.size }, (_, i) => [baseline.key(i), baseline.bytes.toString("latin1", baseline.keyEnds[i]! + 1, baseline.keyEnds[i]! + 23)]);
}

/** A mapping's baseline in previous/ by key: what it holds (its order, the export's, only makes a diff faster). */
async function baselineOf(collect: string, file: MappedFile): Promise<[string, string][]> {
  return (await baselineEntries(collect, file)).sort(([a], [b]) => ordinal(a, b));
}

/** What prepare should write, computed independently: first row of each key kept, the others apart. */
function expected(rows: string[][], columns: number[], key: number) {
  const projected = rows.map((row) => columns.map((i) => row[i] ?? ""));
  const nullpk = projected.filter((row) => row[key] === "");
  const kept = new Map<string, string[]>();
  const duplicates: string[][] = [];
  for (const row of projected) {
    if (row[key] === "") continue;
    if (kept.has(row[key] as string)) duplicates.push(row);
    else kept.set(row[key] as string, row);
  }
  const sorted = [...kept.entries()].sort(([a], [b]) => ordinal(a, b)).map(([, row]) => row);
  // Duplicates in key order, each key's in input order (Array.prototype.sort is stable).
  duplicates.sort((a, b) => ordinal(a[key] as string, b[key] as string));
  return { nullpk, sorted, duplicates };
}

/** The delta between two sorted sets of rows keyed by their first value, computed independently: inserts, deletes (key only) and updates, in key order. */
function expectedDelta(before: string[][], after: string[][]): string[][] {
  const old = new Map(before.map((row) => [row[0] as string, row]));
  const now = new Map(after.map((row) => [row[0] as string, row]));
  const delta: string[][] = [];
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort(ordinal)) {
    const a = old.get(key);
    const b = now.get(key);
    if (a === undefined) delta.push(["insert", ...(b as string[])]);
    else if (b === undefined) delta.push(["delete", key, "", ""]);
    else if (a.join("\u0000") !== b.join("\u0000")) delta.push(["update", ...b]);
  }
  return delta;
}

function randomRows(seed: number, count: number, keys: number): string[][] {
  const next = random(seed);
  const texts = ["", "a", "b,c", 'q"uote', "multi\r\nline", "é", "Z", "z", " ", "10", "9"];
  return Array.from({ length: count }, (_, i) => {
    const k = Math.floor(next() * keys);
    const id = next() < 0.03 ? "" : `k${k}${next() < 0.1 ? "\n2" : ""}`;
    return [id, "drop me", texts[Math.floor(next() * texts.length)] as string, `d${i % 5}`];
  });
}

describe("prepareSynchronization", () => {
  it("sets rows without a primary key and duplicates apart, sorts by key and keeps mapped columns only", async () => {
    const { writeExport, run, collect } = setup();
    writeExport("HRPeople", [
      HEADER,
      ["3", "x", "Carol", "D1"],
      ["1", "x", "Alice", "D1"],
      ["", "x", "Nobody", "D2"],
      ["2", "x", "Bob", "D2"],
      ["1", "x", "Alice again", "D3"],
      ["3", "x", "Carol again", ""],
    ]);
    const outcome = await run("Complete", [PEOPLE]);
    expect(outcome.batch).toBe("000001-Complete");
    const batch = join(collect, outcome.batch);
    expect(readCsv(join(batch, "HR_Person.sorted.csv"))).toEqual([["id", "name", "dept"], ["1", "Alice", "D1"], ["2", "Bob", "D2"], ["3", "Carol", "D1"]]);
    expect(readCsv(join(batch, "HR_Person.nullpk.csv"))).toEqual([["id", "name", "dept"], ["", "Nobody", "D2"]]);
    expect(readCsv(join(batch, "HR_Person.duplicates.csv"))).toEqual([["id", "name", "dept"], ["1", "Alice again", "D3"], ["3", "Carol again", ""]]);
    expect(outcome.counters).toMatchObject({ rowsRead: 6, rowsWritten: 3, nullPrimaryKeys: 1, duplicates: 2, deltaInserts: 0 });
    const manifest = JSON.parse(readFileSync(join(batch, "batch.json"), "utf8")) as Manifest;
    expect(manifest).toMatchObject({ format: 1, connector: "HR", mode: "Complete", sequence: 1, job: "J", jobInstance: 7, task: "HR_Prepare" });
    expect(manifest.entries).toEqual([
      expect.objectContaining({ identifier: "HR_Person", file: "HR_Person.sorted.csv", delta: "none", key: ["id"],
        nullPrimaryKeysFile: "HR_Person.nullpk.csv", duplicatesFile: "HR_Person.duplicates.csv" }),
    ]);
    // The baseline of the next incremental run: the keys, each with the hash of its row.
    expect(await baselineOf(collect, PEOPLE)).toEqual([["1", "Alice", "D1"], ["2", "Bob", "D2"], ["3", "Carol", "D1"]].map((row) => [row[0], lineHash(row)]));
    expect(readdirSync(collect).filter((name) => name.startsWith(".staging"))).toEqual([]);
  });

  it("sorts an association by both columns, setting apart rows missing either", async () => {
    const { writeExport, run, collect } = setup();
    writeExport("HRPeople", [HEADER, ["2", "", "B", "D1"], ["1", "", "A", "D2"], ["3", "", "C", ""], ["1", "", "A", "D2"], ["4", "", "D", "D1"]]);
    const outcome = await run("Complete", [PEOPLE, MEMBERS]);
    const batch = join(collect, outcome.batch);
    expect(readCsv(join(batch, "HR_Person_Department.sorted.csv"))).toEqual([["dept", "id"], ["D1", "2"], ["D1", "4"], ["D2", "1"]]);
    expect(readCsv(join(batch, "HR_Person_Department.nullpk.csv"))).toEqual([["dept", "id"], ["", "3"]]);
    expect(readCsv(join(batch, "HR_Person_Department.duplicates.csv"))).toEqual([["dept", "id"], ["D2", "1"]]);
    expect(outcome.manifest.entries.map((e) => e.file)).toEqual(["HR_Person.sorted.csv", "HR_Person_Department.sorted.csv"]);
  });

  for (const [name, budget] of [["in memory", undefined], ["with an external merge sort (many runs, several merge passes)", 2_000]] as const) {
    it(`sorts ${name} as an independent in-memory sort does, CSV quirks included`, async () => {
      const { writeExport, run, collect } = setup();
      const rows = randomRows(42, 3_000, 900);
      writeExport("HRPeople", [HEADER, ...rows], true);
      const outcome = await run("Complete", [PEOPLE], budget === undefined ? {} : { memoryBudgetBytes: budget });
      if (budget !== undefined) expect(outcome.counters.sortRuns).toBeGreaterThan(32);
      else expect(outcome.counters.sortRuns).toBe(0);
      const want = expected(rows, [0, 2, 3], 0);
      const batch = join(collect, outcome.batch);
      expect(readCsv(join(batch, "HR_Person.sorted.csv")).slice(1)).toEqual(want.sorted);
      expect(readCsv(join(batch, "HR_Person.duplicates.csv")).slice(1)).toEqual(want.duplicates);
      expect(readCsv(join(batch, "HR_Person.nullpk.csv")).slice(1)).toEqual(want.nullpk);
      expect(outcome.counters).toMatchObject({ rowsRead: 3_000, rowsWritten: want.sorted.length, duplicates: want.duplicates.length, nullPrimaryKeys: want.nullpk.length });
      expect(readdirSync(collect).filter((n) => n.startsWith("."))).toEqual([]);
    });
  }

  it("keeps the column order of an export of exactly the mapped columns, key first, in the sorted and duplicates files its manifest names", async () => {
    const { writeExport, run, collect } = setup();
    const OWN_ORDER = ["id", "dept", "name"];
    // Quotes, commas, line ends and a byte order mark among plain lines; short records (a missing last field).
    const rows = randomRows(8, 3_000, 900).map(([id, , name, dept], i) => (i % 7 === 0 && name === "" ? [id!, dept!] : [id!, dept!, i % 11 === 0 ? `\uFEFF${name}` : name!]));
    writeExport("HRPeople", [OWN_ORDER, ...rows]);
    const outcome = await run("Complete", [PEOPLE]);
    const want = expected(rows, [0, 1, 2], 0);
    const batch = join(collect, outcome.batch);
    expect(outcome.manifest.entries[0]).toMatchObject({ columns: OWN_ORDER, key: ["id"], file: "HR_Person.sorted.csv" });
    expect(readCsv(join(batch, "HR_Person.sorted.csv"))).toEqual([OWN_ORDER, ...want.sorted]);
    expect(readCsv(join(batch, "HR_Person.duplicates.csv"))).toEqual([OWN_ORDER, ...want.duplicates]);
    expect(readCsv(join(batch, "HR_Person.nullpk.csv")).slice(1)).toEqual(expected(rows, [0, 2, 1], 0).nullpk);
    expect(await baselineOf(collect, PEOPLE)).toEqual(want.sorted.map((row) => [row[0], lineHash(row)]));
  });

  it("diffs an incremental run against previous/ as an independent computation does, then moves the baseline", async () => {
    const { writeExport, run, collect } = setup();
    const first = randomRows(1, 1_500, 600);
    writeExport("HRPeople", [HEADER, ...first]);
    await run("Complete", [PEOPLE]);
    let before = expected(first, [0, 2, 3], 0).sorted;
    for (const [seed, budget] of [[2, 3_000], [3, undefined]] as const) {
      const next = randomRows(seed, 1_500, 600);
      writeExport("HRPeople", [HEADER, ...next]);
      // The small budget takes the baseline a key range at a time, and sorts the changes on disk.
      const opened = await BaselineFile.open(join(collect, "previous", "HR_Person.baseline"), PEOPLE, budget ?? 1 << 30, new AbortController().signal);
      expect(opened.state === "found" && opened.file.partitions > 1).toBe(budget !== undefined);
      const outcome = await run("Incremental", [PEOPLE], budget === undefined ? {} : { memoryBudgetBytes: budget });
      expect(outcome.counters.sortRuns > 0).toBe(budget !== undefined);
      const after = expected(next, [0, 2, 3], 0).sorted;
      const delta = expectedDelta(before, after);
      const batch = join(collect, outcome.batch);
      expect(outcome.batch).toMatch(/-Incremental$/);
      expect(readdirSync(batch).sort()).toEqual(["HR_Person.duplicates.csv", "HR_Person.nullpk.csv", "HR_Person.sorted.delta", "batch.json"]);
      expect(readCsv(join(batch, "HR_Person.sorted.delta"))).toEqual([["command", "id", "name", "dept"], ...delta]);
      const count = (command: string) => delta.filter((row) => row[0] === command).length;
      expect(outcome.counters).toMatchObject({ deltaInserts: count("insert"), deltaUpdates: count("update"), deltaDeletes: count("delete"), rowsWritten: delta.length });
      expect(count("insert") + count("update") + count("delete")).toBeGreaterThan(100);
      expect(await baselineOf(collect, PEOPLE)).toEqual(after.map((row) => [row[0], lineHash(row)]));
      const dropped = expected(next, [0, 2, 3], 0).duplicates;
      expect(outcome.counters.duplicates).toBe(dropped.length);
      expect(readCsv(join(batch, "HR_Person.duplicates.csv")).slice(1)).toEqual(dropped);
      before = after;
    }
  });

  it.each([
    ["in the reading thread", {}],
    ["in a hashing thread", { hashThreadMinBytes: 0 }],
  ])("hashes the rows of an export of exactly the mapped columns in its own order (%s), and diffs as an independent computation does whatever the previous baseline's form", async (_, threads) => {
    const { writeExport, run, collect } = setup();
    const OWN_ORDER = ["id", "dept", "name"];
    // Quotes, commas, line ends and short records (a missing last field) among plain lines.
    const rowsOf = (seed: number) => randomRows(seed, 1_500, 600).map(([id, , name, dept], i) => (i % 7 === 0 && name === "" ? [id!, dept!] : [id!, dept!, name!]));
    const path = join(collect, "previous", "HR_Person.baseline");
    const first = rowsOf(5);
    const firstSorted = expected(first, [0, 2, 1], 0).sorted;
    // Each form of the previous baseline: the mapped order (an export with an unmapped column), the
    // export's own order, and one written before hashColumns (values joined by NUL).
    const forms = [
      { name: "mapped", hashOf: (row: string[]) => lineHash(row), hashColumns: PEOPLE.columns },
      { name: "own", hashOf: (row: string[]) => lineHash([row[0]!, row[2]!, row[1]!]), hashColumns: OWN_ORDER },
      { name: "before hashColumns", hashOf: (row: string[]) => rowHash(row), hashColumns: undefined },
    ];
    for (const form of forms) {
      if (form.name === "mapped") writeExport("HRPeople", [HEADER, ...first.map(([id, dept, name]) => [id!, "", name ?? "", dept!])]);
      else writeExport("HRPeople", [OWN_ORDER, ...first]);
      await run("Complete", [PEOPLE], threads);
      if (form.hashColumns === undefined) {
        rmSync(path);
        const writer = BaselineWriter.create(path, PEOPLE);
        for (const row of firstSorted) writer.add(row[0]!, rowHash(row));
        writer.close();
      }
      const opened = await BaselineFile.open(path, PEOPLE, 1 << 30, new AbortController().signal);
      expect(opened.state === "found" && opened.file.hashColumns).toEqual(form.hashColumns);
      expect(await baselineOf(collect, PEOPLE)).toEqual(firstSorted.map((row) => [row[0], form.hashOf(row)]));
      let before = firstSorted;
      for (const seed of [6, 7]) {
        const next = rowsOf(seed);
        writeExport("HRPeople", [OWN_ORDER, ...next]);
        const outcome = await run("Incremental", [PEOPLE], threads);
        const after = expected(next, [0, 2, 1], 0).sorted;
        const delta = expectedDelta(before, after);
        expect(delta.length).toBeGreaterThan(100);
        expect(readCsv(join(collect, outcome.batch, "HR_Person.sorted.delta"))).toEqual([["command", "id", "name", "dept"], ...delta]);
        // The next baseline keeps the previous one's form: its hashes are merged with the new ones.
        expect(await baselineOf(collect, PEOPLE)).toEqual(after.map((row) => [row[0], form.hashOf(row)]));
        before = after;
      }
    }
  });

  it("writes a removed, an added and a changed row to the delta, not an unchanged one, and merges them into the next baseline", async () => {
    const { writeExport, run, collect } = setup();
    writeExport("HRPeople", [HEADER, ["1", "", "Unchanged", "D"], ["2", "", "Removed", "D"], ["3", "", "Changed", "D"]]);
    await run("Complete", [PEOPLE]);
    writeExport("HRPeople", [HEADER, ["4", "", "Added", "D"], ["3", "", "Changed", "E"], ["1", "", "Unchanged", "D"]]);
    const outcome = await run("Incremental", [PEOPLE]);
    expect(readCsv(join(collect, outcome.batch, "HR_Person.sorted.delta"))).toEqual([
      ["command", "id", "name", "dept"], ["delete", "2", "", ""], ["update", "3", "Changed", "E"], ["insert", "4", "Added", "D"],
    ]);
    expect(outcome.counters).toMatchObject({ rowsRead: 3, rowsWritten: 3, deltaInserts: 1, deltaUpdates: 1, deltaDeletes: 1 });
    expect(await baselineOf(collect, PEOPLE)).toEqual([["1", "", "Unchanged", "D"], ["3", "", "Changed", "E"], ["4", "", "Added", "D"]]
      .map(([id, , name, dept]) => [id, lineHash([id!, name!, dept!])]));
    // Nothing changed since: an empty delta.
    const again = await run("Incremental", [PEOPLE]);
    expect(readCsv(join(collect, again.batch, "HR_Person.sorted.delta"))).toEqual([["command", "id", "name", "dept"]]);
  });

  it("keeps a baseline in the export's order, a Complete's with the first row of each key, a diff's with the new keys after the others, by key", async () => {
    const { writeExport, run, collect } = setup();
    const keys = async () => (await baselineEntries(collect, PEOPLE)).map(([key]) => key);
    writeExport("HRPeople", [HEADER, ["3", "", "C", "D"], ["1", "", "A", "D"], ["2", "", "B", "D"], ["1", "", "A again", "D"], ["3", "", "C again", "D"]]);
    await run("Complete", [PEOPLE]);
    expect(await baselineEntries(collect, PEOPLE)).toEqual([["3", lineHash(["3", "C", "D"])], ["1", lineHash(["1", "A", "D"])], ["2", lineHash(["2", "B", "D"])]]);
    writeExport("HRPeople", [HEADER, ["5", "", "E", "D"], ["3", "", "C", "E"], ["4", "", "F", "D"], ["2", "", "B", "D"], ["5", "", "E again", "D"]]);
    const outcome = await run("Incremental", [PEOPLE]);
    expect(outcome.counters).toMatchObject({ deltaInserts: 2, deltaUpdates: 1, deltaDeletes: 1, duplicates: 1 });
    expect(await baselineEntries(collect, PEOPLE)).toEqual([["3", lineHash(["3", "C", "E"])], ["2", lineHash(["2", "B", "D"])], ["4", lineHash(["4", "F", "D"])], ["5", lineHash(["5", "E", "D"])]]);
    // The same rows in another order: nothing changes but the order.
    writeExport("HRPeople", [HEADER, ["2", "", "B", "D"], ["5", "", "E", "D"], ["4", "", "F", "D"], ["3", "", "C", "E"]]);
    const again = await run("Incremental", [PEOPLE]);
    expect(readCsv(join(collect, again.batch, "HR_Person.sorted.delta"))).toEqual([["command", "id", "name", "dept"]]);
    expect(await keys()).toEqual(["2", "5", "4", "3"]);
  });

  it("does not trust a damaged baseline (cut short, altered, or half written): it warns, writes every row as an insert, and sets a new baseline", async () => {
    const { writeExport, run, collect } = setup();
    writeExport("HRPeople", [HEADER, ["1", "", "A", "D"], ["2", "", "B", "D"]]);
    await run("Complete", [PEOPLE]);
    const path = join(collect, "previous", "HR_Person.baseline");
    const good = readFileSync(path);
    const damaged = [
      good.subarray(0, good.length - 1),
      Buffer.concat([good.subarray(0, good.length - 1), Buffer.from("x")]),
      Buffer.concat([Buffer.from(`idm-baseline 1 000000000000 ${"0".repeat(64)}\n`), good.subarray(good.indexOf(10) + 1)]),
    ];
    writeExport("HRPeople", [HEADER, ["2", "", "B", "D"], ["3", "", "C", "D"]]);
    for (const bytes of damaged) {
      writeFileSync(path, bytes);
      const warnings: string[] = [];
      const outcome = await run("Incremental", [PEOPLE], { log: (level, message) => level === "Warning" && warnings.push(message) });
      expect(warnings).toEqual([expect.stringMatching(/^EntityTypeMapping HR_Person: previous\/HR_Person.baseline is damaged \(.+\): every row is an insert/)]);
      expect(readCsv(join(collect, outcome.batch, "HR_Person.sorted.delta"))).toEqual([["command", "id", "name", "dept"], ["insert", "2", "B", "D"], ["insert", "3", "C", "D"]]);
      expect(await baselineOf(collect, PEOPLE)).toEqual([["2", lineHash(["2", "B", "D"])], ["3", lineHash(["3", "C", "D"])]]);
    }
  });

  it("without a baseline, an incremental run writes every row as an insert and warns", async () => {
    const { writeExport, run, collect } = setup();
    writeExport("HRPeople", [HEADER, ["2", "", "B", "D"], ["1", "", "A", "D"]]);
    const warnings: string[] = [];
    const outcome = await run("Incremental", [PEOPLE], { log: (level, message) => level === "Warning" && warnings.push(message) });
    expect(readCsv(join(collect, outcome.batch, "HR_Person.sorted.delta"))).toEqual([["command", "id", "name", "dept"], ["insert", "1", "A", "D"], ["insert", "2", "B", "D"]]);
    expect(warnings).toEqual([expect.stringMatching(/no previous\/HR_Person.baseline to compare with: every row is an insert/)]);
  });

  it("passes the export's own command column through, sorted by key, changes of a key in input order", async () => {
    const { writeExport, run, collect } = setup();
    writeExport("HRPeople", [
      ["id", "name", "dept", "op"],
      ["2", "B", "D", "UPDATE"],
      ["1", "A", "D", "add"],
      ["2", "", "", "delete"],
      ["", "?", "D", "insert"],
      ["3", "C", "D", "merge"],
    ]);
    const outcome = await run("Incremental", [PEOPLE], { commandColumn: "op" });
    const batch = join(collect, outcome.batch);
    expect(readCsv(join(batch, "HR_Person.sorted.delta"))).toEqual([
      ["command", "id", "name", "dept"], ["insert", "1", "A", "D"], ["update", "2", "B", "D"], ["delete", "2", "", ""], ["merge", "3", "C", "D"],
    ]);
    expect(readCsv(join(batch, "HR_Person.nullpk.csv"))).toEqual([["command", "id", "name", "dept"], ["insert", "", "?", "D"]]);
    expect(outcome.manifest.entries[0]).toMatchObject({ delta: "changes", file: "HR_Person.sorted.delta" });
    expect(outcome.counters).toMatchObject({ rowsRead: 5, rowsWritten: 4, deltaInserts: 1, deltaUpdates: 1, deltaDeletes: 1, deltaMerges: 1, nullPrimaryKeys: 1 });
    expect(existsSync(join(collect, "previous"))).toBe(false);

    writeExport("HRPeople", [["id", "name", "dept", "op"], ["1", "A", "D", "rename"]]);
    await expect(run("Incremental", [PEOPLE], { commandColumn: "op" })).rejects.toThrow(/record 2 .* "rename" in op/);

    // A file of many chunks: each row counted once, the header once.
    const many = Array.from({ length: 20_000 }, (_, i) => [`k${i}`, "a name long enough to fill chunks", "D", "update"]);
    writeExport("HRPeople", [["id", "name", "dept", "op"], ...many]);
    expect((await run("Incremental", [PEOPLE], { commandColumn: "op" })).counters).toMatchObject({ rowsRead: 20_000, rowsWritten: 20_000 });
  });

  it("queues batches in order, and a Complete batch cancels the Incremental ones queued before it", async () => {
    const { writeExport, run, batches } = setup();
    writeExport("HRPeople", [HEADER, ["1", "", "A", "D"]]);
    await run("Complete", [PEOPLE]);
    await run("Incremental", [PEOPLE]);
    await run("Incremental", [PEOPLE]);
    expect(batches()).toEqual(["000001-Complete", "000002-Incremental", "000003-Incremental"]);
    const complete = await run("Complete", [PEOPLE]);
    expect(complete.counters.batchesCancelled).toBe(2);
    expect(batches()).toEqual(["000001-Complete", "000004-Complete"]);
    await run("Incremental", [PEOPLE]);
    expect(batches()).toEqual(["000001-Complete", "000004-Complete", "000005-Incremental"]);
  });

  it("keeps numbering after the queue is consumed", async () => {
    const { writeExport, run, collect, batches } = setup();
    writeExport("HRPeople", [HEADER, ["1", "", "A", "D"]]);
    await run("Complete", [PEOPLE]);
    rmSync(join(collect, "000001-Complete"), { recursive: true });
    expect((await run("Complete", [PEOPLE])).batch).toBe("000002-Complete");
    expect(batches()).toEqual(["000002-Complete"]);
  });

  it("a cancelled run leaves no batch, no staging files and the baseline as it was", async () => {
    const { writeExport, run, collect, batches } = setup();
    writeExport("HRPeople", [HEADER, ["1", "", "A", "D"]]);
    await run("Complete", [PEOPLE]);
    const baseline = readFileSync(join(collect, "previous", "HR_Person.baseline"), "utf8");
    writeExport("HRPeople", [HEADER, ...randomRows(5, 25_000, 20_000)]);
    for (const budget of [undefined, 50_000]) {
      const controller = new AbortController();
      const promise = run("Incremental", [PEOPLE, MEMBERS], {
        signal: controller.signal,
        ...(budget === undefined ? {} : { memoryBudgetBytes: budget }),
        progress: (counters) => {
          if (counters.rowsRead >= 20_000) controller.abort(new Error("cancelled by the test"));
        },
      });
      await expect(promise).rejects.toThrow("cancelled by the test");
      expect(batches()).toEqual(["000001-Complete"]);
      expect(readdirSync(collect).sort()).toEqual(["000001-Complete", "previous", "sequence"]);
      expect(readFileSync(join(collect, "previous", "HR_Person.baseline"), "utf8")).toBe(baseline);
    }
  });

  it("fails naming a missing export file or column, leaving no batch", async () => {
    const { writeExport, run, batches } = setup();
    await expect(run("Complete", [PEOPLE])).rejects.toThrow(/EntityTypeMapping HR_Person: the export file .*HRPeople.csv does not exist/);
    writeExport("HRPeople", [["id", "name"], ["1", "A"]]);
    await expect(run("Complete", [PEOPLE])).rejects.toThrow(/has no column dept \(its columns: id, name\)/);
    expect(batches()).toEqual([]);
  });

  it.each([
    ["a NUL character", Buffer.from("id,unused,name,dept\r\n1,,Ann,D\r\n2,,B\u0000b,D\r\n")],
    ["invalid UTF-8", Buffer.concat([Buffer.from("id,unused,name,dept\r\n1,,Ann,D\r\n2,,"), Buffer.from([0x42, 0xe9, 0x62]), Buffer.from(",D\r\n")])],
    ["invalid UTF-8 in a quoted field after a line end inside it", Buffer.concat([Buffer.from('id,unused,name,dept\r\n1,,"A\r\nnn",D\r\n2,,'), Buffer.from([0xff]), Buffer.from(",D\r\n")])],
  ])("a source file with %s is an error naming its file and line, and queues nothing", async (what, bytes) => {
    const { exportFolder, run, batches } = setup();
    writeFileSync(join(exportFolder, "HRPeople.csv"), bytes);
    const line = what.includes("quoted") ? 4 : 3;
    await expect(run("Complete", [PEOPLE])).rejects.toThrow(new RegExp(`HRPeople\\.csv line ${line}: .*${what.includes("NUL") ? "NUL" : "UTF-8"}`));
    expect(batches()).toEqual([]);
  });
});

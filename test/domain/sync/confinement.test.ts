/**
 * Prepare and the batch queue read and write only inside Paths.Export and Paths.Work once symbolic
 * links are resolved: real symlinks in temporary folders, to a file and to a folder, leading out
 * (refused, nothing queued) or staying in (used as before).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { csvLine } from "../../../src/connectors/csv/csv-write.js";
import { collectFolder, takeOldestBatch } from "../../../src/domain/sync/batch-queue.js";
import type { MappedFile } from "../../../src/domain/sync/mappings.js";
import { prepareSynchronization } from "../../../src/domain/sync/prepare.js";
import type { SynchronizationMode } from "../../../src/domain/vocabulary.js";

const made: string[] = [];
afterEach(() => {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const PEOPLE: MappedFile = { kind: "EntityType", identifier: "HR_Person", connectionTable: "HRPeople", columns: ["id", "name"], keyLength: 1 };
const ROWS = csvLine(["id", "name"]) + csvLine(["2", "Bob"]) + csvLine(["1", "Ann"]);

function setup() {
  const base = mkdtempSync(join(tmpdir(), "idm-confine-sync-"));
  made.push(base);
  const exportFolder = join(base, "export");
  const workFolder = join(base, "work");
  const outside = join(base, "outside");
  for (const folder of [exportFolder, workFolder, outside]) mkdirSync(folder);
  writeFileSync(join(outside, "secret.csv"), ROWS);
  const collect = collectFolder(workFolder, "HR", "db-test");
  const run = (mode: SynchronizationMode = "Complete") =>
    prepareSynchronization({
      connector: "HR", mode, files: [PEOPLE], exportFolder, workFolder, database: "db-test",
      job: { identifier: "J", instanceId: 7 }, task: "HR_Prepare", signal: new AbortController().signal,
    });
  const queued = () => (existsSync(collect) ? readdirSync(collect).filter((name) => /^\d{6}-/.test(name)) : []);
  return { base, exportFolder, workFolder, outside, collect, run, queued };
}

describe("PrepareSynchronization's paths", () => {
  it("refuses an export file that is a symlink out of Paths.Export: nothing queued", async () => {
    const { exportFolder, outside, run, queued } = setup();
    const link = join(exportFolder, "HRPeople.csv");
    symlinkSync(join(outside, "secret.csv"), link);
    await expect(run()).rejects.toThrow(`${link} resolves to ${join(outside, "secret.csv")}, outside the folder ${exportFolder}`);
    expect(queued()).toEqual([]);
  });

  it("refuses a connector's queue folder that is a symlink out of Paths.Work: nothing written there", async () => {
    const { exportFolder, workFolder, outside, collect, run } = setup();
    writeFileSync(join(exportFolder, "HRPeople.csv"), ROWS);
    mkdirSync(join(collect, ".."), { recursive: true });
    symlinkSync(outside, collect);
    await expect(run()).rejects.toThrow(`${collect} resolves to ${outside}, outside the folder ${workFolder}`);
    expect(readdirSync(outside)).toEqual(["secret.csv"]);
  });

  it("refuses a baseline folder (previous/) that is a symlink out of Paths.Work, before reading anything", async () => {
    const { exportFolder, workFolder, outside, collect, run, queued } = setup();
    writeFileSync(join(exportFolder, "HRPeople.csv"), ROWS);
    mkdirSync(collect, { recursive: true });
    symlinkSync(outside, join(collect, "previous"));
    await expect(run("Incremental")).rejects.toThrow(`outside the folder ${workFolder}`);
    expect(queued()).toEqual([]);
  });

  it("follows symlinks that stay inside their folder: an export file and a queue folder", async () => {
    const { exportFolder, workFolder, collect, run, queued } = setup();
    mkdirSync(join(exportFolder, "drop"));
    writeFileSync(join(exportFolder, "drop", "people.csv"), ROWS);
    symlinkSync(join(exportFolder, "drop", "people.csv"), join(exportFolder, "HRPeople.csv"));
    mkdirSync(join(workFolder, "queues"));
    mkdirSync(join(collect, ".."), { recursive: true });
    symlinkSync(join(workFolder, "queues"), collect);
    const outcome = await run();
    expect(queued()).toEqual([outcome.batch]);
    expect(readFileSync(join(workFolder, "queues", outcome.batch, "HR_Person.sorted.csv"), "utf8")).toBe(
      csvLine(["id", "name"]) + csvLine(["1", "Ann"]) + csvLine(["2", "Bob"]),
    );
  });
});

describe("the batch queue's paths seen by Synchronize", () => {
  it("refuses a batch file that is a symlink out of Paths.Work, and leaves the batch queued", async () => {
    const { exportFolder, workFolder, outside, collect, run } = setup();
    writeFileSync(join(exportFolder, "HRPeople.csv"), ROWS);
    const { batch } = await run();
    const file = join(collect, batch, "HR_Person.sorted.csv");
    rmSync(file);
    symlinkSync(join(outside, "secret.csv"), file);
    await expect(takeOldestBatch(workFolder, "HR", "db-test")).rejects.toThrow(`${join(collect, `${batch}.taken`, "HR_Person.sorted.csv")} resolves to ${join(outside, "secret.csv")}`);
    expect(readdirSync(collect).filter((name) => name.startsWith("0"))).toEqual([batch]);
  });

  it("refuses a manifest naming a file outside Paths.Work", async () => {
    const { exportFolder, workFolder, collect, run } = setup();
    writeFileSync(join(exportFolder, "HRPeople.csv"), ROWS);
    const { batch } = await run();
    const manifest = join(collect, batch, "batch.json");
    const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { entries: { file: string }[] };
    parsed.entries[0]!.file = "../../../../../outside/secret.csv";
    writeFileSync(manifest, JSON.stringify(parsed));
    await expect(takeOldestBatch(workFolder, "HR", "db-test")).rejects.toThrow(`outside the folder ${workFolder}`);
  });

  it("refuses a batch folder that is a symlink out of Paths.Work", async () => {
    const { workFolder, outside, collect } = setup();
    mkdirSync(join(outside, "000001-Complete"));
    writeFileSync(join(outside, "000001-Complete", "batch.json"), JSON.stringify({ format: 1, connector: "HR", mode: "Complete", entries: [] }));
    mkdirSync(collect, { recursive: true });
    symlinkSync(join(outside, "000001-Complete"), join(collect, "000001-Complete"));
    await expect(takeOldestBatch(workFolder, "HR", "db-test")).rejects.toThrow(`${join(collect, "000001-Complete")} resolves to ${join(outside, "000001-Complete")}`);
    expect(readdirSync(collect)).toEqual(["000001-Complete"]);
  });
});

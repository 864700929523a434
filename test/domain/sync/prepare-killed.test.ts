/**
 * An Incremental prepare killed with SIGKILL while it writes the next baseline: the baseline in
 * previous/ is the one before, byte for byte (the new one is written in the run's staging folder and
 * renamed into place only once the batch is queued), what the killed run left is not a baseline a
 * later run would trust, and the next run diffs against the old baseline as if nothing happened.
 * The prepare runs in a child process (the built code).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { csvLine } from "../../../src/connectors/csv/csv-write.js";
import { collectFolder } from "../../../src/domain/sync/batch-queue.js";
import { BaselineFile } from "../../../src/domain/sync/baseline.js";
import type { MappedFile } from "../../../src/domain/sync/mappings.js";
import { prepareSynchronization } from "../../../src/domain/sync/prepare.js";
import { readCsv } from "../../helpers/demo-data.js";

const ROWS = 300_000;
const PEOPLE: MappedFile = { kind: "EntityType", identifier: "HR_Person", connectionTable: "HRPeople", columns: ["id", "name"], keyLength: 1 };
const PREPARE = new URL("../../../dist/domain/sync/prepare.js", import.meta.url).href;

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("an Incremental prepare killed while it writes the next baseline", () => {
  it("leaves the baseline as it was, nothing a later run trusts, and the next run diffs as if it had not run", async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), "idm-prepare-killed-")));
    roots.push(root);
    const exportFolder = join(root, "export");
    const workFolder = join(root, "work");
    mkdirSync(exportFolder);
    const collect = collectFolder(workFolder, "HR", "db-test");
    const options = { connector: "HR", files: [PEOPLE], exportFolder, workFolder, database: "db-test", job: { identifier: "J", instanceId: 7 }, task: "T" };
    const writeExport = (renamed: number) => {
      const lines = [csvLine(["id", "name"])];
      for (let i = 0; i < ROWS; i++) lines.push(csvLine([`P${String((i * 7919) % ROWS).padStart(7, "0")}`, i === renamed ? "Renamed" : `Person ${i}`]));
      writeFileSync(join(exportFolder, "HRPeople.csv"), lines.join(""));
    };
    writeExport(-1);
    await prepareSynchronization({ ...options, mode: "Complete", signal: new AbortController().signal });
    const baselinePath = join(collect, "previous", "HR_Person.baseline");
    const before = readFileSync(baselinePath);
    writeExport(5);

    const script = `import { prepareSynchronization } from ${JSON.stringify(PREPARE)};
      await prepareSynchronization({ ...${JSON.stringify(options)}, mode: "Incremental", signal: new AbortController().signal });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_, signal) => resolve(signal)));
    // The next baseline is created in the staging folder before the export is read.
    let staged: string | undefined;
    for (let waited = 0; staged === undefined && waited < 20_000; waited += 2) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const staging = existsSync(collect) ? readdirSync(collect).find((name) => name.startsWith(".staging-")) : undefined;
      const candidate = staging === undefined ? undefined : join(collect, staging, "previous", "HR_Person.baseline");
      if (candidate !== undefined && existsSync(candidate)) staged = candidate;
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(staged).toBeDefined();

    expect(readdirSync(collect).filter((name) => /^\d{6}-/.test(name))).toEqual(["000001-Complete"]);
    expect(readFileSync(baselinePath).equals(before)).toBe(true);
    expect(await BaselineFile.open(staged!, PEOPLE, 1 << 30, new AbortController().signal)).toMatchObject({ state: "damaged" });

    const next = await prepareSynchronization({ ...options, mode: "Incremental", signal: new AbortController().signal });
    expect(next.counters).toMatchObject({ rowsRead: ROWS, deltaInserts: 0, deltaUpdates: 1, deltaDeletes: 0 });
    expect(readCsv(join(collect, next.batch, "HR_Person.sorted.delta"))).toEqual([["command", "id", "name"], ["update", `P${String((5 * 7919) % ROWS).padStart(7, "0")}`, "Renamed"]]);
  });
});

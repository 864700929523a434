import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { idm as idmIn } from "../helpers/idm-process.js";
import { writeFolder } from "../helpers/temp-folder.js";

const IDM = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), "idm-steps-"));

function idm(...args: string[]) {
  const result = spawnSync(process.execPath, [IDM, ...args], { cwd, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("idm steps", () => {
  beforeAll(() => {
    expect(idm("deploy", DEMO).status).toBe(0);
  });

  it("prints the launch groups of a deployed job as JSON", () => {
    const { status, stdout } = idm("steps", "Demo_Housekeeping", "--json");
    expect(status).toBe(0);
    const printed = JSON.parse(stdout) as { job: string; steps: unknown[]; groups: unknown[] };
    expect(printed.groups).toEqual([
      { level: 0, declaredLevel: 0, tasks: ["Demo_HousekeepingHello", "Demo_DropScratchTable"] },
      { level: 1, declaredLevel: 1, tasks: ["Demo_Heartbeat", "CreateDatabaseViews", "Demo_ManageConfigurationIndexes"] },
      { level: 2, declaredLevel: 2, tasks: ["Demo_SetRecentlyModifiedFlag", "Demo_ResetValidFrom"] },
      { level: 3, declaredLevel: 3, tasks: ["MaintainIndexes"] },
    ]);
    expect(printed.steps[0]).toEqual({ task: "Demo_HousekeepingHello", type: "InvokeExpressionTask", order: 0, level: 0, declaredLevel: 0 });
    expect(printed.steps.at(-1)).toEqual({ task: "MaintainIndexes", type: "MaintainIndexesTask", order: 7, level: 3, declaredLevel: 3 });
  });

  it("prints Task/Order/Level lines like Get-JobSteps, from 0", () => {
    expect(idm("steps", "HR_Complete").stdout.split("\n")[0]).toBe("Task : HR_Export, Order : 0, Level : 0");
  });

  it("numbers the levels a small Jobs.MaxTaskBatchSize inserts, and a step without a level, as effective levels", () => {
    const folder = writeFolder({
      "jobs.xml": `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <Job Identifier="Split" DisplayName_L1="Split">
    <MaintainIndexesTask Identifier="First" DisplayName_L1="First" />
    <MaintainIndexesTask Identifier="A" DisplayName_L1="A" Level="4" />
    <MaintainIndexesTask Identifier="B" DisplayName_L1="B" Level="4" />
    <MaintainIndexesTask Identifier="C" DisplayName_L1="C" Level="4" />
    <MaintainIndexesTask Identifier="D" DisplayName_L1="D" Level="7" />
  </Job>
</ConfigurationFile>
`,
      "appsettings.json": JSON.stringify({ Jobs: { MaxTaskBatchSize: 2 } }),
    });
    const own = mkdtempSync(join(tmpdir(), "idm-steps-split-"));
    const settings = join(folder, "appsettings.json");
    expect(idmIn(own, "deploy", folder, "--settings", settings).status).toBe(0);
    expect(idmIn(own, "steps", "Split", "--settings", settings).stdout).toBe([
      "Task : First, Order : 0, Level : 0",
      "Task : A, Order : 1, Level : 1",
      "Task : B, Order : 2, Level : 1",
      "Task : C, Order : 3, Level : 2",
      "Task : D, Order : 4, Level : 3",
      "",
    ].join("\n"));
    const dot = idmIn(own, "steps", "Split", "--format", "dot", "--settings", settings).stdout;
    expect(dot.match(/label="Level[^"]*"/g)).toEqual([
      'label="Level 0 · no level declared"', 'label="Level 1 · declared 4"', 'label="Level 2 · declared 4"', 'label="Level 3 · declared 7"',
    ]);
  });

  it("exits 64 with a did-you-mean for an unknown job", () => {
    const { status, stderr } = idm("steps", "HR_Complet");
    expect(status).toBe(64);
    expect(stderr).toBe('idm: no job "HR_Complet" is deployed; did you mean HR_Complete?\n');
  });
});

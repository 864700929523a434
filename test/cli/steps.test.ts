import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

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
    expect(JSON.parse(stdout)).toEqual({
      job: "Demo_Housekeeping",
      groups: [
        { level: 0, tasks: ["Demo_HousekeepingHello", "Demo_DropScratchTable"] },
        { level: 1, tasks: ["Demo_Heartbeat", "CreateDatabaseViews", "Demo_ManageConfigurationIndexes"] },
        { level: 2, tasks: ["Demo_SetRecentlyModifiedFlag", "Demo_ResetValidFrom"] },
        { level: 3, tasks: ["MaintainIndexes"] },
      ],
    });
  });

  it("prints Task/Order lines like Get-JobSteps", () => {
    expect(idm("steps", "HR_Complete").stdout.split("\n")[0]).toBe("Task : HR_Export, Order : 1, Group : 1, Level : 0");
  });

  it("exits 64 with a did-you-mean for an unknown job", () => {
    const { status, stderr } = idm("steps", "HR_Complet");
    expect(status).toBe(64);
    expect(stderr).toBe('idm: no job "HR_Complet" is deployed; did you mean HR_Complete?\n');
  });
});

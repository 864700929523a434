import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO, idm } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";

afterAll(dropProcessDatabases);

const PEOPLE_HEADER = "employee_id,first_name,last_name,email,job_title,department_code,manager_id,contract_start,contract_end";
const person = (id: number) => `E${id},First${id},Last${id},p${id}@example.com,Clerk,IT,,2020-01-01,`;

/** The demo plus a job that prepares and synchronizes the HR connector from CSV files in the export folder. */
function configuration(): string {
  const dir = mkdtempSync(join(tmpdir(), "idm-sync-conf-"));
  cpSync(DEMO, dir, { recursive: true });
  writeFileSync(join(dir, "Jobs/HR_Sync.xml"), `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
  <Job Identifier="HR_Sync" DisplayName_L1="HR sync" Agent="Local">
    <PrepareSynchronizationTask Identifier="Test_Prepare" DisplayName_L1="Prepare" Agent="Local" OpenIdClient="Job" Connector="HR" Level="0" />
    <SynchronizeTask Identifier="Test_Synchronize" DisplayName_L1="Synchronize" Connector="HR" Level="1">
      <TaskDependsOnTask ParentTask="Test_Prepare" />
    </SynchronizeTask>
  </Job>
</ConfigurationFile>
`);
  return dir;
}

describe.each(PROCESS_DATABASES)("idm sync on $name", (database) => {
  it("idm sync discard removes the oldest queued batch, or the one named, and exits 3 when there is none", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-sync-discard-"));
    const url = await database.create(cwd);
    const run = (...args: string[]) => idm(cwd, "--database", url, ...args);
    const exportFolder = join(cwd, ".idm/export");
    mkdirSync(exportFolder, { recursive: true });
    writeFileSync(join(exportFolder, "HRPeople.csv"), `${PEOPLE_HEADER}\r\n${person(1)}\r\n`);
    writeFileSync(join(exportFolder, "HROrganizations.csv"), "code,name\r\nIT,Information technology\r\n");
    expect(run("deploy", configuration()).status).toBe(0);
    for (let i = 0; i < 3; i++) expect(run("run", "HR_Sync", "-t", "Test_Prepare").status).toBe(0);

    const oldest = run("sync", "discard", "HR");
    expect(oldest.stdout).toBe("discarded batch 000001-Complete of HR\n");
    const named = run("sync", "discard", "HR", "--batch", "000003-Complete");
    expect(named.stdout).toBe("discarded batch 000003-Complete of HR\n");
    const synchronized = run("run", "HR_Sync", "-t", "Test_Synchronize", "--json");
    expect(synchronized.status, synchronized.stderr).toBe(0);
    expect(JSON.parse(synchronized.stdout).tasks[0].counters).toMatchObject({ inserted: 2 });
    const none = run("sync", "discard", "HR");
    expect(none.status).toBe(3);
    expect(none.stderr).toContain("no batch of HR is queued");
  });

  it("a sync over its delete threshold exits 3 Blocked, idm sync changes shows why, idm resume applies it", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-sync-"));
    const url = await database.create(cwd);
    const run = (...args: string[]) => idm(cwd, "--database", url, ...args);
    const exportFolder = join(cwd, ".idm/export");
    mkdirSync(exportFolder, { recursive: true });
    const writePeople = (ids: number[]) => writeFileSync(join(exportFolder, "HRPeople.csv"), `${PEOPLE_HEADER}\r\n${ids.map((i) => `${person(i)}\r\n`).join("")}`);
    writeFileSync(join(exportFolder, "HROrganizations.csv"), "code,name\r\nIT,Information technology\r\n");
    expect(run("deploy", configuration()).status).toBe(0);

    writePeople([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const loaded = run("run", "HR_Sync", "--json");
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout).tasks[1].counters).toMatchObject({ inserted: 11 });

    // Two of ten people gone is 20 %: over the connector's MaxPercentageDeletedLines (10).
    writePeople([1, 2, 3, 4, 5, 6, 7, 8]);
    const blocked = run("run", "HR_Sync", "--json");
    expect(blocked.status).toBe(3);
    const summary = JSON.parse(blocked.stdout) as { instanceId: number; state: string; tasks: { state: string; error: string }[] };
    expect(summary.state).toBe("Blocked");
    expect(summary.tasks[1]!.error).toContain("MaxPercentageDeletedLines");

    const changes = run("sync", "changes", String(summary.instanceId));
    expect(changes.stdout).toContain("2  resource HR_Person delete blocked\n");
    expect(changes.stdout).toMatch(/ blocked {3}delete HR_Person {2}E10\n/);

    const resumed = run("resume", String(summary.instanceId), "--json");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).tasks[1].counters).toMatchObject({ deleted: 2 });
    expect(run("sync", "changes", String(summary.instanceId), "--state", "blocked").stdout).toBe(`No synchronization change is recorded for job instance ${summary.instanceId}.\n`);
  });
});

import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateConfig } from "../../bench/generate-config.mjs";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import { ENTITY } from "../../src/store/entities.js";
import { openStore } from "../../src/store/store.js";
import { DEMO, idm, idmAsync } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";


/** A working folder with its own SQLite database and settings (short lease for the kill test). */
function workspace(): { cwd: string; url: string } {
  const cwd = mkdtempSync(join(tmpdir(), "idm-cli-"));
  writeFileSync(join(cwd, "appsettings.json"), JSON.stringify({ Deploy: { LeaseTtlSeconds: 2 } }));
  return { cwd, url: `sqlite:${join(cwd, "idm.db")}` };
}

const DATABASES = PROCESS_DATABASES;

afterAll(dropProcessDatabases);

function copyDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), "idm-demo-"));
  cpSync(DEMO, dir, { recursive: true });
  return dir;
}

describe("idm plan and idm deploy", () => {
  it("deploys the demo into the embedded database by default, then plans nothing", () => {
    const { cwd } = workspace();
    const first = idm(cwd, "deploy", DEMO);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^Plan: 129 to insert, 0 to update, 0 to delete$/m);
    expect(first.stdout).toContain("Deployed as deployment 1.");
    expect(readFileSync(join(cwd, ".idm", "idm.db")).length).toBeGreaterThan(0);
    const plan = idm(cwd, "plan", DEMO, "--detailed-exitcode");
    expect(plan.status).toBe(0);
    expect(plan.stdout).toBe("Plan: 0 to insert, 0 to update, 0 to delete\n");
  });

  it("shows exactly one update and its job-level summary, as text and as JSON", () => {
    const { cwd, url } = workspace();
    const dir = copyDemo();
    expect(idm(cwd, "--database", url, "deploy", dir).status).toBe(0);
    const file = join(dir, "Jobs/HR_Complete.xml");
    writeFileSync(file, readFileSync(file, "utf8").replace('Identifier="HR_Synchronize"', 'Identifier="HR_Synchronize" ForceSynchronization="true"'));
    const text = idm(cwd, "--database", url, "plan", dir, "--detailed-exitcode");
    expect(text.status).toBe(2);
    expect(text.stdout).toContain("Plan: 0 to insert, 1 to update, 0 to delete");
    expect(text.stdout).toContain("      attributes.ForceSynchronization: false → true");
    expect(text.stdout).toContain("Jobs\n  HR_Complete\n    task HR_Synchronize: ForceSynchronization false → true\n");
    const json = JSON.parse(idm(cwd, "--database", url, "plan", dir, "--json").stdout);
    expect(json.summary).toEqual({ insert: 0, update: 1, delete: 0 });
    expect(json.updates).toMatchObject([{ kind: "SynchronizeTask", identifier: "HR_Synchronize", changes: [{ path: "attributes.ForceSynchronization", before: false, after: true }] }]);
    expect(json.jobs).toEqual([{ job: "HR_Complete", changes: ["task HR_Synchronize: ForceSynchronization false → true"] }]);
    expect(json.basis).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a configuration with errors and writes nothing", () => {
    const { cwd, url } = workspace();
    const dir = copyDemo();
    writeFileSync(join(dir, "bad.xml"), '<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration"><Jbo/></ConfigurationFile>');
    const result = idm(cwd, "--database", url, "deploy", dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("bad.xml:1:67  error  unknown-element  unknown element Jbo");
    expect(result.stderr).toContain("nothing deployed");
    expect(idm(cwd, "--database", url, "deployments").stdout).toBe("No deployment yet.\n");
  });

  it("names the unreachable host without the password", () => {
    const { cwd } = workspace();
    const result = idm(cwd, "--database", "postgres://idm:s3cret-pw@127.0.0.1:1/idm", "plan", DEMO);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot connect to postgres://idm:***@127.0.0.1:1/idm");
    expect(result.stderr).not.toContain("s3cret-pw");
  });

  it("warns that a password given in --database shows in the process list, and not when there is none", () => {
    const { cwd } = workspace();
    const withPassword = idm(cwd, "--database", "postgres://idm:s3cret-pw@127.0.0.1:1/idm", "db", "status");
    expect(withPassword.stderr).toContain("warning: the password in --database is visible to every user of this host in the process list");
    expect(withPassword.stderr).not.toContain("s3cret-pw");
    const withoutPassword = idm(cwd, "--database", `sqlite:${join(cwd, "quiet.db")}`, "db", "status");
    expect(withoutPassword.stderr).not.toContain("warning");
  });

});

describe.each(DATABASES)("deploy processes on $name", (database) => {
  it("serialise: two at once give one deployment and one no-op", async () => {
    const { cwd } = workspace();
    const url = await database.create(cwd);
    const run = () => idmAsync(cwd, ["--database", url, "deploy", DEMO]);
    const results = await Promise.all([run(), run()]);
    expect(results.map((r) => r.status), results.map((r) => r.stderr).join("")).toEqual([0, 0]);
    expect(results.filter((r) => r.stdout.includes("Deployed as deployment 1.")).length).toBe(1);
    expect(results.filter((r) => r.stdout.includes("Nothing to deploy.")).length).toBe(1);
  });

  it("survive SIGKILL mid-apply: the previous deployment is intact, the lease recoverable", async () => {
    const { cwd } = workspace();
    const url = await database.create(cwd);
    expect(idm(cwd, "--database", url, "deploy", DEMO).status).toBe(0);
    const big = mkdtempSync(join(tmpdir(), "idm-big-"));
    // Large enough that its apply outlasts the 150 ms before the kill (10,000 tasks commit in ~150 ms on SQLite).
    generateConfig(big, 50_000);
    let killing = false;
    const killed = await idmAsync(cwd, ["--database", url, "deploy", big, "--allow-deletes"], (stderr, kill) => {
      if (killing || !stderr.includes("applying")) return;
      killing = true;
      setTimeout(() => kill("SIGKILL"), 150);
    });
    expect(`${killed.signal}: ${killed.stderr}`).toMatch(/^SIGKILL: applying/);
    const store = await openStore(url);
    try {
      expect(await store.dataSource.manager.getRepository(ENTITY.deployment).count()).toBe(1);
      expect((await readStoredItems(store.dataSource.manager)).length).toBe(129);
      expect(await store.dataSource.manager.getRepository(ENTITY.lease).count()).toBe(1);
    } finally {
      await store.close();
    }
    // The dead holder's lease expires (2 s in this workspace's settings) and the next deploy proceeds.
    const next = idm(cwd, "--database", url, "deploy", DEMO);
    expect(next.status).toBe(0);
    expect(next.stdout).toContain("Nothing to deploy.");
  });

  it("export what is stored, and deploying the export changes nothing", async () => {
    const { cwd } = workspace();
    const url = await database.create(cwd);
    expect(idm(cwd, "--database", url, "deploy", DEMO).status).toBe(0);
    const out = join(cwd, "exported");
    expect(idm(cwd, "--database", url, "export", out).stdout).toBe("exported 129 items into 17 files\n");
    const plan = idm(cwd, "--database", url, "plan", out, "--detailed-exitcode");
    expect(plan.stdout).toMatch(/^Plan: 0 to insert, 0 to update, 0 to delete\n/);
    expect(plan.status).toBe(2); // the exported layout moves every item: source updates only
    expect(idm(cwd, "--database", url, "show", "Job", "HR_Complete").stdout).toContain("source      Jobs/HR_Complete.xml:7:3");
    expect(idm(cwd, "--database", url, "deployments", "--json").stdout).toContain('"inserted": 129');
  });

  it("export never writes outside its folder, whatever source path is stored", async () => {
    const { cwd } = workspace();
    const url = await database.create(cwd);
    expect(idm(cwd, "--database", url, "deploy", DEMO).status).toBe(0);
    const store = await openStore(url);
    try {
      await store.dataSource.getRepository(ENTITY.item).update({ kind: "Agent", identifier: "Local" }, { sourceFile: "../evil.xml" });
    } finally {
      await store.close();
    }
    const out = join(cwd, "exported");
    const result = idm(cwd, "--database", url, "export", out);
    expect(result.stderr).toContain("1 item with a source path outside");
    expect(readFileSync(join(out, "idm-export.xml"), "utf8")).toContain('<Agent Identifier="Local"');
    expect(existsSync(join(cwd, "evil.xml"))).toBe(false);
  });
});

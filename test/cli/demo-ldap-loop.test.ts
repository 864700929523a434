/**
 * The demo's closed provisioning loop against a real OpenLDAP, as `npm run start:ldap` runs it with
 * the built CLI: conf-samples/demo-ldap/make-variant.mjs writes the LDAP variant of the demo (its
 * overlays, settings pointing at the directory), Demo_Initialization loads the demo directory into
 * slapd (the same content as the SQLite stand-in) and synchronizes it, then HR_RoleModel decides,
 * fulfils the orders into the directory with the LDAP package, exports it back and runs the role
 * model again: every account Verified, and a second run orders nothing.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "ldapts";
import { DEMO, idmAsync, type IdmResult } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";
import { AD_LITE_SCHEMA, startSlapd, type Slapd } from "../helpers/slapd.js";

const folders: string[] = [];
let slapd: Slapd;
let admin: Client;

beforeAll(async () => {
  slapd = await startSlapd({ suffix: "DC=demo,DC=local", schemas: [AD_LITE_SCHEMA] });
  admin = await slapd.admin();
});
afterAll(async () => {
  await dropProcessDatabases();
  await slapd?.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** The report's lines, metric → value. */
function summary(stdout: string): Record<string, string> {
  const lines = stdout.split("\n").filter((l) => l.includes("Demo_RoleModelReport │   "));
  return Object.fromEntries(lines.map((l) => l.split("│")[1]!.trim().split(/\s{2,}/) as [string, string]));
}

async function search(filter: string, attributes: string[] = ["*", "memberOf", "entryUUID"]): Promise<Record<string, unknown>[]> {
  const { searchEntries } = await admin.search("DC=demo,DC=local", { scope: "sub", filter, attributes });
  return searchEntries;
}

// Each database in turn against the one directory: Demo_Initialization reloads it from scratch.
describe.each(PROCESS_DATABASES)("the demo's provisioning loop on OpenLDAP, $name store", (database) => {
  it("creates the 30 missing accounts and enables the 30 disabled ones in the directory, with their groups, then all 3,000 Verified", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-demo-ldap-loop-"));
    folders.push(cwd);
    cpSync(DEMO, join(cwd, "conf-samples", "demo"), { recursive: true, filter: (path) => !path.includes(".idm") });
    cpSync(join(DEMO, "..", "demo-ldap"), join(cwd, "conf-samples", "demo-ldap"), { recursive: true });
    // The directory scripts import better-sqlite3 and ldapts, found as in the repository.
    symlinkSync(join(DEMO, "..", "..", "node_modules"), join(cwd, "node_modules"));
    // The CLI's children (make-variant.mjs, the load script) inherit this process's environment.
    process.env.IDM_DEMO_LDAP_URL = slapd.url;
    process.env.IDM_DEMO_LDAP_LOGIN = slapd.rootDn;
    process.env.IDM_DEMO_LDAP_PASSWORD = slapd.password;
    const url = await database.create(cwd);
    const outputs: IdmResult[] = [];
    const variant = spawnSync(process.execPath, ["conf-samples/demo-ldap/make-variant.mjs"], { cwd, encoding: "utf8" });
    expect(variant.status, variant.stderr).toBe(0);
    // The settings file holds the password: its owner's only.
    expect(statSync(join(cwd, ".idm", "demo-ldap", "appsettings.json")).mode & 0o077).toBe(0);
    for (const args of [["deploy", ".idm/demo-ldap"], ["run", "Demo_Initialization"]]) {
      const result = await idmAsync(cwd, ["--database", url, ...args]);
      outputs.push(result);
      expect(result.status, result.stderr).toBe(0);
    }
    expect(await search("(objectClass=adLiteUser)", ["1.1"])).toHaveLength(2990);

    const loop = await idmAsync(cwd, ["--database", url, "run", "HR_RoleModel"]);
    outputs.push(loop);
    expect(loop.status, `${loop.stdout}\n${loop.stderr}`).toBe(0);
    expect(summary(loop.stdout)).toEqual({
      "Roles assigned": "9000", "People holding roles": "3000", "AD accounts correlated": "3000", "AD accounts to create": "0", "Service accounts classified": "20",
      "AD accounts Verified": "3000", "Orders Added Executed": "30", "Orders Modified Executed": "30",
    });
    // Employee E00100 had no account (slapd answers DNs in its schema's spelling, cn=…,ou=…): created at its dn, named from it, with a directory-made entryUUID and its two groups.
    const [created] = await search("(employeeID=E00100)");
    expect(created).toMatchObject({ dn: expect.stringMatching(/^cn=.* \(E00100\),ou=Users,dc=demo,dc=local$/), userAccountControl: "512", entryUUID: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect([created!.memberOf].flat().map(String).sort()).toEqual(["cn=GG_AllStaff,ou=Groups,dc=demo,dc=local", expect.stringMatching(/^cn=GG_[A-Z]+,ou=Groups,dc=demo,dc=local$/)]);
    expect(await search("(userAccountControl=514)", ["1.1"])).toEqual([]);
    expect(await search("(objectClass=adLiteUser)", ["1.1"])).toHaveLength(3020);

    // Run again: nothing to order, nothing to fulfil, everything still Verified.
    const again = await idmAsync(cwd, ["--database", url, "run", "HR_RoleModel"]);
    outputs.push(again);
    expect(again.status, again.stderr).toBe(0);
    expect(summary(again.stdout)).toMatchObject({ "AD accounts Verified": "3000" });
    expect(Object.keys(summary(again.stdout)).filter((k) => k.startsWith("Orders"))).toEqual([]);
    // The bind password is in no output of the CLI.
    expect(outputs.filter((o) => `${o.stdout}${o.stderr}`.includes(slapd.password))).toEqual([]);
  }, 300_000);
});

/**
 * The demo's closed provisioning loop as npm start runs it, with the built CLI in a copy of the
 * repository's layout: Demo_Initialization loads HR and the demo directory (the SQLite stand-in),
 * then HR_RoleModel decides, generates the orders, fulfils them into the directory through the SQL
 * package, synchronizes the directory back and runs the role model again: every account Verified.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import { DEMO, idmAsync } from "../helpers/idm-process.js";

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** The report's lines, metric → value. */
function summary(stdout: string): Record<string, string> {
  const lines = stdout.split("\n").filter((l) => l.includes("Demo_RoleModelReport │   "));
  return Object.fromEntries(lines.map((l) => l.split("│")[1]!.trim().split(/\s{2,}/) as [string, string]));
}

describe("the demo's provisioning loop", () => {
  it("on the SQLite stand-in: the 30 missing accounts created and the 30 disabled ones enabled, with their groups, then all 3,000 Verified", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-demo-loop-"));
    folders.push(cwd);
    // The demo's settings name the HR file relative to the repository root, where npm start runs.
    cpSync(DEMO, join(cwd, "conf-samples", "demo"), { recursive: true, filter: (path) => !path.includes(".idm") });
    // build-directory.mjs imports better-sqlite3, found as in the repository.
    symlinkSync(join(DEMO, "..", "..", "node_modules"), join(cwd, "node_modules"));
    for (const args of [["deploy", "conf-samples/demo"], ["run", "Demo_Initialization"]]) {
      const result = await idmAsync(cwd, args);
      expect(result.status, result.stderr).toBe(0);
    }
    const loop = await idmAsync(cwd, ["run", "HR_RoleModel"]);
    expect(loop.status, loop.stderr).toBe(0);
    expect(summary(loop.stdout)).toEqual({
      "Roles assigned": "9000", "People holding roles": "3000", "AD accounts correlated": "3000", "AD accounts to create": "0", "Service accounts classified": "20",
      "AD accounts Verified": "3000", "Orders Added Executed": "30", "Orders Modified Executed": "30",
    });
    const directory = await openStore(`sqlite:${join(cwd, ".idm", "work", "directory.db")}`, { migrate: false });
    const query = async (sql: string, parameters: unknown[] = []) => (await directory.dataSource.query(sql, parameters)) as Record<string, unknown>[];
    try {
      // Employee E00100 had no account: created with its dn, a directory-made objectGUID and its two groups.
      const [created] = await query("SELECT objectGUID, dn, mail, userAccountControl FROM entries WHERE employeeID = 'E00100'");
      expect(created).toMatchObject({ dn: expect.stringMatching(/^CN=.* \(E00100\),OU=Users,DC=demo,DC=local$/), userAccountControl: 512 });
      expect(created!.objectGUID).toMatch(/^[0-9a-f]{32}$/);
      expect(await query("SELECT COUNT(*) AS n FROM members WHERE member = ?", [created!.dn])).toEqual([{ n: 2 }]);
      expect(await query("SELECT COUNT(*) AS n FROM entries WHERE userAccountControl = 514")).toEqual([{ n: 0 }]);
    } finally {
      await directory.close();
    }

    // Run again: nothing to order, nothing to fulfil, everything still Verified.
    const again = await idmAsync(cwd, ["run", "HR_RoleModel"]);
    expect(again.status, again.stderr).toBe(0);
    expect(summary(again.stdout)).toMatchObject({ "AD accounts Verified": "3000" });
    expect(Object.keys(summary(again.stdout)).filter((k) => k.startsWith("Orders"))).toEqual([]);
  }, 300_000);
});

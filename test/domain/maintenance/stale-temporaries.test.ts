import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeStaleTemporaries } from "../../../src/domain/maintenance/stale-temporaries.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("removeStaleTemporaries", () => {
  it("removes the temporaries of dead writers, keeps those of live ones and every other file", () => {
    const work = mkdtempSync(join(tmpdir(), "idm-stale-"));
    roots.push(work);
    const queue = join(work, "Collect", "db-0123456789ab", "HR");
    mkdirSync(join(queue, ".staging-111-0a1b2c3d", "batch"), { recursive: true });
    mkdirSync(join(queue, ".staging-222-0a1b2c3d"), { recursive: true });
    mkdirSync(join(queue, "000001-Complete"), { recursive: true });
    for (const name of [".HRPeople.111-deadbeef.1.tmp", "HR.cookie.111-deadbeef.tmp", ".merged.xml.111.deadbeef.tmp", ".HRPeople.222-deadbeef.1.tmp", "HRPeople.csv", "notes.tmp", ".hidden.tmp"]) {
      writeFileSync(join(work, name), "x");
    }
    const removed = removeStaleTemporaries([work, work], (pid) => pid === 222);
    expect(removed.map((path) => path.slice(work.length + 1)).sort()).toEqual([
      ".HRPeople.111-deadbeef.1.tmp", ".merged.xml.111.deadbeef.tmp", "Collect/db-0123456789ab/HR/.staging-111-0a1b2c3d", "HR.cookie.111-deadbeef.tmp",
    ]);
    expect(readdirSync(work).sort()).toEqual([".HRPeople.222-deadbeef.1.tmp", ".hidden.tmp", "Collect", "HRPeople.csv", "notes.tmp"]);
    expect(readdirSync(queue).sort()).toEqual([".staging-222-0a1b2c3d", "000001-Complete"]);
  });

  it("knows a killed process from a live one", () => {
    const work = mkdtempSync(join(tmpdir(), "idm-stale-"));
    roots.push(work);
    writeFileSync(join(work, `.T.${process.pid}-0a1b2c3d.1.tmp`), "mine");
    expect(removeStaleTemporaries([work])).toEqual([]);
    expect(removeStaleTemporaries([join(work, "missing")])).toEqual([]);
    expect(existsSync(join(work, `.T.${process.pid}-0a1b2c3d.1.tmp`))).toBe(true);
  });
});

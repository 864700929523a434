/** confineTo with real symbolic links in temporary folders. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { confineTo, OutsideFolderError } from "../../src/domain/confined-path.js";

const made: string[] = [];
afterEach(() => {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A root folder and, beside it, an outside folder holding secret.txt. */
function folders() {
  const base = mkdtempSync(join(tmpdir(), "idm-confine-"));
  made.push(base);
  const root = join(base, "root");
  const outside = join(base, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "secret\n");
  return { base, root, outside };
}

describe("confineTo", () => {
  it("takes a path in the root, existing or not, and the root itself", () => {
    const { root } = folders();
    writeFileSync(join(root, "a.csv"), "");
    expect(confineTo(join(root, "a.csv"), root)).toBe(join(root, "a.csv"));
    expect(confineTo(join(root, "new", "deeper", "b.csv"), root)).toBe(join(root, "new", "deeper", "b.csv"));
    expect(confineTo(root, root)).toBe(root);
  });

  it("refuses a file symlink leading out of the root, naming the path and the root", () => {
    const { root, outside } = folders();
    const link = join(root, "HR_Person.csv");
    symlinkSync(join(outside, "secret.txt"), link);
    expect(() => confineTo(link, root)).toThrow(OutsideFolderError);
    expect(() => confineTo(link, root)).toThrow(`${link} resolves to ${join(outside, "secret.txt")}, outside the folder ${root}`);
  });

  it("refuses a path under a directory symlink leading out, also for a file not written yet", () => {
    const { root, outside } = folders();
    symlinkSync(outside, join(root, "HR"));
    expect(() => confineTo(join(root, "HR", "secret.txt"), root)).toThrow(`outside the folder ${root}`);
    expect(() => confineTo(join(root, "HR", "000001-Complete", "batch.json"), root)).toThrow(`resolves to ${join(outside, "000001-Complete", "batch.json")}`);
  });

  it("refuses a dangling symlink whose target, once written, would be outside", () => {
    const { root, outside } = folders();
    symlinkSync(join(outside, "not-yet.txt"), join(root, "sequence.tmp"));
    symlinkSync(join(outside, "no-folder"), join(root, "dir"));
    expect(() => confineTo(join(root, "sequence.tmp"), root)).toThrow(`resolves to ${join(outside, "not-yet.txt")}`);
    expect(() => confineTo(join(root, "dir", "x.csv"), root)).toThrow(`resolves to ${join(outside, "no-folder", "x.csv")}`);
  });

  it("takes symlinks that stay in the root, and a root that is itself a symlink", () => {
    const { base, root } = folders();
    mkdirSync(join(root, "real"));
    writeFileSync(join(root, "real", "people.csv"), "");
    symlinkSync(join(root, "real", "people.csv"), join(root, "HRPeople.csv"));
    symlinkSync(join(root, "real"), join(root, "alias"));
    expect(confineTo(join(root, "HRPeople.csv"), root)).toBe(join(root, "HRPeople.csv"));
    expect(confineTo(join(root, "alias", "people.csv"), root)).toBe(join(root, "alias", "people.csv"));
    symlinkSync(root, join(base, "root-link"));
    expect(confineTo(join(base, "root-link", "alias", "people.csv"), join(base, "root-link"))).toBe(join(base, "root-link", "alias", "people.csv"));
    expect(confineTo(join(root, "HRPeople.csv"), join(base, "root-link"))).toBe(join(root, "HRPeople.csv"));
  });
});

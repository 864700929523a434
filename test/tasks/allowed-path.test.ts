/** Paths a configuration names for a task to write: under the job's folders or Tasks.OutputRoots, after symlinks. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { confineOutput } from "../../src/tasks/allowed-path.js";

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function folders() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "idm-confine-")));
  roots.push(root);
  const work = join(root, "work");
  const elsewhere = join(root, "elsewhere");
  mkdirSync(work);
  mkdirSync(elsewhere);
  return { root, work, elsewhere };
}

describe("confineOutput", () => {
  it("accepts a root, a path under it and a path whose folders do not exist yet", () => {
    const { work } = folders();
    expect(confineOutput(".", work, [work], "OutputPath .")).toBe(work);
    expect(confineOutput("out/a.csv", work, [work], "OutputPath")).toBe(join(work, "out", "a.csv"));
    expect(confineOutput(join(work, "new", "deeper", "x.ts"), "/", [work], "GeneratedCodePath")).toBe(join(work, "new", "deeper", "x.ts"));
  });

  it.each([
    ["an absolute path elsewhere", (f: ReturnType<typeof folders>) => join(f.elsewhere, "stolen.csv")],
    ["a path climbing out with ..", () => "../elsewhere/x.csv"],
    ["/etc", () => "/etc"],
  ])("refuses %s, naming the allowed folders and the setting", (_, input) => {
    const f = folders();
    expect(() => confineOutput(input(f), f.work, [f.work], "OutputPath X")).toThrow(/OutputPath X is outside the folders tasks may write to \(.*work\); Tasks\.OutputRoots/);
  });

  it("refuses a path through a symlink inside the root that points outside", () => {
    const f = folders();
    symlinkSync(f.elsewhere, join(f.work, "link"));
    expect(() => confineOutput("link/new/file.csv", f.work, [f.work], "OutputPath link")).toThrow(/outside/);
  });

  it("accepts a folder listed among the extra roots", () => {
    const f = folders();
    expect(confineOutput(join(f.elsewhere, "x.csv"), f.work, [f.work, f.elsewhere], "OutputPath")).toBe(join(f.elsewhere, "x.csv"));
  });
});

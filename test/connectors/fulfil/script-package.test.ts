import { copyFileSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { scriptPackage } from "../../../src/connectors/fulfil/script-package.js";
import { applyAll, context, route, sampleOrders, tempFolder } from "./orders.js";

const FIXTURES = new URL("../../fixtures/fulfil/", import.meta.url).pathname;
const PACKAGE = "Usercube.Powershell@0000001";

/** A work folder, and a script root holding `name` (a fixture copied, or the text given). */
function setUp(name: string, text?: string) {
  const work = tempFolder("script-fulfil-work-");
  const root = tempFolder("script-fulfil-root-");
  const script = join(root, name);
  if (text === undefined) copyFileSync(join(FIXTURES, name), script);
  else writeFileSync(script, text);
  return { work, root, script, target: join(work, "target.txt") };
}

describe("script fulfilment package", () => {
  it("handles the reference's PowerShell fulfil package only", () => {
    expect(scriptPackage.handles(PACKAGE)).toBe(true);
    expect(scriptPackage.handles("Usercube.PowershellSync@0000001")).toBe(false);
  });

  for (const fixture of ["fulfil-orders.sh", "fulfil-orders.js"]) {
    it(`runs ${fixture} with the reference's contract: order file, Options on stdin, results CSV, progress`, async () => {
      const { work, root, script, target } = setUp(fixture);
      const ctx = context(work, { PowerShellScriptPath: script, Options: { Target: target, FailAssignment: "A2" } }, { scriptRoots: [root] });
      const outcomes = await applyAll(await scriptPackage.open(route(PACKAGE), ctx), sampleOrders());
      expect(outcomes).toEqual([
        { id: 1, state: "Executed", message: "" },
        { id: 2, state: "Errored", message: "the target refused A2, on purpose" },
        { id: 3, state: "Executed", message: "" },
      ]);
      expect(readFileSync(target, "utf8")).toBe("A1,Added\nA3,Deleted\n");
      expect(ctx.lines).toContain(`Information ${fixture}: 3 of 3 orders`);
      // The batch's work folder is removed: the orders hold personal data.
      expect(readdirSync(work)).toEqual(["target.txt"]);
    });
  }

  it("errors the orders the script did not report, with the end of stderr when it failed", async () => {
    const { work, root, script } = setUp(
      "partial.sh",
      [
        'while [ $# -gt 0 ]; do case "$1" in -resultsFilePath) r="$2"; shift 2;; *) shift;; esac; done',
        'printf "AssignmentId,ProvisioningState,Message\\nA1,Executed,done\\n" > "$r"',
        'echo "cannot reach the target" >&2',
        "exit 3",
      ].join("\n"),
    );
    const outcomes = await applyAll(await scriptPackage.open(route(PACKAGE), context(work, { Script: script }, { scriptRoots: [root] })), sampleOrders());
    expect(outcomes).toEqual([
      { id: 1, state: "Executed", message: "done" },
      { id: 2, state: "Errored", message: "no result from the script: partial.sh exited with code 3: cannot reach the target" },
      { id: 3, state: "Errored", message: "no result from the script: partial.sh exited with code 3: cannot reach the target" },
    ]);
  });

  it("errors every order of a script that writes no results", async () => {
    const { work, root, script } = setUp("silent.js", "console.log('nothing to say')\n");
    const outcomes = await applyAll(await scriptPackage.open(route(PACKAGE), context(work, { Script: script }, { scriptRoots: [root] })), sampleOrders());
    expect(outcomes.map((o) => [o.id, o.state, o.message])).toEqual([1, 2, 3].map((id) => [id, "Errored", "no result from the script silent.js"]));
  });

  it("keeps secrets out of the script's environment, and masks the Options' secrets in the log", async () => {
    const { work, root, script } = setUp("env.sh", 'env\nread -r options\necho "options: $options"\n');
    const secrets = { IDM_DATABASE_URL: "postgres://idm:db-secret-1@db/idm", PGPASSWORD: "db-secret-2", OTHER_URL: "https://u:db-secret-3@host/" };
    vi.stubEnv("IDM_DATABASE_URL", secrets.IDM_DATABASE_URL);
    vi.stubEnv("PGPASSWORD", secrets.PGPASSWORD);
    vi.stubEnv("OTHER_URL", secrets.OTHER_URL);
    try {
      const ctx = context(work, { Script: script, Options: { Login: "admin", Password: "options-secret" } }, { scriptRoots: [root] });
      await applyAll(await scriptPackage.open(route(PACKAGE), ctx), sampleOrders());
      const log = ctx.lines.join("\n");
      expect(log).toContain("IDM_CONNECTION=HRFiles");
      expect(log).toContain('options: {"Login":"admin","Password":"***"}');
      for (const secret of ["db-secret-1", "db-secret-2", "db-secret-3", "options-secret"]) expect(log).not.toContain(secret);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("kills the script's process group when the signal aborts, and reports none of its orders", async () => {
    const { work, root, script } = setUp("slow.sh", 'sleep 60 &\necho $! > "$IDM_MARKER"\nwait\n');
    const marker = join(work, "pid");
    vi.stubEnv("IDM_MARKER", marker);
    try {
      const fulfiller = await scriptPackage.open(route(PACKAGE), context(work, { Script: script }, { scriptRoots: [root] }));
      const controller = new AbortController();
      const outcomes = applyAll(fulfiller, sampleOrders(), controller.signal);
      await vi.waitFor(() => expect(readFileSync(marker, "utf8")).toMatch(/^\d+\n$/), { timeout: 20_000 });
      const sleeper = Number(readFileSync(marker, "utf8"));
      controller.abort();
      expect(await outcomes).toEqual([]);
      await vi.waitFor(() => expect(() => process.kill(sleeper, 0)).toThrow(), { timeout: 20_000 });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("refuses bad settings, naming them", async () => {
    const { work, root, script } = setUp("ok.sh", "true\n");
    const open = (settings: Record<string, unknown>, roots: string[] | null = [root]) =>
      scriptPackage.open(route(PACKAGE), context(work, settings, roots === null ? {} : { scriptRoots: roots }));
    await expect(open({})).rejects.toThrow("settings Connections.HRFiles.PowerShellScriptPath is missing");
    await expect(open({ Script: script, PowerShellScriptPath: script })).rejects.toThrow("settings Connections.HRFiles has both PowerShellScriptPath and Script");
    await expect(open({ Script: script, Interpreter: "python" })).rejects.toThrow('settings Connections.HRFiles.Interpreter "python" is not one of pwsh, bash, node');
    await expect(open({ Script: script, Options: ["x"] })).rejects.toThrow("settings Connections.HRFiles.Options must be an object");
    await expect(open({ Script: join(root, "missing.sh") })).rejects.toThrow("settings Connections.HRFiles.Script");
    await expect(open({ Script: script }, null)).rejects.toThrow("no folder is allowed to run scripts from");
    writeFileSync(join(root, "tool.py"), "");
    await expect(open({ Script: join(root, "tool.py") })).rejects.toThrow("no interpreter for .py");
  });

  it("refuses a script outside the script roots, through a symbolic link too, before saying whether it exists", async () => {
    const { work, root } = setUp("ok.sh", "true\n");
    const elsewhere = tempFolder("script-fulfil-elsewhere-");
    writeFileSync(join(elsewhere, "evil.sh"), "true\n");
    symlinkSync(join(elsewhere, "evil.sh"), join(root, "link.sh"));
    const open = (script: string) => scriptPackage.open(route(PACKAGE), context(work, { Script: script }, { scriptRoots: [root] }));
    await expect(open(join(elsewhere, "evil.sh"))).rejects.toThrow("is outside the folders scripts may run from");
    await expect(open(join(root, "link.sh"))).rejects.toThrow("is outside the folders scripts may run from");
    await expect(open(join(elsewhere, "missing.sh"))).rejects.toThrow("is outside the folders scripts may run from");
  });
});

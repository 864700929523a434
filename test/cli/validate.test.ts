import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

const IDM = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));

function idm(...args: string[]) {
  const result = spawnSync(process.execPath, [IDM, ...args], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("idm validate", () => {
  it("says the demo is valid, as JSON", () => {
    const { status, stdout } = idm("validate", DEMO, "--json");
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { valid: boolean; files: number; items: number; problems: { code: string }[] };
    expect(report).toMatchObject({ valid: true, files: 17 });
    expect(report.items).toBeGreaterThan(40);
    expect(report.problems).toEqual([]);
  });

  it("prints problems like a compiler, with the did-you-mean, and exits 1", () => {
    const dir = writeFolder({
      "model.xml": BASE_MODEL,
      "jobs/sync.xml": configFile(`  <Job Identifier="J" DisplayName_L1="J" Agent="Local">\n    <ExportTask Identifier="E" DisplayName_L1="E" IgnoreCookiFile="true"/>\n  </Job>`),
    });
    const { status, stdout } = idm("validate", dir);
    expect(status).toBe(1);
    expect(stdout).toContain("jobs/sync.xml:4:51  error  unknown-attribute  ExportTask has no attribute IgnoreCookiFile\n    hint: did you mean IgnoreCookieFile?");
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^invalid: 2 files, .*1 error, 0 warnings$/);
  });

  it("exits 0 with warnings only, and prints no stack trace for a missing folder", () => {
    expect(idm("validate", DEMO).status).toBe(0);
    const missing = idm("validate", "/nonexistent/folder");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("idm: /nonexistent/folder is not a folder\n");
  });

  it("reads the size limit from the settings file", () => {
    const dir = writeFolder({ "a.xml": configFile(`  <!-- ${"x".repeat(500)} -->`), "appsettings.json": JSON.stringify({ Validation: { MaxFileBytes: 100 } }) });
    const { status, stdout } = idm("--settings", `${dir}/appsettings.json`, "validate", dir, "--json");
    expect(status).toBe(1);
    expect(JSON.parse(stdout).problems).toMatchObject([{ code: "file-too-large", file: "a.xml" }]);
  });
});

describe("idm schema", () => {
  it("prints the XSD and refuses an ambiguous request", () => {
    expect(idm("schema", "--xsd").stdout).toContain("<xs:element name=\"Job\">");
    expect(idm("schema").stderr).toBe("idm: give exactly one of --xsd or --types\n");
  });
});

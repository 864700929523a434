/**
 * Durations end up in Node.js timers, which hold at most 2^31-1 ms (about 24.8 days): a longer one
 * fires at once. Settings and attributes that become timers are bounded where they are read.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { BASE_MODEL, configFile, writeFolder } from "../helpers/temp-folder.js";

const LONGEST = 2_147_483;

function settingsWith(json: unknown): () => unknown {
  const dir = writeFolder({ "appsettings.json": JSON.stringify(json) });
  return () => loadSettings(join(dir, "appsettings.json"));
}

describe("durations that become timers", () => {
  it.each([
    [{ Tasks: { ScriptTimeoutSeconds: LONGEST + 1 } }, "Tasks.ScriptTimeoutSeconds"],
    [{ Jobs: { LeaseTtlSeconds: 10_000_000 } }, "Jobs.LeaseTtlSeconds"],
    [{ Deploy: { LeaseTtlSeconds: 1e12 } }, "Deploy.LeaseTtlSeconds"],
    [{ Tasks: { ScriptTimeoutSeconds: -5 } }, "Tasks.ScriptTimeoutSeconds"],
  ])("the setting %j is refused, naming %s and the limit", (json, name) => {
    expect(settingsWith(json)).toThrow(new RegExp(`setting ${name.replace(".", "\\.")} must be a number of seconds from 1 to ${LONGEST}`));
  });

  it("the longest timer Node.js keeps is accepted", () => {
    const settings = settingsWith({ Tasks: { ScriptTimeoutSeconds: LONGEST }, Jobs: { LeaseTtlSeconds: LONGEST } })() as {
      tasks: { scriptTimeoutSeconds: number };
      jobs: { leaseTtlSeconds: number };
    };
    expect(settings.tasks.scriptTimeoutSeconds).toBe(LONGEST);
    expect(settings.jobs.leaseTtlSeconds).toBe(LONGEST);
  });

  it.each(["-1", String(LONGEST + 1), "99999999"])("InvokeSqlCommandTask Timeout=\"%s\" is invalid-value at validate", (value) => {
    const dir = writeFolder({
      "model.xml": BASE_MODEL,
      "jobs.xml": configFile(`  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q" Agent="Local" SQLCommand="select 1" Timeout="${value}"/>`),
    });
    const problems = validateFolder(dir).problems.filter((p) => p.severity === "error");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "invalid-value", file: "jobs.xml", line: 3 });
    expect(problems[0]!.message).toContain(`Timeout="${value}"`);
  });

  it.each(["0", "30", String(LONGEST)])("InvokeSqlCommandTask Timeout=\"%s\" is valid", (value) => {
    const dir = writeFolder({
      "model.xml": BASE_MODEL,
      "jobs.xml": configFile(`  <InvokeSqlCommandTask Identifier="Q" DisplayName_L1="Q" Agent="Local" SQLCommand="select 1" Timeout="${value}"/>`),
    });
    expect(validateFolder(dir).problems.filter((p) => p.severity === "error")).toEqual([]);
  });
});

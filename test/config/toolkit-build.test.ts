import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeBuildId, toolkitBuildId } from "../../src/config/toolkit-build.js";

describe("the toolkit build id", () => {
  it("is a SHA-256 of the code, and changes when one file of the code does", () => {
    expect(toolkitBuildId()).toMatch(/^[0-9a-f]{64}$/);
    const code = mkdtempSync(join(tmpdir(), "idm-code-"));
    writeFileSync(join(code, "items.js"), "export const a = 1;");
    const before = computeBuildId(code);
    expect(computeBuildId(code)).toBe(before);
    writeFileSync(join(code, "items.js"), "export const a = 2;");
    expect(computeBuildId(code)).not.toBe(before);
  });
});

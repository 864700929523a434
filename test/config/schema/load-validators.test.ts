import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ValidateFunction } from "ajv";
import * as imported from "../../../src/config/generated/schema-validators.js";
import { loadValidators, validatorsCacheDir } from "../../../src/config/schema/load-validators.js";

const BUILT = new URL("../../../dist/config/schema/load-validators.js", import.meta.url).href;

/**
 * Loads in a new process, as `idm` does: within one process V8 keeps what it compiled, and would
 * neither read a cache nor reject one.
 */
function loadInProcess(dir: string): { cache: string; job: boolean } {
  const script = `import { loadValidators } from ${JSON.stringify(BUILT)};
const { validators, cache } = loadValidators(${JSON.stringify(dir)});
console.log(JSON.stringify({ cache, job: validators.Job({ Identifier: "J", DisplayName_L1: "J" }) }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as { cache: string; job: boolean };
}

const dirs: string[] = [];
function cacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "idm-cache-"));
  dirs.push(dir);
  return join(dir, "idm-toolkit");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("loadValidators", () => {
  it("gives the module's validators, the same as importing it, and they validate", () => {
    const { validators } = loadValidators(undefined);
    expect(Object.keys(validators).sort()).toEqual(Object.keys(imported).sort());
    const job = validators.Job as ValidateFunction;
    expect(job({ Identifier: "J", DisplayName_L1: "J" })).toBe(true);
    expect(job({ DisplayName_L1: "J" })).toBe(false);
    expect(job.errors?.[0]).toMatchObject({ keyword: "required", params: { missingProperty: "Identifier" } });
  });

  it("writes V8's code cache in a private folder the first time and uses it the next", () => {
    const dir = cacheDir();
    expect(loadInProcess(dir)).toEqual({ cache: "written", job: true });
    expect(readdirSync(dir)).toHaveLength(1);
    expect(loadInProcess(dir)).toEqual({ cache: "used", job: true });
  });

  it("rewrites a cache V8 rejects, and the validators still work", () => {
    const dir = cacheDir();
    loadInProcess(dir);
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), Buffer.alloc(4096, 7));
    expect(loadInProcess(dir)).toEqual({ cache: "written", job: true });
    expect(loadInProcess(dir)).toEqual({ cache: "used", job: true });
  });

  it("neither reads nor writes a cache in a folder others can write to", () => {
    const dir = cacheDir();
    loadInProcess(dir);
    chmodSync(dir, 0o777);
    expect(loadInProcess(dir)).toEqual({ cache: "none", job: true });
  });

  it("keeps one cache: the ones of earlier builds are removed", () => {
    const dir = cacheDir();
    loadValidators(dir);
    const [current] = readdirSync(dir);
    rmSync(join(dir, current!));
    writeFileSync(join(dir, "validators-old-build.bin"), "x", { mode: 0o600 });
    loadValidators(dir);
    expect(readdirSync(dir)).toEqual([current]);
  });

  it("finds its folder in IDM_CACHE_DIR, XDG_CACHE_HOME or ~/.cache, and none with IDM_CACHE_DIR=off", () => {
    expect(validatorsCacheDir({ IDM_CACHE_DIR: "/c" })).toBe("/c");
    expect(validatorsCacheDir({ IDM_CACHE_DIR: "off", XDG_CACHE_HOME: "/x" })).toBeUndefined();
    expect(validatorsCacheDir({ XDG_CACHE_HOME: "/x" })).toBe("/x/idm-toolkit");
    expect(validatorsCacheDir({})).toMatch(/\/\.cache\/idm-toolkit$/);
  });
});

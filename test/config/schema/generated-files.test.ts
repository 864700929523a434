import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalog, SCHEMA_DIR } from "../../../src/config/schema/catalog.js";
import { generateTypes } from "../../../src/config/schema/typescript.js";
import { generateValidators } from "../../../src/config/schema/validators.js";
import { generateXsd } from "../../../src/config/schema/xsd.js";
import { loadVocabulary } from "../../../src/config/vocabulary.js";

const XSD = join(SCHEMA_DIR, "identitymanager-configuration.xsd");
const TYPES = fileURLToPath(new URL("../../../src/config/generated/schema-types.ts", import.meta.url));
const VALIDATORS = fileURLToPath(new URL("../../../src/config/generated/schema-validators.ts", import.meta.url));
const SAMPLES = fileURLToPath(new URL("../../../conf-samples/", import.meta.url));
const REGENERATE = "stale: run `npm run gen` and commit the result";

describe("generated files", () => {
  it("the committed XSD is the one the JSON Schemas generate", () => {
    expect(readFileSync(XSD, "utf8") === generateXsd(loadCatalog(), loadVocabulary()), REGENERATE).toBe(true);
  });

  it("the committed TypeScript types are the ones the JSON Schemas generate", () => {
    expect(readFileSync(TYPES, "utf8") === generateTypes(loadCatalog()), REGENERATE).toBe(true);
  });

  it("the committed attribute groups of common.json (D0…D3V, Description_L1…) are the ones scripts/schema-groups.mjs writes", () => {
    const result = spawnSync(process.execPath, [fileURLToPath(new URL("../../../scripts/schema-groups.mjs", import.meta.url)), "--check"], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("the committed precompiled validators are the ones the JSON Schemas compile to", () => {
    expect(readFileSync(VALIDATORS, "utf8") === generateValidators(), REGENERATE).toBe(true);
  });

  const samples = readdirSync(SAMPLES, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".xml"));

  it("covers every sample file", () => {
    expect(samples.length).toBeGreaterThan(5);
  });

  it.each(samples)("conf-samples/%s validates against the XSD with xmllint", (file) => {
    const result = spawnSync("xmllint", ["--noout", "--schema", XSD, join(SAMPLES, file)], { encoding: "utf8" });
    expect(result.stderr).toContain("validates");
    expect(result.status).toBe(0);
  });
});

// Writes the attribute groups of schema/common.json that are too regular to write by hand (npm run gen,
// first step; `--check` exits 1 when the committed file differs):
// - the dimension-indexed attributes D (value), L (include the hierarchy), B (binding), R (required
//   parameter), P (parametrized), each with 128 base32hex suffixes 0…9, A…V, 10…1V, 20…2V, 30…3V
//   (the dimension's ColumnMapping: D0 is dimension 0, DA dimension 10, D10 dimension 32);
// - the localized texts Description_L1…L16 and Remediation_L1…L16.
// Each group is a $defs entry with explicit properties, which an element schema includes with allOf,
// so that the catalog, coercion and validation know them like any other attribute; its x-group name
// lets the XSD and the TypeScript types declare the group once (an attributeGroup, an interface).
import { readFileSync, writeFileSync } from "node:fs";

const FILE = new URL("../schema/common.json", import.meta.url);
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
const SUFFIXES = Array.from({ length: 128 }, (_, i) => (i < 32 ? "" : String(Math.floor(i / 32))) + DIGITS[i % 32]);

// $defs key → [attribute letter, type of each attribute, x-group (the name the XSD and the types give the group), description].
const DIMENSION_GROUPS = {
  dimensionValues: ["D", "dimensionValue", "DimensionValues", "Values of the dimensions D0…D3V (see dimensionValue)."],
  dimensionHierarchies: ["L", "dimensionHierarchy", "DimensionHierarchies", "Hierarchy flags L0…L3V of the dimensions (see dimensionHierarchy)."],
  dimensionBindings: ["B", "dimensionBinding", "DimensionBindings", "Bindings B0…B3V of the dimensions (see dimensionBinding)."],
  dimensionRequiredParameters: ["R", "dimensionRequiredParameter", "DimensionRequiredParameters", "Required-parameter flags R0…R3V of the dimensions (see dimensionRequiredParameter)."],
  dimensionParameters: ["P", "dimensionParameter", "DimensionParameters", "Parameter flags P0…P3V of the dimensions (see dimensionParameter)."],
};

// $defs key → [attribute prefix, description of each, x-group].
const LOCALIZED_GROUPS = {
  descriptions: ["Description", "Description in language", "Descriptions"],
  remediations: ["Remediation", "How to remedy it, in language", "Remediations"],
};

const common = JSON.parse(readFileSync(FILE, "utf8"));
for (const [key, [letter, type, group, description]] of Object.entries(DIMENSION_GROUPS)) {
  common.$defs[key] = {
    description,
    "x-group": group,
    properties: Object.fromEntries(SUFFIXES.map((s) => [`${letter}${s}`, { $ref: `#/$defs/${type}` }])),
  };
}
for (const [key, [prefix, label, group]] of Object.entries(LOCALIZED_GROUPS)) {
  common.$defs[key] = {
    "x-group": group,
    properties: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [
      `${prefix}_L${i + 1}`,
      { type: "string", description: `${label} ${i + 1}${i === 0 ? "" : " (see Language IndicatorNumber)"}.` },
    ])),
  };
}

const text = `${JSON.stringify(common, null, 2)}\n`;
if (process.argv.includes("--check")) {
  if (readFileSync(FILE, "utf8") !== text) {
    console.error("schema/common.json: generated groups are stale, run `node scripts/schema-groups.mjs`");
    process.exit(1);
  }
} else writeFileSync(FILE, text);

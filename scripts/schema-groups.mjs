// Writes the attribute groups of schema/common.json that are too regular to write by hand (npm run gen,
// first step; `--check` exits 1 when the committed file differs):
// - the dimension-indexed attributes D (value), L (include the hierarchy), B (binding), R (required
//   parameter), P (parametrized), each with 128 base32hex suffixes 0…9, A…V, 10…1V, 20…2V, 30…3V
//   (the dimension's ColumnMapping: D0 is dimension 0, DA dimension 10, D10 dimension 32);
// - the flags D0IsActive…D3VIsActive (the dimensions a DisplayEntityType shows);
// - the localized texts Description_L1…L16, Remediation_L1…L16 and the user interface's
//   (PluralDisplayName, FormTitle, PlaceHolderText, Message, RazorFile, SubjectExpression…).
// Each group is a $defs entry with explicit properties, which an element schema includes with allOf,
// so that the catalog, coercion, the XSD and the types know them like any other attribute.
import { readFileSync, writeFileSync } from "node:fs";

const FILE = new URL("../schema/common.json", import.meta.url);
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
const SUFFIXES = Array.from({ length: 128 }, (_, i) => (i < 32 ? "" : String(Math.floor(i / 32))) + DIGITS[i % 32]);

const DIMENSION_GROUPS = {
  dimensionValues: ["D", "dimensionValue", "Values of the dimensions D0…D3V (see dimensionValue)."],
  dimensionHierarchies: ["L", "dimensionHierarchy", "Hierarchy flags L0…L3V of the dimensions (see dimensionHierarchy)."],
  dimensionBindings: ["B", "dimensionBinding", "Bindings B0…B3V of the dimensions (see dimensionBinding)."],
  dimensionRequiredParameters: ["R", "dimensionRequiredParameter", "Required-parameter flags R0…R3V of the dimensions (see dimensionRequiredParameter)."],
  dimensionParameters: ["P", "dimensionParameter", "Parameter flags P0…P3V of the dimensions (see dimensionParameter)."],
};

const LOCALIZED_GROUPS = {
  descriptions: ["Description", "Description in language"],
  remediations: ["Remediation", "How to remedy it, in language"],
  addRowLabels: ["AddRowLabel", "Label of the button that adds a row (WorkflowUpdateSeveralRecordsEntityForm), in language"],
  formTitles: ["FormTitle", "Title of the form, in language"],
  mainPropertyLabels: ["MainPropertyLabel", "Label of the form's main property, in language"],
  messages: ["Message", "Message shown when the aspect's check fails, in language"],
  placeHolderTexts: ["PlaceHolderText", "Text shown in the empty field, in language"],
  pluralDisplayNames: ["PluralDisplayName", "Name in the plural, in language"],
  razorFiles: ["RazorFile", "Razor (.cshtml) template of the mail body, relative to the configuration folder, in language"],
  removeRowLabels: ["RemoveRowLabel", "Label of the button that removes a row (WorkflowUpdateSeveralRecordsEntityForm), in language"],
  subjectExpressions: ["SubjectExpression", "C# expression giving the mail subject (its variable typed by ExpressionBinding), in language"],
  tableTitles: ["TableTitle", "Title of the records table (WorkflowUpdateSeveralRecordsEntityForm), in language"],
  toolTipTexts: ["ToolTipText", "Text of the field's tool tip, in language"],
};

const common = JSON.parse(readFileSync(FILE, "utf8"));
for (const [group, [letter, type, description]] of Object.entries(DIMENSION_GROUPS)) {
  common.$defs[group] = {
    description,
    properties: Object.fromEntries(SUFFIXES.map((s) => [`${letter}${s}`, { $ref: `#/$defs/${type}` }])),
  };
}
// D0IsActive…D3VIsActive of DisplayEntityType: no schema default, since 128 false values on every
// item would say nothing that their absence does not.
common.$defs.dimensionsActive = {
  description: "Which dimensions the entity type shows: D0IsActive…D3VIsActive (false when absent).",
  properties: Object.fromEntries(SUFFIXES.map((s, i) => [
    `D${s}IsActive`,
    { $ref: "#/$defs/boolean", description: `Dimension ${i} (suffix ${s}) is shown for this entity type.` },
  ])),
};
for (const [group, [prefix, label]] of Object.entries(LOCALIZED_GROUPS)) {
  common.$defs[group] = {
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

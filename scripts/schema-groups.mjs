// Writes the attribute groups of schema/common.json that are too regular to write by hand (npm run gen,
// first step; `--check` exits 1 when the committed file differs):
// - the dimension-indexed attributes D (value), L (include the hierarchy), B (binding), R (required
//   parameter), P (parametrized), each with 128 base32hex suffixes 0…9, A…V, 10…1V, 20…2V, 30…3V
//   (the dimension's ColumnMapping: D0 is dimension 0, DA dimension 10, D10 dimension 32);
// - the flags D0IsActive…D3VIsActive (the dimensions a DisplayEntityType shows);
// - the localized texts Description_L1…L16, Remediation_L1…L16 and the user interface's
//   (PluralDisplayName, FormTitle, PlaceHolderText, Message, RazorFile, SubjectExpression…);
// - the storage columns of a Resource: C0…C3V (scalar columns 0 to 127) and I40…I4O (mono-valued
//   navigation columns 128 to 152), suffixed in base32hex like the dimensions.
// Each group is a $defs entry with explicit properties, which an element schema includes with allOf,
// so that the catalog, coercion and validation know them like any other attribute; its x-group name
// lets the XSD and the TypeScript types declare the group once (an attributeGroup, an interface).
import { readFileSync, writeFileSync } from "node:fs";

const FILE = new URL("../schema/common.json", import.meta.url);
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
const suffix = (i) => (i < 32 ? "" : String(Math.floor(i / 32))) + DIGITS[i % 32];
const SUFFIXES = Array.from({ length: 128 }, (_, i) => suffix(i));

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
  addRowLabels: ["AddRowLabel", "Label of the button that adds a row (WorkflowUpdateSeveralRecordsEntityForm), in language", "AddRowLabels"],
  formTitles: ["FormTitle", "Title of the form, in language", "FormTitles"],
  mainPropertyLabels: ["MainPropertyLabel", "Label of the form's main property, in language", "MainPropertyLabels"],
  messages: ["Message", "Message shown when the aspect's check fails, in language", "Messages"],
  placeHolderTexts: ["PlaceHolderText", "Text shown in the empty field, in language", "PlaceHolderTexts"],
  pluralDisplayNames: ["PluralDisplayName", "Name in the plural, in language", "PluralDisplayNames"],
  razorFiles: ["RazorFile", "Razor (.cshtml) template of the mail body, relative to the configuration folder, in language", "RazorFiles"],
  removeRowLabels: ["RemoveRowLabel", "Label of the button that removes a row (WorkflowUpdateSeveralRecordsEntityForm), in language", "RemoveRowLabels"],
  subjectExpressions: ["SubjectExpression", "C# expression giving the mail subject (its variable typed by ExpressionBinding), in language", "SubjectExpressions"],
  tableTitles: ["TableTitle", "Title of the records table (WorkflowUpdateSeveralRecordsEntityForm), in language", "TableTitles"],
  toolTipTexts: ["ToolTipText", "Text of the field's tool tip, in language", "ToolTipTexts"],
};

// $defs key → [attribute letter, first and last column, type of each attribute, x-group, description].
const COLUMN_GROUPS = {
  resourceColumns: ["C", 0, 127, "resourceColumn", "ResourceColumns", "Scalar storage columns C0…C3V of a resource (see resourceColumn)."],
  resourceNavigationColumns: ["I", 128, 152, "resourceNavigationColumn", "ResourceNavigationColumns",
    "Mono-valued navigation storage columns I40…I4O of a resource (see resourceNavigationColumn)."],
};

const common = JSON.parse(readFileSync(FILE, "utf8"));
for (const [key, [letter, type, group, description]] of Object.entries(DIMENSION_GROUPS)) {
  common.$defs[key] = {
    description,
    "x-group": group,
    properties: Object.fromEntries(SUFFIXES.map((s) => [`${letter}${s}`, { $ref: `#/$defs/${type}` }])),
  };
}
// D0IsActive…D3VIsActive of DisplayEntityType: no schema default, since 128 false values on every
// item would say nothing that their absence does not. Its x-group does not start with Dimension:
// check-role-model reads those groups' attributes as a letter and a dimension suffix (D0, L3V).
common.$defs.dimensionsActive = {
  description: "Which dimensions the entity type shows: D0IsActive…D3VIsActive (false when absent).",
  "x-group": "ActiveDimensions",
  properties: Object.fromEntries(SUFFIXES.map((s, i) => [
    `D${s}IsActive`,
    { $ref: "#/$defs/boolean", description: `Dimension ${i} (suffix ${s}) is shown for this entity type.` },
  ])),
};
for (const [key, [prefix, label, group]] of Object.entries(LOCALIZED_GROUPS)) {
  common.$defs[key] = {
    "x-group": group,
    properties: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [
      `${prefix}_L${i + 1}`,
      { type: "string", description: `${label} ${i + 1}${i === 0 ? "" : " (see Language IndicatorNumber)"}.` },
    ])),
  };
}

for (const [key, [letter, first, last, type, group, description]] of Object.entries(COLUMN_GROUPS)) {
  common.$defs[key] = {
    description,
    "x-group": group,
    properties: Object.fromEntries(Array.from({ length: last - first + 1 }, (_, i) => [`${letter}${suffix(first + i)}`, { $ref: `#/$defs/${type}` }])),
  };
}

const text = `${JSON.stringify(common, null, 2)}\n`;
if (process.argv.includes("--check")) {
  if (readFileSync(FILE, "utf8") !== text) {
    console.error("schema/common.json: generated groups are stale, run `node scripts/schema-groups.mjs`");
    process.exit(1);
  }
} else writeFileSync(FILE, text);

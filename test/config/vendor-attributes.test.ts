/**
 * The attributes the product accepts on every element (config/vendor-attributes.ts): ConsolidationMode,
 * never taken for a misnamed attribute, its fragments read as overlays (the modes themselves:
 * test/config/overlays.test.ts), and TemplateTransformation, accepted with a warning.
 */
import { describe, expect, it } from "vitest";
import { buildItems } from "../../src/config/items.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

function validate(body: string) {
  const result = validateFolder(writeFolder({ "a.xml": configFile(body) }));
  return { problems: result.problems, items: buildItems(result.configuration) };
}

const AGENT = `  <Agent Identifier="Local" DisplayName_L1="Local agent"/>`;

describe("ConsolidationMode", () => {
  it("reads a Merge, Update or Delete fragment as an overlay, never with a hint to rename it; one with nothing under it is a warning and left out", () => {
    const { problems, items } = validate([
      AGENT,
      `  <Connector Identifier="AD" ConsolidationMode="Merge" Agent="Local"/>`,
      `  <EntityType Identifier="Directory_User" ConsolidationMode="update">`,
      `    <Property Identifier="PersonalEmail" TargetColumnIndex="40"/>`,
      `  </EntityType>`,
      `  <Agent Identifier="Remote" ConsolidationMode="Delete"/>`,
    ].join("\n"));
    const nothing = "no module, generated or configuration item has this identifier; ";
    expect(problems).toEqual([
      { code: "overlay-without-base", severity: "warning", file: "a.xml", line: 4, column: 3,
        message: `Connector "AD" ConsolidationMode="Merge": ${nothing}nothing to change, the fragment is left out (not deployed)` },
      { code: "overlay-without-base", severity: "warning", file: "a.xml", line: 5, column: 3,
        message: `EntityType "Directory_User" ConsolidationMode="Update": ${nothing}nothing to change, the fragment is left out (not deployed)` },
      { code: "overlay-without-base", severity: "warning", file: "a.xml", line: 8, column: 3,
        message: `Agent "Remote" ConsolidationMode="Delete": ${nothing}nothing to delete` },
    ]);
    expect(items.map((i) => `${i.kind}:${i.identifier}`)).toEqual(["Agent:Local"]);
  });

  it("leaves out a Delete child of an element that is no overlay, saying so; a Merge fragment changes a task of the configuration", () => {
    const { problems, items } = validate([
      AGENT,
      `  <EntityType Identifier="T" DisplayName_L1="T">`,
      `    <Property Identifier="Code" IsKey="true" DisplayName_L1="Code" TargetColumnIndex="4" Type="String"/>`,
      `    <Property Identifier="Old" ConsolidationMode="Delete"/>`,
      `  </EntityType>`,
      `  <Job Identifier="J" DisplayName_L1="J" Agent="Local">`,
      `    <MaintainIndexesTask Identifier="M" DisplayName_L1="M"/>`,
      `  </Job>`,
      `  <MaintainIndexesTask Identifier="M" ConsolidationMode="Merge" Level="3"/>`,
    ].join("\n"));
    expect(problems.map((p) => [p.code, p.severity, p.line])).toEqual([["overlay-without-base", "warning", 6]]);
    const type = items.find((i) => i.kind === "EntityType")!;
    expect(Object.keys((type.children as Record<string, Record<string, unknown>>).Property!)).toEqual(["Code"]);
    const task = items.find((i) => i.kind === "MaintainIndexesTask")!;
    expect([task.identifier, task.attributes.Level, task.attributes.DisplayName_L1]).toEqual(["M", 3, "M"]);
    expect(task.contributions!.map((c) => [c.file, c.line, c.mode])).toEqual([["a.xml", 9, "Base"], ["a.xml", 11, "Merge"]]);
  });

  it("takes Replace (or no mode) as an ordinary element, which must be complete, and does not store the attribute", () => {
    const { problems, items } = validate([
      `  <Agent Identifier="Local" DisplayName_L1="Local agent" ConsolidationMode="Replace"/>`,
      `  <Connector Identifier="AD" ConsolidationMode="replace" Agent="Local"/>`,
    ].join("\n"));
    expect(problems).toEqual([
      { code: "missing-attribute", severity: "error", file: "a.xml", line: 4, column: 3, message: "Connector requires the attribute DisplayName_L1" },
    ]);
    expect(items.find((i) => i.kind === "Agent")!.attributes).not.toHaveProperty("ConsolidationMode");
  });

  it("refuses a mode the product does not have, with a did-you-mean", () => {
    const { problems } = validate(`  <Agent Identifier="Local" DisplayName_L1="Local agent" ConsolidationMode="Merg"/>`);
    expect(problems).toEqual([{
      code: "invalid-value", severity: "error", file: "a.xml", line: 3, column: 58, hint: "did you mean Merge?",
      message: 'Agent ConsolidationMode="Merg" is not valid: expected Replace, Merge, Update or Delete (absent means Replace)',
    }]);
  });
});

describe("TemplateTransformation", () => {
  it("is accepted on any element with a warning; the element is deployed without it", () => {
    const { problems, items } = validate([
      `  <Agent Identifier="Local" DisplayName_L1="Local agent" TemplateTransformation="OnePerLanguage"/>`,
    ].join("\n"));
    expect(problems).toEqual([{
      code: "unsupported-attribute", severity: "warning", file: "a.xml", line: 3, column: 58,
      message: 'Agent TemplateTransformation="OnePerLanguage" is not applied by idm-toolkit: the element is deployed as written',
    }]);
    expect(items.map((i) => [i.kind, i.identifier])).toEqual([["Agent", "Local"]]);
    expect(items[0]!.attributes).not.toHaveProperty("TemplateTransformation");
  });
});

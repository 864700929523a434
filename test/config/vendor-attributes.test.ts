/**
 * The attributes the product accepts on every element (config/vendor-attributes.ts): ConsolidationMode,
 * never taken for a misnamed attribute, its overlay fragments left out with a warning until overlays
 * are applied, and TemplateTransformation, accepted with a warning.
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
  it("leaves a Merge, Update or Delete fragment out with a warning, never with a hint to rename it (a fragment carries only what it changes)", () => {
    const { problems, items } = validate([
      AGENT,
      `  <Connector Identifier="AD" ConsolidationMode="Merge" Agent="Local"/>`,
      `  <EntityType Identifier="Directory_User" ConsolidationMode="update">`,
      `    <Property Identifier="PersonalEmail" TargetColumnIndex="40"/>`,
      `  </EntityType>`,
      `  <Agent Identifier="Remote" ConsolidationMode="Delete"/>`,
    ].join("\n"));
    expect(problems).toEqual([
      { code: "unsupported-attribute", severity: "warning", file: "a.xml", line: 4, column: 30,
        message: 'Connector "AD" ConsolidationMode="Merge": idm-toolkit does not apply overlays yet; this fragment is ignored (not deployed)' },
      { code: "unsupported-attribute", severity: "warning", file: "a.xml", line: 5, column: 43,
        message: 'EntityType "Directory_User" ConsolidationMode="update": idm-toolkit does not apply overlays yet; this fragment is ignored (not deployed)' },
      { code: "unsupported-attribute", severity: "warning", file: "a.xml", line: 8, column: 30,
        message: 'Agent "Remote" ConsolidationMode="Delete": idm-toolkit does not apply overlays yet; this fragment is ignored (not deployed)' },
    ]);
    expect(items.map((i) => `${i.kind}:${i.identifier}`)).toEqual(["Agent:Local"]);
  });

  it("leaves out an overlay child and keeps its parent; leaves an overlay task out of its job", () => {
    const { problems, items } = validate([
      AGENT,
      `  <EntityType Identifier="T">`,
      `    <Property Identifier="Code" IsKey="true"/>`,
      `    <Property Identifier="Old" ConsolidationMode="Delete"/>`,
      `  </EntityType>`,
      `  <Job Identifier="J" DisplayName_L1="J">`,
      `    <MaintainIndexesTask Identifier="M" DisplayName_L1="M"/>`,
      `    <MaintainIndexesTask Identifier="Vendor" ConsolidationMode="Merge" Level="3"/>`,
      `  </Job>`,
    ].join("\n"));
    expect(problems.map((p) => [p.code, p.severity, p.line])).toEqual([["unsupported-attribute", "warning", 6], ["unsupported-attribute", "warning", 10]]);
    const type = items.find((i) => i.kind === "EntityType")!;
    expect(Object.keys((type.children as Record<string, Record<string, unknown>>).Property!)).toEqual(["Code"]);
    expect(items.filter((i) => i.kind === "MaintainIndexesTask").map((i) => i.identifier)).toEqual(["M"]);
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

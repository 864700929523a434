import { describe, expect, it } from "vitest";
import { buildItems } from "../../src/config/items.js";
import { at, validateSamples } from "../helpers/access-and-settings.js";

describe("access certification elements: the reference's examples", () => {
  const { problems, configuration } = validateSamples();
  const items = buildItems(configuration);
  const inFile = items.filter((i) => i.source.file === "AccessCertification.xml");

  it("validate without a problem, one item each", () => {
    expect(problems).toEqual([]);
    expect(inFile.map((i) => i.kind)).toEqual([
      "AccessCertificationCampaignPolicy", "AccessCertificationDataFilter", "AccessCertificationDataFilter",
      "AccessCertificationOwnerFilter", "AccessCertificationOwnerFilter", "AccessCertificationItemReviewer",
    ]);
  });

  it("type the filters' switches, with the reference's defaults, and their dimension attributes", () => {
    const [, data] = inFile;
    expect(data!.attributes).toEqual({
      Campaign: "Q1_Review", Category: "IT_Administration", IncludeCompositeRoles: false, IncludeDeniedPermissions: true,
      IncludeDoubleValidation: true, IncludeManualAssignmentNotAllowed: true, IncludeNestedCategories: true, IncludeNoValidation: true,
      IncludeResourceNavigations: false, IncludeResourceScalars: false, IncludeResourceTypes: true, IncludeSimpleValidation: true,
      IncludeSingleRoles: true, IncludeTripleValidation: true, IncludeWorkflowStateApproved: true, IncludeWorkflowStateFound: true,
      IncludeWorkflowStateHistory: true, IncludeWorkflowStatePolicyApproved: true, LatestCertifiedLimitDate: "2024-01-01", Tags: "Sensitive¤Finance",
    });
    // An owner filter's L attributes have no default: an item holds the dimensions it names, not 128 false ones.
    expect(inFile[3]!.attributes).toEqual({ Campaign: "Q1_Review", D0: "ORG0003", L0: true, MinimalRiskScore: 50 });
    expect(inFile[3]!.identifier).toBe("Campaign=Q1_Review;D0=ORG0003;L0=true;MinimalRiskScore=50");
  });

  it("key a data filter by what it says, in the 442 characters the store keeps: its start and a digest of the whole", () => {
    const [first, second] = [inFile[1]!.identifier, inFile[2]!.identifier];
    expect(first).toHaveLength(442);
    expect(first).toMatch(/^Campaign=Q1_Review;Category=IT_Administration;IncludeCompositeRoles=false;.*#[0-9a-f]{64}$/);
    expect(second).toHaveLength(442);
    expect(second.slice(-65)).not.toBe(first.slice(-65));
  });
});

describe("access certification elements: mistakes", () => {
  it("a wrong value and a dangling reference are errors with did-you-mean", () => {
    const body = [
      `  <AccessCertificationDataFilter Campaign="Q2" IncludeSingleRoles="yes" ResourceType="AD_Entry_NominativeUsr" Category="IT_Administraton" />`,
      `  <AccessCertificationOwnerFilter Campaign="Q2" L0="maybe" MinimalRiskScore="high" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "invalid-value", severity: "error", ...at(body, "IncludeSingleRoles=") },
      { code: "unresolved-reference", severity: "error", ...at(body, "ResourceType="), hint: "did you mean AD_Entry_NominativeUser?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "Category="), hint: "did you mean IT_Administration?" },
      { code: "invalid-value", severity: "error", ...at(body, "L0=") },
      { code: "invalid-value", severity: "error", ...at(body, "MinimalRiskScore=") },
    ]);
    expect(problems).toHaveLength(5);
    expect(problems[0]!.message).toBe('AccessCertificationDataFilter IncludeSingleRoles="yes" is not valid: expected true, false, 1 or 0');
    expect(problems[1]!.message).toBe('AccessCertificationDataFilter ResourceType="AD_Entry_NominativeUsr": no ResourceType has this identifier');
  });

  it("requires the campaign and a policy's label; dimensions end at 3V and name a declared dimension", () => {
    const body = [
      `  <AccessCertificationCampaignPolicy Identifier="Auditors" />`,
      `  <AccessCertificationOwnerFilter Campaign="Q2" D3V="ORG1" L3V="1" D40="ORG2" />`,
      `  <AccessCertificationDataFilter IncludeSingleRoles="true" />`,
      `  <AccessCertificationItemReviewer Campaign="Q2" Item="7" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems.map((p) => [p.code, p.line, p.message])).toEqual([
      ["missing-attribute", 3, "AccessCertificationCampaignPolicy requires the attribute DisplayName_L1"],
      // The samples declare dimension 0 only: D3V and L3V name dimension 127 (the role model's rule).
      ["unresolved-reference", 4, 'AccessCertificationOwnerFilter D3V: no Dimension has ColumnMapping="127" (the column 3V names, in base32hex)'],
      ["unresolved-reference", 4, 'AccessCertificationOwnerFilter L3V: no Dimension has ColumnMapping="127" (the column 3V names, in base32hex)'],
      ["unknown-attribute", 4, "AccessCertificationOwnerFilter has no attribute D40"],
      ["missing-attribute", 5, "AccessCertificationDataFilter requires the attribute Campaign"],
      ["missing-attribute", 6, "AccessCertificationItemReviewer requires the attribute Reviewer"],
    ]);
  });

  it("says an owner filter's modification date goes with its binding", () => {
    const body = `  <AccessCertificationOwnerFilter Campaign="Q2" OwnerLastModificationDate="2024-06-01" />`;
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([{ code: "missing-attribute", severity: "warning", ...at(body, "OwnerLastModificationDate=") }]);
    expect(problems[0]!.message).toBe("AccessCertificationOwnerFilter has OwnerLastModificationDate without OwnerLastModificationDateBinding: the reference says to set both");
  });
});

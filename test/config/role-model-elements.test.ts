/**
 * The role-model and provisioning elements as stored configuration items: the reference's examples
 * validate without a problem, attributes are typed with their defaults and enums (by name, number
 * or another spelling of the same number), references are checked with did-you-mean, and the
 * rules of check-role-model.ts hold.
 */
import { describe, expect, it } from "vitest";
import { buildItems, type Item } from "../../src/config/items.js";
import type { Problem } from "../../src/config/problems.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { ENTITIES, ROLE_MODEL } from "../helpers/role-model-samples.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

function validate(extra = ""): { problems: Problem[]; items: Item[] } {
  const result = validateFolder(writeFolder({ "A.xml": ENTITIES, "B.xml": ROLE_MODEL, "C.xml": configFile(extra) }));
  return { problems: result.problems, items: buildItems(result.configuration) };
}

/** The problems `extra` (written from line 3 of C.xml, read after the others) adds to the valid role model. */
function problemsOf(extra: string): Problem[] {
  return validate(extra).problems;
}

function item(items: Item[], kind: string, identifier?: string): Item {
  const found = items.filter((i) => i.kind === kind && (identifier === undefined || i.identifier === identifier));
  expect(found, `${kind} ${identifier ?? ""}`).toHaveLength(1);
  return found[0]!;
}

describe("role-model elements: the reference's examples", () => {
  it("validate without a problem and are all stored as items, none unsupported", () => {
    const { problems, items } = validate();
    expect(problems).toEqual([]);
    const kinds = new Set(items.map((i) => i.kind));
    for (const kind of ["Policy", "Dimension", "Category", "SingleRole", "CompositeRole", "SingleRoleRule", "CompositeRoleRule", "ContextRule",
      "RecordSection", "ResourceType", "ResourceCorrelationRule", "ResourceClassificationRule", "IndirectResourceRule", "RoleMapping", "MiningRule",
      "Risk", "AutomationRule", "CompositeRoleAutomationRule", "SingleRoleAutomationRule", "ResourceTypeAutomationRule", "CategoryAutomationRule",
      "PolicyAutomationRule"]) {
      expect(kinds, kind).toContain(kind);
    }
    expect(items.filter((i) => i.kind === "SingleRoleRule")).toHaveLength(3);
  });

  it("keeps the ResourceType's attributes typed, with the reference's defaults, and its rule children in document order", () => {
    const type = item(validate().items, "ResourceType");
    expect(type.attributes).toMatchObject({
      AllowAdd: true, AllowRemove: true, ApprovalWorkflowType: "ManualAssignmentNotAllowed", BlockProvisioning: false, Category: "Accounts",
      CorrelateMultipleResources: false, MaximumDeletePercent: 30, MaximumInsert: 0, P0: true, Policy: "Default", RemoveOrphans: true,
      SourceEntityType: "Directory_User", TargetEntityType: "AD_Entry", ImplicitApproval: "Inherited", CommentActivationOnApproveInReview: "Inherited",
      ManualAssignmentEndDateLockedToContextMode: "Inherited",
    });
    expect(Object.keys(type.attributes)).not.toContain("R0");
    const children = type.children as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(children)).toEqual(["BinaryRule", "NavigationRule", "QueryRule", "ScalarRule", "TypeRule"]);
    expect(children.TypeRule).toEqual([
      { Policy: "Default", SingleRole: "VPN_Access", IsDenied: false, TimeOffsetAfterReference: 0, TimeOffsetBeforeReference: 0, TimeOffsetReference: "Default", Type: "Required" },
      { D0: "SALES", IsDenied: false, TimeOffsetAfterReference: 0, TimeOffsetBeforeReference: -43200, TimeOffsetReference: "Before", Type: "Required" },
    ].map(sorted));
    expect(children.ScalarRule![1]).toEqual(sorted({
      ComparisonType: "IgnoreCase", Expression: "Literal:none@acme.com", IsMapped: false, Property: "mail",
      TimeOffsetAfterReference: 43200, TimeOffsetBeforeReference: 0, TimeOffsetReference: "After",
    }));
    expect(children.QueryRule![0]).toMatchObject({ TargetMatchedConfidenceLevel: 100, Property: "parentdn" });
  });

  it("reads enums by name, by number and by another spelling of the same number", () => {
    const { items } = validate(`  <PolicyAutomationRule Policy="Default" WorkflowState="PolicyApproved" EntityType="Directory_User"/>
  <PolicyAutomationRule Policy="Default" WorkflowState="1" Decision="1" EntityType="Directory_User"/>
  <PolicyAutomationRule Policy="Default" WorkflowState="nonconforming" Decision="Decline" EntityType="Directory_User" HoursToWait="2"/>`);
    const states = items.filter((i) => i.kind === "PolicyAutomationRule").map((i) => [i.attributes.WorkflowState, i.attributes.Decision, i.attributes.HoursToWait]);
    expect(states).toEqual([["Historic", "Decline", 1], ["Calculated", "Approve", -1], ["Found", "Decline", -1], ["Found", "Decline", 2]]);
    expect(item(items, "CompositeRoleRule").attributes).toMatchObject({ Type: "Suggested", Priority: 3, IsDenied: false, D1: "FCT0008" });
    expect(item(items, "Risk").attributes).toMatchObject({ RiskType: "HighPrivilege", ExemptionPolicy: "Warning", Level: 40, Remediation_L1: "Ask IT" });
    expect(item(items, "SingleRole", "Ledger_Read").attributes).toMatchObject({ State: "Generated", CommentActivationOnApproveInReview: "Required" });
    expect(item(items, "RoleMapping").attributes).toMatchObject({ ApprovalWorkflowType: "ManualAssignmentNotAllowed", ApprovalRequired: false });
    expect(item(items, "MiningRule").attributes).toMatchObject({ RuleType: "Suggested", PrecisionMinPercentage: 95, FalsePositiveMaxPercentage: 0.05, IncludeNoValidation: true });
    expect(item(items, "ContextRule").attributes).toMatchObject({ RiskFactorType: "Max", ReductionOutlierPercentage: 2, MinIdentitiesCount: 0, B0: "Directory_UserRecord:Organization" });
    expect(item(items, "Dimension", "Organization0").attributes).toMatchObject({ ColumnMapping: 0, IsHierarchical: true, IsExcludedFromRoleMining: false });
    expect(item(items, "Category", "Network").attributes).toMatchObject({ IsCollapsed: true, Parent: "Accounts" });
  });

  it("keys record section properties by their Property, and role mapping conditions as Rule > Item", () => {
    const { items } = validate();
    expect(item(items, "RecordSection", "Directory_UserRecord_Position").children).toEqual({
      Property: { Organization: { ExtensionKind: "None", IsExcluded: false }, Title: { ExtensionKind: "Default", IsExcluded: false } },
    });
    expect(item(items, "RoleMapping").children).toEqual({ Rule: [{ "@children": { Item: [{ Operator: "StartWith", Property: "AD_Entry:dn", Value: "CN=SG_" }] } }] });
  });

  it("rejects an unknown enum name with the accepted names and numbers, and a did-you-mean", () => {
    expect(problemsOf(`  <SingleRoleRule Role="VPN_Access" Policy="Default" Type="Sugested"/>`)).toMatchObject([{
      code: "invalid-value", file: "C.xml", line: 3,
      message: `SingleRoleRule Type="Sugested" is not valid: expected Required (0), RequestedAutomatically (1), Suggested (2)`, hint: "did you mean Suggested?",
    }]);
  });

  it("requires what the reference requires", () => {
    expect(problemsOf(`  <ResourceType Identifier="X" DisplayName_L1="X" Policy="Default"/>`).map((p) => p.message)).toEqual([
      "ResourceType requires the attribute SourceEntityType",
      "ResourceType requires the attribute TargetEntityType",
    ]);
    expect(problemsOf(`  <SingleRoleRule Policy="Default" D0="SALES"/>`).map((p) => p.message)).toEqual(["SingleRoleRule requires the attribute Role"]);
  });
});

describe("role-model elements: references, with did-you-mean", () => {
  it("a SingleRoleRule's Role is a single role, a CompositeRoleRule's a composite role", () => {
    // The sample has a RoleMapping: a single role not in the folder, and not a typo of one, may be one BuildRoleModelTask generates.
    expect(problemsOf(`  <SingleRoleRule Role="Accountant" Policy="Default"/>
  <CompositeRoleRule Role="VPN_Acess" Policy="Default"/>`)).toMatchObject([
      {
        code: "unresolved-reference", severity: "warning", line: 3, message: `SingleRoleRule Role="Accountant": no SingleRole has this identifier in the configuration; ` +
          `a RoleMapping (such as AD_Groups at B.xml:41:3) may generate it when BuildRoleModelTask runs`,
      },
      { code: "unresolved-reference", severity: "error", line: 4, message: `CompositeRoleRule Role="VPN_Acess": no CompositeRole has this identifier` },
    ]);
    expect(problemsOf(`  <SingleRoleRule Role="VPN_Acess" Policy="Defualt"/>`)).toMatchObject([
      { severity: "error", message: `SingleRoleRule Role="VPN_Acess": no SingleRole has this identifier`, hint: "did you mean VPN_Access?" },
      { message: `SingleRoleRule Policy="Defualt": no Policy has this identifier`, hint: "did you mean Default?" },
    ]);
  });

  it("checks the references of rule children and grandchildren", () => {
    const problems = problemsOf(`  <ResourceType Identifier="X" DisplayName_L1="X" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry" DependsOn="AD_Entry_Nominative">
    <TypeRule SingleRole="VPN" Policy="Mining"/>
    <NavigationRule Property="memberOf" ResourceFromDimension="Organisation0" SingleRole="VPN_Access"/>
  </ResourceType>
  <Risk Identifier="R" DisplayName_L1="R" Policy="Default" EntityType="Directory_User">
    <Rule><Item ResourceType="AD_Entry_Nominativeuser" Property="memberOf"/></Rule>
  </Risk>`);
    expect(problems.map((p) => [p.line, p.message, p.hint])).toEqual([
      [3, `ResourceType DependsOn="AD_Entry_Nominative": no ResourceType has this identifier`, "did you mean AD_Entry_NominativeUser?"],
      [4, `TypeRule SingleRole="VPN": no SingleRole has this identifier in the configuration; a RoleMapping (such as AD_Groups at B.xml:41:3) may generate it when BuildRoleModelTask runs`, undefined],
      [5, `NavigationRule ResourceFromDimension="Organisation0": no Dimension has this identifier`, "did you mean Organization0?"],
      [8, `Item ResourceType="AD_Entry_Nominativeuser": no ResourceType has this identifier`, "did you mean AD_Entry_NominativeUser?"],
    ]);
  });

  it("checks EntityType:Property references of a role mapping and its conditions", () => {
    expect(problemsOf(`  <RoleMapping Identifier="M" Policy="Default" Property="AD_Entry:memberof" ResourceType="AD_Entry_NominativeUser">
    <Rule><Item Property="AD_Entri:dn" Value="x"/></Rule>
  </RoleMapping>`).map((p) => [p.line, p.message, p.hint])).toEqual([
      [3, `RoleMapping Property="AD_Entry:memberof": EntityType AD_Entry has no Property memberof`, "did you mean AD_Entry:memberOf?"],
      [4, `Item Property="AD_Entri:dn": no EntityType has the identifier AD_Entri`, "did you mean AD_Entry:dn?"],
    ]);
  });
});

describe("role-model elements: check-role-model", () => {
  it("a rule's Property is a property of the resource type's target entity type, bare or written EntityType:Property", () => {
    const problems = problemsOf(`  <ResourceType Identifier="X" DisplayName_L1="X" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry">
    <ScalarRule Property="samAccountName" Binding="Login"/>
    <ScalarRule Property="AD_Entry:mial" Binding="Login"/>
    <QueryRule Property="Directory_User:Login" SourceBinding="Login" TargetBinding="dn"/>
    <BinaryRule Property="InternalDisplayName" Binding="Photo"/>
    <ScalarRule Property="mail" Binding="Login"/>
  </ResourceType>`);
    expect(problems.map((p) => [p.code, p.severity, p.line, p.column, p.message, p.hint])).toEqual([
      ["unresolved-reference", "error", 4, 17, `ScalarRule Property="samAccountName": EntityType AD_Entry has no Property samAccountName`, "did you mean sAMAccountName?"],
      ["unresolved-reference", "error", 5, 17, `ScalarRule Property="AD_Entry:mial": EntityType AD_Entry has no Property mial`, "did you mean AD_Entry:mail?"],
      ["unresolved-reference", "error", 6, 16, `QueryRule Property="Directory_User:Login": Directory_User is not AD_Entry, the entity type this property is read on`, "write Login or AD_Entry:Login"],
    ]);
  });

  it("a record section's dates and properties are properties of its ResourceEntityType", () => {
    expect(problemsOf(`  <RecordSection Identifier="S" DisplayName_L1="S" SourceEntityType="Directory_User" ResourceEntityType="Directory_UserRecord" StartProperty="StartDat">
    <Property Property="Titel"/>
  </RecordSection>`).map((p) => [p.line, p.message, p.hint])).toEqual([
      [3, `RecordSection StartProperty="StartDat": EntityType Directory_UserRecord has no Property StartDat`, "did you mean StartDate?"],
      [4, `Property Property="Titel": EntityType Directory_UserRecord has no Property Titel`, "did you mean Title?"],
    ]);
  });

  it("a dimension's ParentProperty is a property of its entity type; a hierarchy needs one; two dimensions share no column", () => {
    expect(problemsOf(`  <Dimension Identifier="A" EntityType="Directory_Organization" ColumnMapping="2" IsHierarchical="true" ParentProperty="Parnt"/>
  <Dimension Identifier="B" EntityType="Directory_Organization" ColumnMapping="3" IsHierarchical="true"/>
  <Dimension Identifier="C" EntityType="Directory_Organization" ColumnMapping="10"/>`).map((p) => [p.severity, p.line, p.message])).toEqual([
      ["error", 3, `Dimension ParentProperty="Parnt": EntityType Directory_Organization has no Property Parnt`],
      ["warning", 4, `Dimension "B" IsHierarchical="true" without ParentProperty: the reference requires the navigation that forms the tree`],
      ["warning", 5, `Dimension "C" ColumnMapping="10": Dimension "Site10" at B.xml:7:3 already takes column 10; rules could not tell the two apart`],
    ]);
  });

  it("a dimension-indexed attribute names a declared dimension, its suffix read in base32hex", () => {
    const problems = problemsOf(`  <SingleRoleRule Role="VPN_Access" Policy="Default" DA="PARIS" D10="X" L2="true"/>
  <ResourceType Identifier="X" DisplayName_L1="X" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry" R3V="true">
    <TypeRule D1="FCT"/>
  </ResourceType>`);
    expect(problems.map((p) => [p.severity, p.line, p.message])).toEqual([
      ["warning", 3, `SingleRoleRule D10: no Dimension has ColumnMapping="32" (the column 10 names, in base32hex)`],
      ["warning", 3, `SingleRoleRule L2: no Dimension has ColumnMapping="2" (the column 2 names, in base32hex)`],
      ["warning", 4, `ResourceType R3V: no Dimension has ColumnMapping="127" (the column 3V names, in base32hex)`],
    ]);
  });

  it("a navigation rule assigns Resource or ResourceFromDimension (with a SingleRole), one of them", () => {
    expect(problemsOf(`  <ResourceType Identifier="X" DisplayName_L1="X" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry">
    <NavigationRule Property="memberOf"/>
    <NavigationRule Property="memberOf" Resource="G" ResourceFromDimension="Organization0" SingleRole="VPN_Access"/>
    <NavigationRule Property="memberOf" ResourceFromDimension="Organization0"/>
  </ResourceType>`).map((p) => [p.severity, p.line, p.message])).toEqual([
      ["warning", 4, "NavigationRule has neither Resource nor ResourceFromDimension: it assigns nothing"],
      ["warning", 5, "NavigationRule has both Resource and ResourceFromDimension: the reference allows one of them"],
      ["warning", 6, "NavigationRule with ResourceFromDimension has no SingleRole: the reference requires one"],
    ]);
  });
});

function sorted(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}

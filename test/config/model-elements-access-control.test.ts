import { describe, expect, it } from "vitest";
import { buildItems, type Item, type ModelChildAttributes } from "../../src/config/items.js";
import { at, validateSamples } from "../helpers/access-and-settings.js";

const ofKind = (items: Item[], kind: string): Item[] => items.filter((i) => i.kind === kind);
const list = (item: Item, child: string): ModelChildAttributes[] => (item.children as Record<string, ModelChildAttributes[]>)[child]!;

describe("access control elements: the reference's examples", () => {
  const { problems, configuration } = validateSamples();
  const items = buildItems(configuration);

  it("validate without a problem", () => {
    expect(problems).toEqual([]);
    for (const kind of ["Profile", "AccessControlPermission", "AccessControlPropertyGroup", "AccessControlEntityType", "AccessControlRule",
      "ProfileContext", "AssignedProfile", "ProfileRuleContext"]) {
      expect(ofKind(items, kind).length, kind).toBeGreaterThan(0);
    }
  });

  it("store a rule's entries and filters in document order, typed, with the reference's defaults", () => {
    const rule = items.find((i) => i.kind === "AccessControlRule" && i.identifier === "Directory_UserRecord_Managers")!;
    expect(rule.attributes).toEqual({ DisplayName_L1: "Directory_UserRecord_Managers", EntityType: "Directory_UserRecord", Profile: "Manager" });
    expect(list(rule, "Entry")).toEqual([{
      CanExecute: true, FullAccessProperties: false, IsPostCondition: true, IsPreCondition: true, Notify: true,
      Permission: "/Custom/Resources/Directory_UserRecord/View", Priority: 1,
    }]);
    expect(list(rule, "Filter")).toEqual([
      { Binding: "User.Id", Category: false, CompositeRole: false, CurrentUser: true, Operator: "Equals", ResourceType: false, SingleRole: false },
      { Binding: "Organization.Id", Category: false, CompositeRole: false, CurrentUser: false, Dimension: "Department", Group: "ByDepartment",
        Operator: "Equals", ResourceType: false, SingleRole: false },
    ]);
  });

  it("key an AccessControlEntityType's properties by identifier, and a context, an assigned profile and a profile rule context by what they say", () => {
    const grouped = items.find((i) => i.kind === "AccessControlEntityType")!;
    expect(grouped.identifier).toBe("Directory_UserRecord");
    expect(grouped.children).toEqual({ Property: {
      EmployeeType: { VisibilityGroup: "Directory_User_Sensitive" }, Login: { VisibilityGroup: "Directory_User_Technical" },
      StartDate: { VisibilityGroup: "Directory_User_Sensitive" }, VIP: { VisibilityGroup: "Directory_User_Sensitive" },
    } });
    expect(ofKind(items, "ProfileContext").map((i) => i.identifier)).toEqual(["Category=IT_Administration;D0=ORG0003;Id=-2;IsAutomatic=false"]);
    const assigned = ofKind(items, "AssignedProfile")[0]!;
    expect(assigned.attributes).toEqual({ AccessState: "Approved", Context: "-2", EndDate: "2079-06-06", IsDenied: false, Profile: "Manager",
      StartDate: "2024-01-01", User: "U0001" });
    expect(assigned.identifier).toBe("AccessState=Approved;Context=-2;EndDate=2079-06-06;IsDenied=false;Profile=Manager;StartDate=2024-01-01;User=U0001");
  });

  it("keep two profile rule contexts alike but for their rules as two items, their rules' bindings typed", () => {
    const contexts = ofKind(items, "ProfileRuleContext");
    expect(contexts).toHaveLength(3);
    const alike = contexts.filter((c) => c.attributes.SubBinding === "Directory_User:ManagedOrganizations");
    expect(alike).toHaveLength(2);
    expect(alike[0]!.identifier).not.toBe(alike[1]!.identifier);
    expect(alike.map((c) => c.identifier.replace(/#[0-9a-f]{12}$/, ""))).toEqual([
      "IsAppliedToRoot=false;ResourceType=AD_Entry_NominativeUser;SubBinding=Directory_User:ManagedOrganizations",
      "IsAppliedToRoot=false;ResourceType=AD_Entry_NominativeUser;SubBinding=Directory_User:ManagedOrganizations",
    ]);
    expect(list(alike[0]!, "ProfileRule")).toEqual([{ B0: "Directory_Organization:Id", IsDenied: false, Profile: "Manager" }]);
  });
});

describe("access control elements: mistakes", () => {
  it("a wrong enum and a dangling reference are errors with did-you-mean", () => {
    const body = [
      `  <AccessControlRule Identifier="R1" DisplayName_L1="R1" EntityType="Directory_User" Profile="Managr">`,
      `    <Filter Binding="Organization.Id" Operator="NotEqual" Dimension="Departmen" />`,
      `    <Entry Permission="/Custom/Resources/Directory_User/View" PropertyGroup="Directory_User_Sensitiv" />`,
      `  </AccessControlRule>`,
      `  <AssignedProfile User="U2" Profile="Manager" Context="-2" AccessState="Aproved" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "unresolved-reference", severity: "error", ...at(body, "Profile="), hint: "did you mean Manager?" },
      { code: "invalid-value", severity: "error", ...at(body, "Operator="), hint: "did you mean NotEquals?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "Dimension="), hint: "did you mean Department?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "PropertyGroup="), hint: "did you mean Directory_User_Sensitive?" },
      { code: "invalid-value", severity: "error", ...at(body, "AccessState="), hint: "did you mean Approved?" },
    ]);
    expect(problems).toHaveLength(5);
    expect(problems[0]!.message).toBe('AccessControlRule Profile="Managr": no Profile has this identifier');
    expect(problems[1]!.message).toBe('Filter Operator="NotEqual" is not valid: expected Equals (0), NotEquals (1)');
    expect(problems[4]!.message).toBe('AssignedProfile AccessState="Aproved" is not valid: expected None (0), Requested (4), PendingApproval (8), ' +
      "PendingApproval1 (9), PendingApproval2 (10), Approved (16), Declined (17), PolicyApproved (18)");
  });

  it("accepts enums by number: AccessState 16 is Approved, Operator 1 NotEquals", () => {
    const body = [
      `  <AssignedProfile User="U3" Profile="Manager" Context="-2" AccessState="16" />`,
      `  <AccessControlRule Identifier="R2" DisplayName_L1="R2" EntityType="Directory_User" Profile="Manager">`,
      `    <Filter Binding="Organization.Id" Operator="1" Value="X" />`,
      `  </AccessControlRule>`,
    ].join("\n");
    const { problems, configuration } = validateSamples({ "b.xml": body });
    expect(problems).toEqual([]);
    const models = configuration.models.filter((m) => m.xml.span.file === "b.xml");
    expect(models[0]!.attributes.AccessState).toBe("Approved");
    expect(models[1]!.children[0]!.attributes.Operator).toBe("NotEquals");
  });

  it("an entity type is the configuration's or a built-in one; another name is a warning with did-you-mean", () => {
    const body = [
      `  <AccessControlRule Identifier="R3" DisplayName_L1="R3" EntityType="AccessCertificationItem" Profile="Manager" />`,
      `  <AccessControlRule Identifier="R4" DisplayName_L1="R4" EntityType="Directory_Usr" Profile="Manager" />`,
      `  <AccessControlRule Identifier="R5" DisplayName_L1="R5" EntityType="AssignedSingleRol" Profile="Manager" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "unresolved-reference", severity: "warning", ...at(body, "EntityType=", 1), hint: "did you mean Directory_User?" },
      { code: "unresolved-reference", severity: "warning", ...at(body, "EntityType=", 2), hint: "did you mean AssignedSingleRole?" },
    ]);
    expect(problems[0]!.message).toBe('AccessControlRule EntityType="Directory_Usr": no EntityType has this identifier, nor is it a built-in EntityType idm-toolkit knows');
  });

  it("refuses an entry giving the root permission with CanExecute, as the product's deploy does", () => {
    const body = `  <AccessControlRule Identifier="R6" DisplayName_L1="R6" EntityType="Directory_User" Profile="Manager">\n` +
      `    <Entry Permission="/" CanExecute="true" />\n  </AccessControlRule>`;
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([{ code: "invalid-value", severity: "error", ...at(body, "CanExecute=") }]);
    expect(problems[0]!.message).toBe('AccessControlRule "R6": an Entry with Permission="/" and CanExecute="true" gives every right; the product refuses to deploy it');
  });

  it("an AccessControlEntityType groups properties its entity type has", () => {
    const body = `  <AccessControlEntityType Identifier="Directory_User">\n    <Property Identifier="Emal" VisibilityGroup="Directory_User_Sensitive" />\n  </AccessControlEntityType>`;
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([{ code: "unresolved-reference", severity: "error", ...at(body, `Identifier="Emal"`), hint: "did you mean Email?" }]);
    expect(problems[0]!.message).toBe("AccessControlEntityType Directory_User: the entity type has no Property Emal");
  });

  it("a profile context's Id is -2 or less, its dimensions D0…D3V; a profile rule's bindings B0…B3V, with the Dimension0Binding spelling corrected", () => {
    const body = [
      `  <ProfileContext Id="-1" D3V="X" D40="Y" />`,
      `  <ProfileRuleContext ResourceType="AD_Entry_NominativeUser">`,
      `    <ProfileRule Profile="Manager" B1V="Directory_Organization:Id" Dimension0Binding="Organization:Code" />`,
      `  </ProfileRuleContext>`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "invalid-value", severity: "error", ...at(body, "Id=") },
      { code: "unresolved-reference", severity: "warning", ...at(body, "D3V") },
      { code: "unknown-attribute", severity: "error", ...at(body, "D40") },
      { code: "unresolved-reference", severity: "warning", ...at(body, "B1V") },
      { code: "unknown-attribute", severity: "error", ...at(body, "Dimension0Binding"), hint: 'write B0="Organization:Code" (ProfileRule has no Dimension0Binding attribute)' },
    ]);
    expect(problems).toHaveLength(5);
    // The samples declare dimension 0 only (the role model's rule on dimension-indexed attributes).
    expect(problems[3]!.message).toBe('ProfileRule B1V: no Dimension has ColumnMapping="63" (the column 1V names, in base32hex)');
  });

  it("a reference to the profile CreateAdministratorProfile makes resolves, though idm-toolkit does not expand that scaffolding", () => {
    const body = [
      `  <CreateAdministratorProfile />`,
      `  <AccessControlRule Identifier="R7" DisplayName_L1="R7" EntityType="Directory_User" Profile="Administrator">`,
      `    <Filter Binding="Organization.Id" Dimension="Department" />`,
      `  </AccessControlRule>`,
      `  <ProfileContext Category="IT_Administration" />`,
    ].join("\n");
    // The samples' own Administrator profile left out: only the scaffolding makes it.
    const onlyManager = `  <Profile Identifier="Manager" DisplayName_L1="Manager" />`;
    const scaffoldingOnly = [["warning", "CreateAdministratorProfile is stored (1 element of this kind); what it generates (access rules, displays, menus, workflows…) is not produced by idm-toolkit"]];
    const said = (problems: { severity: string; message: string }[]) => problems.map((p) => [p.severity, p.message]);
    expect(said(validateSamples({ "b.xml": body }).problems)).toEqual(scaffoldingOnly);
    expect(said(validateSamples({ "b.xml": body, "AccessControl.xml": onlyManager }).problems)).toEqual(scaffoldingOnly);
    const withoutScaffolding = validateSamples({ "b.xml": body.replace("<CreateAdministratorProfile />", ""), "AccessControl.xml": onlyManager });
    expect(withoutScaffolding.problems.map((p) => [p.severity, p.message])).toEqual([
      ["error", 'AccessControlRule Profile="Administrator": no Profile has this identifier'],
    ]);
  });

  it("says a profile rule context names nothing to evaluate on, and stores alike contexts once", () => {
    const body = [
      `  <ProfileRuleContext IsAppliedToRoot="false">`,
      `    <ProfileRule Profile="Manager" />`,
      `  </ProfileRuleContext>`,
      `  <ProfileRuleContext IsAppliedToRoot="false">`,
      `    <ProfileRule Profile="Manager" />`,
      `  </ProfileRuleContext>`,
    ].join("\n");
    const { problems, configuration } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "missing-attribute", severity: "warning", line: 3, column: 3 },
      { code: "duplicate-identifier", severity: "warning", line: 6, column: 3 },
      { code: "missing-attribute", severity: "warning", line: 6, column: 3 },
    ]);
    expect(buildItems(configuration).filter((i) => i.kind === "ProfileRuleContext" && i.source.file === "b.xml")).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { buildItems } from "../../src/config/items.js";
import { columnIndex } from "../../src/config/check-resources.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { at, samplesWith, validateSamples } from "../helpers/access-and-settings.js";

describe("reporting, universe, resource and binding elements: the reference's examples", () => {
  const { problems, configuration } = validateSamples();
  const items = buildItems(configuration);
  const item = (kind: string) => items.filter((i) => i.kind === kind);

  it("validate without a problem", () => {
    expect(problems).toEqual([]);
    expect(item("ReportQuery").map((i) => [i.identifier, i.attributes.ReturnedEntityType])).toEqual([["SingleRoles", "SingleRole"], ["AD_Report", "AD_Entry"]]);
  });

  it("store a universe's entity instances by identifier and its association instances in order, enums by name", () => {
    const [universe] = item("Universe");
    expect(universe!.attributes).toEqual({ ColumnNamesMode: "Identifier", DisplayName_L1: "Universe 1" });
    expect(universe!.children).toEqual({
      AssociationInstance: [{ Association: "Directory_UserRecord_User_Records", Direction: "From1To2", Instance1: "Directory_User", Instance2: "Directory_UserRecord" }],
      EntityInstance: {
        Directory_User: { DisplayName_L1: "Users", EntityType: "Directory_User", IsHidden: false },
        Directory_UserRecord: { DisplayName_L1: "UserRecords", EntityType: "Directory_UserRecord", IsHidden: false },
      },
    });
  });

  it("key a resource by its Id, its navigation columns typed as ids; keep a binding's path", () => {
    expect(item("Resource").map((i) => [i.identifier, i.attributes])).toEqual([
      ["300", { C4: "CEO", C5: "Chief executive officer", DisplayName_L1: "CEO", Dirty: false, Type: "Directory_Title" }],
      ["301", { C4: "CTO", C5: "Chief technical officer", Dirty: false, I40: 300, Type: "Directory_Title" }],
    ]);
    expect(item("Binding").map((i) => i.attributes)).toEqual([{ Path: "Directory_User:Records.User" }]);
  });

  it("read a column attribute's base32hex index", () => {
    expect([columnIndex("C0"), columnIndex("CV"), columnIndex("C10"), columnIndex("C3V"), columnIndex("I40"), columnIndex("I4O"), columnIndex("Id")])
      .toEqual([0, 31, 32, 127, 128, 152, undefined]);
  });
});

describe("reporting, universe, resource and binding elements: mistakes", () => {
  it("a wrong enum and a dangling reference are errors with did-you-mean", () => {
    const body = [
      `  <Universe Identifier="U2" ColumnNamesMode="Identifiers">`,
      `    <EntityInstance Identifier="Users" EntityType="Directory_User" FilterResourceType="AD_Entry_NominativeUsr" />`,
      `    <AssociationInstance Association="Directory_UserRecord_User_Records" Instance1="User" Instance2="Users" Direction="2" />`,
      `  </Universe>`,
    ].join("\n");
    const { problems, configuration } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "invalid-value", severity: "error", ...at(body, "ColumnNamesMode="), hint: "did you mean Identifier?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "FilterResourceType="), hint: "did you mean AD_Entry_NominativeUser?" },
      { code: "unresolved-reference", severity: "error", ...at(body, "Instance1="), hint: "did you mean Users?" },
    ]);
    expect(problems).toHaveLength(3);
    expect(problems[2]!.message).toBe('AssociationInstance Instance1="User": Universe "U2" has no EntityInstance with this identifier');
    // Direction 2, by number, is From2To1.
    const universe = configuration.models.find((m) => m.spec.name === "Universe" && m.attributes.Identifier === "U2")!;
    expect(universe.children[1]!.attributes.Direction).toBe("From2To1");
  });

  it("an entity type or association the configuration does not declare is a warning: the product has its own", () => {
    const body = [
      `  <ReportQuery Identifier="R2" DisplayName_L1="R2" Query="select Identifier" ReturnedEntityType="AD_Entri" />`,
      `  <Universe Identifier="U3">`,
      `    <EntityInstance Identifier="Roles" EntityType="AssignedSingleRole" />`,
      `    <AssociationInstance Association="AssignedSingleRole_Owner" Instance1="Roles" Instance2="Roles" />`,
      `  </Universe>`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems).toMatchObject([
      { code: "unresolved-reference", severity: "warning", ...at(body, "ReturnedEntityType="), hint: "did you mean AD_Entry?" },
      { code: "unresolved-reference", severity: "warning", ...at(body, "Association=") },
    ]);
    expect(problems).toHaveLength(2);
  });

  it("a resource needs its Id and type, is unique by Id, and its columns are its type's", () => {
    const body = [
      `  <Resource Type="Directory_Title" C4="CFO" />`,
      `  <Resource Type="Directory_Title" Id="300" C4="COO" />`,
      `  <Resource Type="Directory_Title" Id="302" C4="CIO" C9="x" I41="300" />`,
    ].join("\n");
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems.map((p) => [p.code, p.severity, p.line, p.message])).toEqual([
      ["missing-attribute", "error", 3, "Resource requires the attribute Id"],
      ["duplicate-identifier", "error", 4, 'Resource identifier "300" is already used by the Resource at Resources.xml:3:3'],
      ["invalid-value", "warning", 5, "Resource 302: no property of Directory_Title is stored in column 9 (C9)"],
      ["invalid-value", "warning", 5, "Resource 302: no property of Directory_Title is stored in column 129 (I41)"],
    ]);
  });

  it("a resource's columns are C0…C3V and I40…I4O, an id in the navigation columns", () => {
    const body = `  <Resource Type="Directory_Title" Id="303" C3V="x" I4O="300" I4P="301" I3V="302" I40="CEO" />`;
    const { problems } = validateSamples({ "b.xml": body });
    expect(problems.map((p) => [p.code, p.severity, p.column])).toEqual([
      ["invalid-value", "warning", at(body, "C3V").column],
      ["invalid-value", "warning", at(body, "I4O").column],
      ["unknown-attribute", "error", at(body, "I4P").column],
      ["unknown-attribute", "error", at(body, "I3V").column],
      ["invalid-value", "error", at(body, "I40").column],
    ]);
    expect(problems[4]!.message).toBe('Resource I40="CEO" is not valid: expected an integer');
  });

  it("a binding's undocumented attributes are accepted with a warning, and left out of the item", () => {
    const body = `  <Binding Path="Directory_User:Records" Identifier="B1" />`;
    const { problems, configuration } = validateFolder(samplesWith({ "b.xml": body }));
    expect(problems.filter((p) => p.file === "b.xml")).toMatchObject([{ code: "unknown-attribute", severity: "warning", ...at(body, "Identifier=") }]);
    expect(problems.find((p) => p.file === "b.xml")!.message).toBe("Binding attribute Identifier is not modelled by idm-toolkit yet and is ignored");
    expect(buildItems(configuration).filter((i) => i.kind === "Binding").map((i) => i.identifier)).toEqual(["Path=Directory_User:Records.User", "Path=Directory_User:Records"]);
  });
});

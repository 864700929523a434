import { afterEach, describe, expect, it } from "vitest";
import { loadPolicyModel } from "../../../src/domain/rolemodel/policy-loader.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { deployDemo } from "../../helpers/demo-data.js";
import { configFile } from "../../helpers/temp-folder.js";
import { deployXml } from "../../helpers/deploy-xml.js";

describe.each(BACKENDS)("loadPolicyModel (%s)", (_name, backend) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it("reads the demo's role model with the engine's defaults and sources", async () => {
    database = await backend.create("policy-loader-demo");
    const store = await database.open();
    await deployDemo(store);
    const model = await loadPolicyModel(store);

    expect(model.dimensions).toEqual([{ identifier: "Department", column: 0, entityType: "HR_Department", isHierarchical: false, displayName: "Department" }]);
    expect(model.contextRules).toMatchObject([{ identifier: "HR_Person_Context", sourceEntityType: "HR_Person", bindings: [{ dimension: 0, binding: "Department" }],
      resourcesStartBinding: "ContractStartDate", resourcesEndBinding: "ContractEndDate" }]);
    expect(model.compositeRoles.map((r) => r.identifier)).toEqual(["Employee"]);
    expect(model.singleRoles).toHaveLength(7);
    const fin = model.singleRoleRules.find((r) => r.role === "Department_FIN")!;
    expect(fin).toMatchObject({ criteria: [{ dimension: 0, value: "FIN", hierarchical: false }], type: "Required", isDenied: false, priority: 0, policy: "Default" });
    expect(fin.source).toMatchObject({ kind: "SingleRoleRule", file: "RoleModel/RoleModel.xml" });
    expect(model.singleRoleRules.find((r) => r.role === "AllStaff")).toMatchObject({ compositeRole: "Employee", criteria: [] });

    const account = model.resourceTypes.find((t) => t.identifier === "AD_Entry_NominativeUser")!;
    expect(account).toMatchObject({ sourceEntityType: "HR_Person", targetEntityType: "AD_Entry", blockProvisioning: false, allowAdd: true, allowRemove: false });
    expect(account.typeRules).toMatchObject([{ singleRole: "AllStaff", type: "Required", policy: "Default" }]);
    expect(account.scalarRules.map((r) => [r.property, r.binding ?? r.expression, r.isMapped, r.comparisonType])).toEqual([
      ["dn", 'CEL:"CN=" + resource.FirstName + " " + resource.LastName + " (" + resource.EmployeeId + "),OU=Users,DC=demo,DC=local"', true, "CaseSensitive"],
      ["employeeID", "EmployeeId", true, "CaseSensitive"],
      ["mail", "Email", true, "CaseSensitive"],
      ["displayName", 'CEL:resource.FirstName + " " + resource.LastName', true, "CaseSensitive"],
      ["userAccountControl", "Literal:512", true, "CaseSensitive"],
    ]);
    expect(account.navigationRules).toHaveLength(7);
    expect(account.navigationRules[1]).toMatchObject({ property: "memberOf", resource: "CN=GG_FIN,OU=Groups,DC=demo,DC=local", singleRole: "Department_FIN", type: "Required" });
    expect(account.scalarRules[0]!.source).toMatchObject({ kind: "ScalarRule", identifier: "AD_Entry_NominativeUser/ScalarRule#1", file: "RoleModel/RoleModel.xml" });
  });

  it("reads risks with their rules and items, and enumerations written as numbers", async () => {
    database = await backend.create("policy-loader-risk");
    const store = await database.open();
    await deployXml(store, {
      "Model.xml": configFile(`
  <EntityType Identifier="User" DisplayName_L1="User"><Property Identifier="Code" IsKey="true" /></EntityType>
  <EntityType Identifier="ERP_Account" DisplayName_L1="ERP account"><Property Identifier="Code" IsKey="true" /><Property Identifier="Roles" Type="ForeignKey" /></EntityType>
  <Policy Identifier="Default" DisplayName_L1="Default" />
  <ResourceType Identifier="ERP" DisplayName_L1="ERP" Policy="Default" SourceEntityType="User" TargetEntityType="ERP_Account">
    <ScalarRule Property="Code" Binding="Code" ComparisonType="1" TimeOffsetReference="After" TimeOffsetAfterReference="60" />
  </ResourceType>
  <Risk Identifier="SoD_Pay" DisplayName_L1="Pay" Policy="Default" EntityType="User" RiskType="0" Level="80" ExemptionPolicy="2">
    <Rule>
      <Item ResourceType="ERP" Property="Roles" Resource="PAY_CREATE" />
      <Item ResourceType="ERP" Property="Roles" Resource="PAY_APPROVE" />
    </Rule>
  </Risk>`),
    });
    const model = await loadPolicyModel(store);
    expect(model.risks).toMatchObject([{ identifier: "SoD_Pay", entityType: "User", riskType: "SoD", level: 80, exemptionPolicy: "ApprovalRequired",
      rules: [{ items: [{ resourceType: "ERP", property: "Roles", resource: "PAY_CREATE" }, { resourceType: "ERP", property: "Roles", resource: "PAY_APPROVE" }] }] }]);
    expect(model.resourceTypes[0]).toMatchObject({ blockProvisioning: true, allowAdd: true, allowRemove: true });
    expect(model.resourceTypes[0]!.scalarRules[0]).toMatchObject({ comparisonType: "IgnoreCase", timeOffset: { reference: "After", beforeMinutes: 0, afterMinutes: 60 } });
  });
});

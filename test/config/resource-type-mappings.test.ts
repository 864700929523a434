/**
 * ResourceTypeMapping and its typed forms (one per connector package), and PasswordResetSettings:
 * the reference's examples validate, attributes are typed with their defaults, a mapping shares its
 * resource type's identifier and names properties of its TargetEntityType, references are checked.
 */
import { describe, expect, it } from "vitest";
import { buildItems, type Item } from "../../src/config/items.js";
import type { Problem } from "../../src/config/problems.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { ENTITIES, PROVISIONING, ROLE_MODEL } from "../helpers/role-model-samples.js";
import { configFile, writeFolder } from "../helpers/temp-folder.js";

function validate(extra = ""): { problems: Problem[]; items: Item[] } {
  const result = validateFolder(writeFolder({ "A.xml": ENTITIES, "B.xml": ROLE_MODEL, "C.xml": PROVISIONING, "D.xml": configFile(extra) }));
  return { problems: result.problems, items: buildItems(result.configuration) };
}

function item(items: Item[], kind: string): Item {
  const found = items.filter((i) => i.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
}

describe("resource type mappings", () => {
  it("validate without a problem, every typed form stored as an item of its own kind", () => {
    const { problems, items } = validate();
    expect(problems).toEqual([]);
    const kinds = items.filter((i) => i.kind.endsWith("ResourceTypeMapping")).map((i) => i.kind).sort();
    expect(kinds).toEqual(["AzureADResourceTypeMapping", "EasyVistaResourceTypeMapping", "LDAPResourceTypeMapping", "LdapResourceTypeMapping",
      "ManualProvisioningResourceTypeMapping", "MicrosoftEntraIDResourceTypeMapping", "OktaResourceTypeMapping", "ResourceTypeMapping",
      "SapResourceTypeMapping", "ScimResourceTypeMapping", "ServiceNowResourceTypeMapping", "SharePointResourceTypeMapping"]);
  });

  it("types their attributes, with the reference's defaults, and keys their Property children by Property", () => {
    const { items } = validate();
    const ldap = item(items, "LdapResourceTypeMapping");
    expect(ldap.attributes).toEqual({ Connection: "ADExportFulfillment", DefaultObjectClass: "user", PasswordResetSetting: "ToManager",
      RDNAttributeIdentifier: "CN", UsePermissiveModify: true, UseTreeDelete: false });
    expect(Object.keys((ldap.children as { Property: Record<string, unknown> }).Property)).toEqual(["dn", "memberOf", "parentdn"]);
    expect((ldap.children as { Property: Record<string, unknown> }).Property.memberOf).toMatchObject({ DataSourceBacklinkColumnName: "member", IsDNProperty: false });
    expect(item(items, "LDAPResourceTypeMapping").attributes.DefaultObjectClass).toBe("user\nperson");
    expect(item(items, "ServiceNowResourceTypeMapping").attributes).toMatchObject({ TicketImpact: "High", TicketUrgency: "Low", TicketSynchroIsNotAvailable: false });
    expect(item(items, "EasyVistaResourceTypeMapping").attributes).toMatchObject({ TicketSynchroIsNotAvailable: true, CatalogCode: "42¤25¤43" });
    expect(item(items, "MicrosoftEntraIDResourceTypeMapping").attributes).toMatchObject({ InvitationMode: "MicrosoftInvitation" });
    expect(item(items, "AzureADResourceTypeMapping").attributes).toMatchObject({ InvitationMode: "None" });
    expect(item(items, "PasswordResetSettings").attributes).toMatchObject({
      Mode: "OneWay", MustChange: true, GeneratedLength: 14, GeneratedLowerCaseCharsCount: 6, AutoGenerate: false, DefaultPassword: "Welcome@2019",
    });
  });

  it("a mapping's identifier is its resource type's; its Connection and PasswordResetSetting exist", () => {
    expect(validate(`  <LdapResourceTypeMapping Identifier="AD_Entry_Nominative" Connection="ADExportFulfilment" DefaultObjectClass="user" RDNAttributeIdentifier="CN" PasswordResetSetting="ToManagr"/>`)
      .problems.map((p) => [p.code, p.message, p.hint])).toEqual([
      ["unresolved-reference", `LdapResourceTypeMapping Identifier="AD_Entry_Nominative": no ResourceType has this identifier`, "did you mean AD_Entry_NominativeUser?"],
      ["unresolved-reference", `LdapResourceTypeMapping Connection="ADExportFulfilment": no Connection has this identifier`, "did you mean ADExportFulfillment?"],
      ["unresolved-reference", `LdapResourceTypeMapping PasswordResetSetting="ToManagr": no PasswordResetSettings has this identifier`, "did you mean ToManager?"],
    ]);
  });

  it("a mapping's Property is a property of its resource type's TargetEntityType; an undocumented attribute of it is a warning", () => {
    expect(validate(`  <ScimResourceTypeMapping Identifier="AD_Entry_Admin" Connection="ADExportFulfillment">
    <Property Property="dN" IsDNProperty="true" IsKeyProperty="true"/>
  </ScimResourceTypeMapping>`).problems.map((p) => [p.severity, p.code, p.line, p.message, p.hint])).toEqual([
      ["error", "unresolved-reference", 4, `Property Property="dN": EntityType AD_Entry has no Property dN`, "did you mean dn?"],
      ["warning", "unknown-attribute", 4, "Property attribute IsKeyProperty is not modelled by idm-toolkit yet and is ignored", "did you mean IsDNProperty?"],
    ]);
  });

  it("requires a typed form's documented attributes", () => {
    expect(validate(`  <LdapResourceTypeMapping Identifier="AD_Entry_Admin" Connection="ADExportFulfillment"/>`).problems.map((p) => p.message)).toEqual([
      "LdapResourceTypeMapping requires the attribute DefaultObjectClass",
      "LdapResourceTypeMapping requires the attribute RDNAttributeIdentifier",
    ]);
  });
});

/**
 * A small role model deployed into a test store: HR people with departments, AD entries, the
 * resource type AD_Account between them, and correlation and classification rules. The entity types
 * are deployed from XML; the resource types and rules, whose schemas do not yet keep these attributes
 * (ResourceType's is minimal, the rules are unsupported-element), are added as items built here with
 * the attributes the product's XML gives them, and go through the real deploy engine with the rest.
 */
import { itemHash, type Item } from "../../../src/config/items.js";
import type { AttributeValue } from "../../../src/config/coerce-attribute.js";
import { DEFAULT_SETTINGS } from "../../../src/config/settings.js";
import { runDeploy } from "../../../src/deploy/run-deploy.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import type { Store } from "../../../src/store/store.js";
import { itemsOf } from "../../helpers/deploy-xml.js";
import { configFile, writeFolder } from "../../helpers/temp-folder.js";

export const T0 = new Date("2026-01-02T03:04:05.000Z");

export const MODEL_XML = `
  <EntityType Identifier="HR_Person" DisplayName_L1="Person">
    <Property Identifier="Login" IsKey="true" />
    <Property Identifier="EmployeeId" />
    <Property Identifier="Mail" />
    <Property Identifier="Department" Type="ForeignKey" />
  </EntityType>
  <EntityType Identifier="HR_Department" DisplayName_L1="Department">
    <Property Identifier="Code" IsKey="true" />
    <Property Identifier="People" Type="ForeignKey" />
  </EntityType>
  <EntityAssociation Identifier="HR_Person_Department" Property1="HR_Person:Department" Property2="HR_Department:People" IsProperty2Collection="true" />
  <EntityType Identifier="AD_Entry" DisplayName_L1="AD entry">
    <Property Identifier="sAMAccountName" IsKey="true" />
    <Property Identifier="employeeID" />
    <Property Identifier="mail" />
    <Property Identifier="description" />
    <Property Identifier="memberOf" Type="ForeignKey" />
    <Property Identifier="member" Type="ForeignKey" />
    <Property Identifier="manager" Type="ForeignKey" />
    <Property Identifier="directReports" Type="ForeignKey" />
  </EntityType>
  <EntityAssociation Identifier="AD_Entry_Members" Property1="AD_Entry:memberOf" IsProperty1Collection="true" Property2="AD_Entry:member" IsProperty2Collection="true" />
  <EntityAssociation Identifier="AD_Entry_Manager" Property1="AD_Entry:directReports" IsProperty1Collection="true" Property2="AD_Entry:manager" />
`;

/** A model element with an Identifier, as the deploy stores it. */
export function modelItem(kind: string, identifier: string, attributes: Record<string, AttributeValue>, line: number): Item {
  const sorted = Object.fromEntries(Object.keys(attributes).sort().map((name) => [name, attributes[name]!]));
  return { kind, identifier, attributes: sorted, children: {}, source: { file: "RoleModel/Types.xml", line, column: 3 }, hash: itemHash(kind, identifier, sorted, {}) };
}

export const AD_ACCOUNT = modelItem("ResourceType", "AD_Account", {
  DisplayName_L1: "AD account", Policy: "Default", SourceEntityType: "HR_Person", TargetEntityType: "AD_Entry",
}, 3);

/** A top-level rule element as the deploy stores it: identified by its attributes (config/configuration.ts modelIdentifier). */
export function ruleItem(kind: string, attributes: Record<string, AttributeValue>, line: number): Item {
  const sorted = Object.fromEntries(Object.keys(attributes).sort().map((name) => [name, attributes[name]!]));
  const identifier = Object.keys(sorted).map((name) => `${name}=${String(sorted[name])}`).join(";");
  return { kind, identifier, attributes: sorted, children: {}, source: { file: "RoleModel/Rules.xml", line, column: 3 }, hash: itemHash(kind, identifier, sorted, {}) };
}

export const BY_EMPLOYEE_ID = ruleItem("ResourceCorrelationRule", {
  ResourceType: "AD_Account", Policy: "Default", SourceBinding: "HR_Person:EmployeeId", TargetBinding: "employeeID", SourceMatchedConfidenceLevel: 120,
}, 4);
export const BY_MAIL = ruleItem("ResourceCorrelationRule", {
  ResourceType: "AD_Account", Policy: "Default", SourceExpression: "C#:p:return p.Mail.ToLower();", TargetBinding: "mail", SourceMatchedConfidenceLevel: 80,
}, 5);
export const BY_DEPARTMENT = ruleItem("ResourceCorrelationRule", {
  ResourceType: "AD_Account", Policy: "Default", SourceBinding: "Department.Code", TargetBinding: "description", SourceMatchedConfidenceLevel: 10,
}, 6);

/**
 * Deploys the entity model, more XML (`files`: other files beside model.xml), and these items
 * (AD_ACCOUNT unless told otherwise), replacing what an earlier call deployed. An item built here
 * replaces the XML item of the same kind and identifier (a ResourceType the XML declares so that
 * tasks may name it).
 */
export async function deployRoleModel(
  store: Store, rules: readonly Item[], options: { moreXml?: string; types?: readonly Item[]; files?: Record<string, string> } = {},
): Promise<string> {
  const folder = writeFolder({ "model.xml": configFile(MODEL_XML + (options.moreXml ?? "")), ...options.files });
  const built = [...(options.types ?? [AD_ACCOUNT]), ...rules];
  const replaced = new Set(built.map((i) => `${i.kind}\u0000${i.identifier}`));
  const items = [...itemsOf(folder).filter((i) => !replaced.has(`${i.kind}\u0000${i.identifier}`)), ...built];
  await runDeploy(DEFAULT_SETTINGS, store, items, { sourceFolder: folder, allowDeletes: true, lockTimeoutSeconds: 5 });
  return folder;
}

export interface Person {
  login: string;
  employeeId?: string;
  mail?: string;
  department?: string;
}

export interface Account {
  name: string;
  employeeId?: string;
  mail?: string;
  description?: string;
}

/** Inserts departments, people (linked to their department) and AD entries; returns entity type → source key → id. */
export async function insertResources(store: Store, data: { departments?: string[]; people?: Person[]; accounts?: Account[] }): Promise<Map<string, Map<string, number>>> {
  const resources = new ResourceStore(store.dataSource.manager);
  const context = { at: T0, jobInstanceId: 1 };
  const departments = data.departments ?? [];
  const people = data.people ?? [];
  const accounts = data.accounts ?? [];
  await resources.insertResources([
    ...departments.map((code) => ({ entityType: "HR_Department", connector: "HR", sourceKey: code, properties: { Code: code } })),
    ...people.map((p) => ({ entityType: "HR_Person", connector: "HR", sourceKey: p.login, properties: { Login: p.login, EmployeeId: p.employeeId, Mail: p.mail } })),
    ...accounts.map((a) => ({
      entityType: "AD_Entry", connector: "AD", sourceKey: a.name, properties: { sAMAccountName: a.name, employeeID: a.employeeId, mail: a.mail, description: a.description },
    })),
  ], context);
  const ids = new Map<string, Map<string, number>>();
  for (const [type, keys] of [["HR_Department", departments], ["HR_Person", people.map((p) => p.login)], ["AD_Entry", accounts.map((a) => a.name)]] as const) {
    ids.set(type, keys.length === 0 ? new Map() : await resources.idsByKeys(type, keys));
  }
  const links = people.filter((p) => p.department !== undefined)
    .map((p) => ({ association: "HR_Person_Department", fromResourceId: ids.get("HR_Person")!.get(p.login)!, toResourceId: ids.get("HR_Department")!.get(p.department!)! }));
  if (links.length > 0) await resources.insertLinks(links, context);
  return ids;
}

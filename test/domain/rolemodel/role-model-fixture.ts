/**
 * A small role model deployed from XML into a test store: HR people with departments, AD entries
 * with groups and managers, the resource type AD_Account between them, and the correlation and
 * classification rules a test writes, each at the line of RoleModel/Rules.xml it names.
 */
import type { AttributeValue } from "../../../src/config/coerce-attribute.js";
import { itemHash, type Item } from "../../../src/config/items.js";
import { DEFAULT_SETTINGS } from "../../../src/config/settings.js";
import { runDeploy } from "../../../src/deploy/run-deploy.js";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { readStoredItems } from "../../../src/domain/stored-items.js";
import type { Store } from "../../../src/store/store.js";
import { itemsOf } from "../../helpers/deploy-xml.js";
import { configFile, writeFolder } from "../../helpers/temp-folder.js";

export const T0 = new Date("2026-01-02T03:04:05.000Z");

export const MODEL_XML = `  <Policy Identifier="Default" DisplayName_L1="Default" />
  <Connector Identifier="AD" DisplayName_L1="Active Directory" />
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
  <EntityTypeMapping Identifier="AD_Entry" Connector="AD" />`;

/** The resource type, with more attributes (thresholds) when given. */
export function adAccount(attributes = ""): string {
  return `  <ResourceType Identifier="AD_Account" DisplayName_L1="AD account" Policy="Default" SourceEntityType="HR_Person" TargetEntityType="AD_Entry"${attributes ? ` ${attributes}` : ""} />`;
}

/** A rule element and the line of RoleModel/Rules.xml it is written on (from 3: the file's first two lines are its header). */
export interface RuleLine {
  line: number;
  xml: string;
}

export const BY_EMPLOYEE_ID: RuleLine = {
  line: 4, xml: `<ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceBinding="HR_Person:EmployeeId" TargetBinding="employeeID" SourceMatchedConfidenceLevel="120" />`,
};
export const BY_MAIL: RuleLine = {
  line: 5, xml: `<ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceExpression="C#:p:return p.Mail.ToLower();" TargetBinding="mail" SourceMatchedConfidenceLevel="80" />`,
};
export const BY_DEPARTMENT: RuleLine = {
  line: 6, xml: `<ResourceCorrelationRule ResourceType="AD_Account" Policy="Default" SourceBinding="Department.Code" TargetBinding="description" SourceMatchedConfidenceLevel="10" />`,
};

/** RoleModel/Rules.xml with each rule on its line. */
export function rulesFile(rules: readonly RuleLine[]): string {
  const lines: string[] = [];
  for (const rule of [...rules].sort((a, b) => a.line - b.line)) {
    if (rule.line - 3 < lines.length) throw new Error(`two rules on line ${rule.line}`);
    while (lines.length < rule.line - 3) lines.push("");
    lines.push(`  ${rule.xml}`);
  }
  return configFile(lines.join("\n"));
}

export interface RoleModelOptions {
  /** The ResourceType elements (default: AD_Account). */
  types?: string;
  /** Other files beside model.xml and RoleModel/Rules.xml. */
  files?: Record<string, string>;
  /** Items deployed with the XML's: what an older deploy may have stored, that validation now refuses. */
  items?: readonly Item[];
}

/** Validates and deploys the model, the resource types and the rules, replacing what an earlier call deployed; returns the folder. */
export async function deployRoleModel(store: Store, rules: readonly RuleLine[], options: RoleModelOptions = {}): Promise<string> {
  const folder = writeFolder({
    "model.xml": configFile(`${MODEL_XML}\n${options.types ?? adAccount()}`), "RoleModel/Rules.xml": rulesFile(rules), ...options.files,
  });
  await runDeploy(DEFAULT_SETTINGS, store, [...itemsOf(folder), ...(options.items ?? [])], { sourceFolder: folder, allowDeletes: true, lockTimeoutSeconds: 5 });
  return folder;
}

/**
 * A rule item as an older deploy may have stored it, one that validation now refuses (a rule whose
 * ResourceType is not deployed): identified by its attributes, as configuration.ts modelIdentifier does.
 */
export function storedRule(kind: string, attributes: Record<string, AttributeValue>, line: number): Item {
  const sorted = Object.fromEntries(Object.keys(attributes).sort().map((name) => [name, attributes[name]!]));
  const identifier = Object.keys(sorted).map((name) => `${name}=${String(sorted[name])}`).join(";");
  return { kind, identifier, attributes: sorted, children: {}, source: { file: "RoleModel/Old.xml", line, column: 3 }, hash: itemHash(kind, identifier, sorted, {}) };
}

/** The deployed rules of a kind: identifier → the line it is written on. */
export async function ruleLines(store: Store, kind: string): Promise<Map<string, number>> {
  return new Map((await readStoredItems(store, kind)).map((item) => [item.identifier, item.source?.line ?? 0]));
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

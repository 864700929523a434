/**
 * A small entity model with expressions, deployed into a test store, and people inserted directly:
 * the fixture of the expression tests (task, dirty mode, semantics).
 */
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { ENTITY, type ResourceRow } from "../../../src/store/entities.js";
import type { Store } from "../../../src/store/store.js";
import { deployXml } from "../../helpers/deploy-xml.js";
import { configFile } from "../../helpers/temp-folder.js";

export const PEOPLE_MODEL = `
  <EntityType Identifier="P">
    <Property Identifier="Login" IsKey="true" />
    <Property Identifier="FirstName" />
    <Property Identifier="LastName" />
    <Property Identifier="Age" Type="Int32" />
    <Property Identifier="Mail" />
    <Property Identifier="ManagerName" />
    <Property Identifier="ReportCount" Type="Int32" />
    <Property Identifier="ReportNames" />
    <Property Identifier="Greeting" />
    <Property Identifier="Kind" />
    <Property Identifier="NextAge" Type="Int32" />
    <Property Identifier="ManagesManagers" Type="Bool" />
    <Property Identifier="Manager" Type="ForeignKey" />
    <Property Identifier="Reports" Type="ForeignKey" />
  </EntityType>
  <EntityAssociation Identifier="P_Manager" Property1="P:Manager" Property2="P:Reports" IsProperty2Collection="true" />`;

export const PEOPLE_EXPRESSIONS = `
  <EntityPropertyExpression Identifier="P_InternalDisplayName" EntityType="P" Property="InternalDisplayName"
    Expression="CEL:resource.LastName + &quot; &quot; + resource.FirstName" />
  <EntityPropertyExpression Identifier="P_Mail" EntityType="P" Property="Mail"
    Expression="CEL:normalize(lower(resource.FirstName)) + &quot;.&quot; + resource.LastName.lower().replace(&quot; &quot;, &quot;-&quot;) + &quot;@example.com&quot;" />
  <EntityPropertyExpression Identifier="P_ManagerName" EntityType="P" Property="ManagerName" Binding="Manager.LastName" />
  <EntityPropertyExpression Identifier="P_ReportCount" EntityType="P" Property="ReportCount" Expression="CEL:size(resource.Reports)" />
  <EntityPropertyExpression Identifier="P_ReportNames" EntityType="P" Property="ReportNames"
    Expression="CEL:size(resource.Reports) == 0 ? null : resource.Reports.map(r, r.LastName).join(&quot;,&quot;)" />
  <EntityPropertyExpression Identifier="P_Greeting" EntityType="P" Property="Greeting" Priority="5"
    Expression="CEL:&quot;Hello &quot; + resource.InternalDisplayName" />
  <EntityPropertyExpression Identifier="P_Kind" EntityType="P" Property="Kind" Expression="Literal:person" />
  <EntityPropertyExpression Identifier="P_NextAge" EntityType="P" Property="NextAge" Expression="CEL:resource.Age + 1" />
  <EntityPropertyExpression Identifier="P_ManagesManagers" EntityType="P" Property="ManagesManagers"
    Expression="CEL:resource.Reports.exists(r, size(r.Reports) &gt; 0)" />`;

export async function deployModel(store: Store, body: string = PEOPLE_MODEL + PEOPLE_EXPRESSIONS): Promise<void> {
  await deployXml(store, { "model.xml": configFile(body) }, { allowDeletes: false });
}

export const T0 = new Date("2026-01-02T03:04:05.000Z");

export interface Person {
  login: string;
  first?: string;
  last?: string;
  age?: number;
  manager?: string;
}

/** Inserts people (synchronized properties only) and their manager links; returns login → id. */
export async function insertPeople(store: Store, people: readonly Person[]): Promise<Map<string, number>> {
  const resources = new ResourceStore(store.dataSource.manager);
  await resources.insertResources(people.map((p) => ({
    entityType: "P", connector: "HR", sourceKey: p.login,
    properties: { Login: p.login, FirstName: p.first, LastName: p.last, Age: p.age },
  })), { at: T0, jobInstanceId: 1 });
  const ids = await resources.idsByKeys("P", people.map((p) => p.login));
  const links = people.filter((p) => p.manager !== undefined).map((p) => ({ association: "P_Manager", fromResourceId: ids.get(p.login)!, toResourceId: ids.get(p.manager!)! }));
  if (links.length > 0) await resources.insertLinks(links, { at: T0, jobInstanceId: 1 });
  return ids;
}

/** Every current resource, by source key, with its parsed properties. */
export async function allResources(store: Store): Promise<Map<string, ResourceRow & { values: Record<string, unknown> }>> {
  const rows = await store.dataSource.manager.getRepository<ResourceRow>(ENTITY.resource).find({ order: { sourceKey: "ASC" } });
  return new Map(rows.map((r) => [r.sourceKey, { ...r, values: JSON.parse(r.properties) as Record<string, unknown> }]));
}

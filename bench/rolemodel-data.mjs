// The role model of bench:rolemodel and its data, deterministic for any number of identities:
// identities (Bench_Person) with 3 dimensions reached through associations (an organization, a site,
// a title: Bench_Org, Bench_Site, Bench_Title), a directory (Bench_Entry) of accounts and groups,
// 200 single roles given by 1,000 SingleRoleRules over the 3 dimensions (about 5 roles an identity),
// and 5 resource types, each given by the TypeRules of 40 roles, with 3 ScalarRules (2 bindings, a CEL
// expression) and 40 NavigationRules (a group per role). The first resource type correlates
// identities with their accounts (9 in 10 have one) by employee id.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ResourceStore } from "../dist/domain/resources/resource-store.js";

export const PERSON = "Bench_Person";
export const ENTRY = "Bench_Entry";
export const DIMENSIONS = [
  { name: "Org", entityType: "Bench_Org", count: 200 },
  { name: "Site", entityType: "Bench_Site", count: 50 },
  { name: "Title", entityType: "Bench_Title", count: 25 },
];
export const ROLES = 200;
export const RULES = 1000;
export const RESOURCE_TYPES = 5;
export const ACCOUNT_EVERY = 10; // every 10th identity has no account: a creation
const AT = { at: new Date("2026-01-01T00:00:00.000Z"), jobInstanceId: 1 };

const pad = (n, width) => String(n).padStart(width, "0");
const role = (r) => `R${pad(r, 3)}`;
const groupDn = (r) => `CN=G_${role(r)},OU=Groups,DC=bench,DC=local`;
export const employeeId = (i) => `E${pad(i, 7)}`;
const code = (d, v) => `${DIMENSIONS[d].name.toUpperCase()}${pad(v, 3)}`;

/** The identity's value of dimension `d` (0..2), scrambled so that the dimensions do not follow each other; `shift` moves it (the Dirty changes). */
export function dimensionOf(i, d, shift = 0) {
  const mixed = Math.imul(i + 1, [2654435761, 2246822519, 3266489917][d]) >>> 0;
  return ((mixed >>> 7) + shift) % DIMENSIONS[d].count;
}

/**
 * Rule j gives role j % 200; its criteria depend on its fifth of the list: one dimension (org,
 * site, title: an identity matches about 1 + 4 + 0 of them), two (org and site, site and title) or
 * three, as rules specific to a team are.
 */
function ruleCriteria(j) {
  const k = Math.floor(j / ROLES);
  const v = (d) => code(d, j % DIMENSIONS[d].count);
  const v2 = (d) => code(d, Math.floor(j / 7) % DIMENSIONS[d].count);
  return [{ D0: v(0) }, { D1: v(1) }, { D0: v(0), D1: v2(1) }, { D1: v(1), D2: v2(2) }, { D0: v(0), D1: v2(1), D2: v(2) }][k];
}

export function writeConfig(dir) {
  mkdirSync(dir, { recursive: true });
  const file = (name, lines) => writeFileSync(join(dir, name), `<?xml version="1.0" encoding="utf-8"?>
<ConfigurationFile xmlns="urn:schemas-usercube-com:configuration">
${lines.map((l) => `  ${l}`).join("\n")}
</ConfigurationFile>
`);
  const model = [
    '<Policy Identifier="Default" DisplayName_L1="Default" />',
    '<Connector Identifier="HR" DisplayName_L1="HR" />',
    '<Connector Identifier="Directory" DisplayName_L1="Directory" />',
    `<EntityType Identifier="${PERSON}" DisplayName_L1="Person">`,
    '  <Property Identifier="EmployeeId" IsKey="true" />',
    '  <Property Identifier="FirstName" />',
    '  <Property Identifier="LastName" />',
    '  <Property Identifier="Email" />',
    '  <Property Identifier="ContractStartDate" Type="DateTime" />',
    ...DIMENSIONS.map((d) => `  <Property Identifier="${d.name}" Type="ForeignKey" />`),
    "</EntityType>",
    ...DIMENSIONS.flatMap((d) => [
      `<EntityType Identifier="${d.entityType}" DisplayName_L1="${d.name}">`,
      '  <Property Identifier="Code" IsKey="true" />',
      '  <Property Identifier="Members" Type="ForeignKey" />',
      "</EntityType>",
      `<EntityAssociation Identifier="${PERSON}_${d.name}" Property1="${d.entityType}:Members" IsProperty1Collection="true" Property2="${PERSON}:${d.name}" />`,
    ]),
    `<EntityType Identifier="${ENTRY}" DisplayName_L1="Directory entry">`,
    '  <Property Identifier="dn" IsKey="true" />',
    '  <Property Identifier="employeeID" />',
    '  <Property Identifier="mail" />',
    '  <Property Identifier="displayName" />',
    '  <Property Identifier="memberOf" Type="ForeignKey" />',
    '  <Property Identifier="member" Type="ForeignKey" />',
    "</EntityType>",
    `<EntityAssociation Identifier="${ENTRY}_Members" Property1="${ENTRY}:memberOf" IsProperty1Collection="true" Property2="${ENTRY}:member" IsProperty2Collection="true" />`,
    `<EntityTypeMapping Identifier="${ENTRY}" Connector="Directory" />`,
  ];
  file("Model.xml", model);

  const roles = [
    ...DIMENSIONS.map((d, i) => `<Dimension Identifier="${d.name}" EntityType="${d.entityType}" ColumnMapping="${i}" />`),
    `<ContextRule Identifier="Bench_Context" DisplayName_L1="Identities" Policy="Default" SourceEntityType="${PERSON}" ${DIMENSIONS.map((d, i) => `B${i}="${d.name}"`).join(" ")} ResourcesStartBinding="ContractStartDate" />`,
  ];
  for (let r = 0; r < ROLES; r++) roles.push(`<SingleRole Identifier="${role(r)}" DisplayName_L1="Role ${r}" Policy="Default" EntityType="${PERSON}" />`);
  for (let j = 0; j < RULES; j++) {
    const criteria = Object.entries(ruleCriteria(j)).map(([d, v]) => `${d}="${v}"`).join(" ");
    roles.push(`<SingleRoleRule Role="${role(j % ROLES)}" Policy="Default" ${criteria} />`);
  }
  for (let t = 0; t < RESOURCE_TYPES; t++) {
    const mine = Array.from({ length: ROLES / RESOURCE_TYPES }, (_, n) => n * RESOURCE_TYPES + t);
    roles.push(
      `<ResourceType Identifier="Bench_Account${t}" DisplayName_L1="Account ${t}" Policy="Default" SourceEntityType="${PERSON}" TargetEntityType="${ENTRY}">`,
      ...mine.map((r) => `  <TypeRule SingleRole="${role(r)}" />`),
      '  <ScalarRule Property="employeeID" Binding="EmployeeId" />',
      '  <ScalarRule Property="mail" Binding="Email" />',
      '  <ScalarRule Property="displayName" Expression="CEL:resource.FirstName + &quot; &quot; + resource.LastName" />',
      ...mine.map((r) => `  <NavigationRule Property="memberOf" Resource="${groupDn(r)}" SingleRole="${role(r)}" />`),
      "</ResourceType>",
    );
  }
  roles.push(`<ResourceCorrelationRule ResourceType="Bench_Account0" Policy="Default" SourceBinding="EmployeeId" TargetBinding="employeeID" SourceMatchedConfidenceLevel="100" />`);
  file("RoleModel.xml", roles);
}

const FIRST = ["Alice", "Bob", "Carol", "Dan", "Ève", "Frank", "Grace", "Héloïse", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil"];
const LAST = ["Durand", "Martin", "Petit", "Roux", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "García", "David", "Bertrand"];

function person(i) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  return { EmployeeId: employeeId(i), FirstName: first, LastName: last, Email: `${first}.${last}.${i}@example.com`.toLowerCase(), ContractStartDate: "2020-01-01T00:00:00.000Z" };
}

/** Loads the dimensions, the groups, the identities (linked to their dimensions) and the accounts through the resource store, in chunks. */
export async function loadData(store, identities) {
  const resources = new ResourceStore(store.dataSource.manager);
  const chunk = 10_000;
  await resources.insertResources([
    ...DIMENSIONS.flatMap((d, di) => Array.from({ length: d.count }, (_, v) => ({ entityType: d.entityType, connector: "HR", sourceKey: code(di, v), properties: { Code: code(di, v) } }))),
    ...Array.from({ length: ROLES }, (_, r) => ({ entityType: ENTRY, connector: "Directory", sourceKey: groupDn(r), properties: { dn: groupDn(r) } })),
  ], AT);
  const dimensionIds = await Promise.all(DIMENSIONS.map((d, di) => resources.idsByKeys(d.entityType, Array.from({ length: d.count }, (_, v) => code(di, v)))));
  for (let from = 0; from < identities; from += chunk) {
    const range = Array.from({ length: Math.min(chunk, identities - from) }, (_, n) => from + n);
    const people = range.map(person);
    await resources.insertResources(people.map((p) => ({ entityType: PERSON, connector: "HR", sourceKey: p.EmployeeId, properties: p })), AT);
    const accounts = people.filter((_, n) => range[n] % ACCOUNT_EVERY !== 0).map((p) => ({
      entityType: ENTRY, connector: "Directory", sourceKey: `CN=${p.EmployeeId},OU=Users,DC=bench,DC=local`,
      properties: { dn: `CN=${p.EmployeeId},OU=Users,DC=bench,DC=local`, employeeID: p.EmployeeId, mail: p.Email, displayName: `${p.FirstName} ${p.LastName}` },
    }));
    await resources.insertResources(accounts, AT);
    const ids = await resources.idsByKeys(PERSON, people.map((p) => p.EmployeeId));
    await resources.insertLinks(range.flatMap((i) => DIMENSIONS.map((d, di) => ({
      association: `${PERSON}_${d.name}`, fromResourceId: dimensionIds[di].get(code(di, dimensionOf(i, di))), toResourceId: ids.get(employeeId(i)),
    }))), AT);
  }
}

/**
 * Moves every `every`th identity (from `offset`) to another organization, as a synchronization
 * does: the link ended, a new one inserted, the identity marked dirty. Returns the ids marked.
 */
export async function changeOrganizations(store, identities, every, offset, shift) {
  const resources = new ResourceStore(store.dataSource.manager);
  const changed = [];
  for (let i = offset; i < identities; i += every) changed.push(i);
  const ids = await resources.idsByKeys(PERSON, changed.map(employeeId));
  const orgIds = await resources.idsByKeys(DIMENSIONS[0].entityType, Array.from({ length: DIMENSIONS[0].count }, (_, v) => code(0, v)));
  const person = new Set(changed.map((i) => ids.get(employeeId(i))));
  const ended = [];
  for await (const page of resources.links(`${PERSON}_Org`)) for (const link of page) if (person.has(Number(link.toResourceId))) ended.push(Number(link.id));
  const context = { at: new Date(), jobInstanceId: 2 };
  await resources.transaction(async (r) => {
    await r.endLinks(ended, context);
    await r.insertLinks(changed.map((i) => ({ association: `${PERSON}_Org`, fromResourceId: orgIds.get(code(0, dimensionOf(i, 0, shift))), toResourceId: ids.get(employeeId(i)) })), context);
    await r.markDirty([...person]);
  });
  return [...person];
}

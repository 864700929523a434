/**
 * The demo's configuration (conf-samples/demo, its role model included) deployed into a test store,
 * with a small HR and AD of our own instead of the demo's 3,000 people: departments, people linked
 * to theirs, AD groups by dn and accounts linked to their groups. What a test reads back is named by
 * source keys, never by ids, so that two databases can be compared.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import { computeCorrelationKeys } from "../../../src/domain/rolemodel/correlation-keys.js";
import { computeRoleModel, type RoleModelCounters } from "../../../src/domain/rolemodel/compute-role-model.js";
import type { Store } from "../../../src/store/store.js";
import { deployFolder } from "../../helpers/deploy-xml.js";

export const DEMO = fileURLToPath(new URL("../../../conf-samples/demo", import.meta.url));
export const NOW = new Date("2026-06-01T00:00:00.000Z");
const AT = { at: new Date("2026-01-01T00:00:00.000Z"), jobInstanceId: 1 };

export const groupDn = (name: string) => `CN=${name},OU=Groups,DC=demo,DC=local`;

export interface DemoPerson {
  id: string;
  first: string;
  last: string;
  department: string;
  start?: string;
  end?: string;
}

export interface DemoAccount {
  employeeId: string;
  mail: string;
  displayName: string;
  uac: number;
  groups: string[];
}

/** Five people: E1 fully provisioned, E2 disabled, E3 a stale mail, E4 in no group, E5 without an account. */
export const PEOPLE: DemoPerson[] = [
  { id: "E1", first: "Ada", last: "Lovelace", department: "FIN" },
  { id: "E2", first: "Alan", last: "Turing", department: "IT" },
  { id: "E3", first: "Grace", last: "Hopper", department: "IT" },
  { id: "E4", first: "Edsger", last: "Dijkstra", department: "FIN" },
  { id: "E5", first: "Barbara", last: "Liskov", department: "IT" },
];

export const mailOf = (p: DemoPerson) => `${p.first}.${p.last}@example.com`.toLowerCase();

export const ACCOUNTS: DemoAccount[] = [
  { employeeId: "E1", mail: "ada.lovelace@example.com", displayName: "Ada Lovelace", uac: 512, groups: ["GG_AllStaff", "GG_FIN"] },
  { employeeId: "E2", mail: "alan.turing@example.com", displayName: "Alan Turing", uac: 514, groups: ["GG_AllStaff", "GG_IT"] },
  { employeeId: "E3", mail: "g.hopper@old.example.com", displayName: "Grace Hopper", uac: 512, groups: ["GG_AllStaff", "GG_IT"] },
  { employeeId: "E4", mail: "edsger.dijkstra@example.com", displayName: "Edsger Dijkstra", uac: 512, groups: [] },
];

export const GROUPS = ["GG_AllStaff", "GG_FIN", "GG_HR", "GG_IT", "GG_LEGAL", "GG_OPS", "GG_SALES"];

/** Deploys the demo, or a copy of it whose RoleModel/RoleModel.xml `edit` rewrote. */
export async function deployDemo(store: Store, edit?: (roleModel: string) => string): Promise<void> {
  if (!edit) {
    await deployFolder(store, DEMO);
    return;
  }
  const copy = mkdtempSync(join(tmpdir(), "idm-demo-role-model-"));
  cpSync(DEMO, copy, { recursive: true, filter: (path) => !path.includes(`${sep}.idm`) });
  const file = join(copy, "RoleModel", "RoleModel.xml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  try {
    await deployFolder(store, copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Inserts the departments, the people and the directory. */
export async function loadDemoData(store: Store, people: readonly DemoPerson[] = PEOPLE, accounts: readonly DemoAccount[] = ACCOUNTS): Promise<void> {
  const resources = new ResourceStore(store.dataSource.manager);
  const departments = ["FIN", "HR", "IT", "LEGAL", "OPS", "SALES"];
  await resources.insertResources([
    ...departments.map((code) => ({ entityType: "HR_Department", connector: "HR", sourceKey: code, properties: { Code: code, Name: code } })),
    ...people.map((p) => ({
      entityType: "HR_Person", connector: "HR", sourceKey: p.id,
      properties: { EmployeeId: p.id, FirstName: p.first, LastName: p.last, Email: mailOf(p), ContractStartDate: p.start ?? "2020-01-01T00:00:00.000Z", ContractEndDate: p.end },
    })),
    ...GROUPS.map((g, i) => ({ entityType: "AD_Entry", connector: "AD", sourceKey: `group-${i}`, properties: { dn: groupDn(g), objectGuid: `group-${i}`, sAMAccountName: g, objectCategory: "Group" } })),
    ...accounts.map((a) => ({
      entityType: "AD_Entry", connector: "AD", sourceKey: `guid-${a.employeeId}`,
      properties: {
        dn: `CN=${a.displayName} (${a.employeeId}),OU=Users,DC=demo,DC=local`, objectGuid: `guid-${a.employeeId}`, sAMAccountName: a.employeeId.toLowerCase(), displayName: a.displayName,
        mail: a.mail, employeeID: a.employeeId, userAccountControl: a.uac, objectCategory: "Person",
      },
    })),
  ], AT);
  const ids = await idsOf(store);
  await resources.insertLinks([
    ...people.map((p) => ({ association: "HR_Person_Department", fromResourceId: ids.get(`HR_Department:${p.department}`)!, toResourceId: ids.get(`HR_Person:${p.id}`)! })),
    ...accounts.flatMap((a) => a.groups.map((g) => ({ association: "AD_Entry_Members", fromResourceId: ids.get(`AD_Entry:guid-${a.employeeId}`)!, toResourceId: ids.get(`AD_Entry:group-${GROUPS.indexOf(g)}`)! }))),
  ], AT);
}

/** `EntityType:sourceKey` → id. */
export async function idsOf(store: Store): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const resources = new ResourceStore(store.dataSource.manager);
  for (const type of ["HR_Department", "HR_Person", "AD_Entry"]) for await (const page of resources.resourceKeys(type)) for (const r of page) ids.set(`${type}:${r.sourceKey}`, r.id);
  return ids;
}

const silent = { signal: new AbortController().signal, log: () => undefined, progress: () => undefined };

export async function computeKeys(store: Store): Promise<void> {
  await computeCorrelationKeys({ store, entityTypes: undefined, dirty: false, batchSize: 0, ...silent });
}

export async function roleModel(
  store: Store, options: { dirty?: boolean; batchSize?: number; at?: Date; blockProvisioning?: boolean; log?: (level: string, message: string) => void } = {},
): Promise<RoleModelCounters> {
  return computeRoleModel({
    store, entityTypes: ["HR_Person"], dirty: options.dirty ?? false, batchSize: options.batchSize ?? 0, jobInstanceId: 1, blockProvisioning: options.blockProvisioning ?? false,
    blockAllResourceTypeProvisioning: false, ignoreHistorization: false, at: options.at ?? NOW, ...silent, ...(options.log ? { log: options.log } : {}),
  });
}

/** Everything the role model stored, named by source keys, sorted: what two databases can compare. */
export async function assignmentsByKeys(store: Store): Promise<Record<string, string[]>> {
  const ids = await idsOf(store);
  const keyOf = new Map([...ids].map(([k, id]) => [id, k]));
  const name = (id: number | string | null) => (id === null ? null : (keyOf.get(Number(id)) ?? `?${id}`));
  const people = [...ids].filter(([k]) => k.startsWith("HR_Person:")).map(([, id]) => id);
  const owners = await new AssignmentStore(store.dataSource.manager).readOwners(people);
  const out: Record<string, string[]> = {};
  const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
  for (const [ownerId, o] of owners) {
    const rows: string[] = [];
    for (const c of o.contexts) rows.push(JSON.stringify(["context", JSON.parse(c.dimensions), iso(c.validFrom), iso(c.validTo)]));
    for (const r of o.roles) rows.push(JSON.stringify(["role", r.kind, r.role, r.origin, r.workflowState, r.ruleIdentifier, iso(r.validFrom), iso(r.validTo)]));
    for (const t of o.resourceTypes) {
      rows.push(JSON.stringify(["type", t.resourceType, name(t.targetId), t.correlationRule !== null, t.confidence, t.provisioningState, t.changeType, iso(t.validFrom), iso(t.validTo)]));
      for (const v of t.values) {
        const value = (x: string | null) => (v.kind === "navigation" ? name(x) : x);
        rows.push(JSON.stringify(["value", t.resourceType, v.kind, v.property, value(v.policyValue), value(v.currentValue), v.provisioningState, v.changeType, iso(v.validFrom), iso(v.validTo)]));
      }
    }
    out[name(ownerId)!] = rows.sort();
  }
  return out;
}

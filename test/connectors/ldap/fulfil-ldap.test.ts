/**
 * The LDAP fulfilment package against a real OpenLDAP (test/helpers/slapd.ts): each change type,
 * multi-valued adds and removes, group membership through the memberOf back-link, an order that fails
 * among others, idempotence, abort between orders, and no password in errors or log lines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "ldapts";
import type { FulfilContext, FulfilOrder, FulfilRoute, OrderOutcome, ProvisioningOrder } from "../../../src/connectors/fulfil/fulfiller.js";
import { ldapFulfilPackage } from "../../../src/connectors/ldap/fulfil-ldap.js";
import { readLdapSettings } from "../../../src/connectors/ldap/ldap-settings.js";
import { startSlapd, SUFFIX, type Slapd } from "../../helpers/slapd.js";

let slapd: Slapd;
let admin: Client;
let counter = 0;

beforeAll(async () => {
  slapd = await startSlapd();
  admin = await slapd.admin();
});
afterAll(async () => {
  await slapd?.stop();
});

/** A container of its own per test, with a group in it. */
async function container(): Promise<{ ou: string; group: string }> {
  const ou = `ou=t${++counter},${SUFFIX}`;
  await admin.add(ou, { objectClass: "organizationalUnit", ou: `t${counter}` });
  const group = `cn=staff,${ou}`;
  await admin.add(group, { objectClass: "groupOfNames", cn: "staff", member: `cn=nobody,${ou}` });
  return { ou, group };
}

const ROUTE: FulfilRoute = {
  resourceType: "LDAP_User",
  connection: "Directory",
  packageName: "Usercube.OpenLDAP@0000001",
  mappingKind: "LdapResourceTypeMapping",
  mapping: { Identifier: "LDAP_User", Connection: "Directory", DefaultObjectClass: "top\ninetOrgPerson", RDNAttributeIdentifier: "cn" },
};

function context(extra: Record<string, unknown> = {}, logs: string[] = []): FulfilContext {
  return {
    settings: { Server: slapd.url, AuthType: "Basic", Login: slapd.rootDn, Password: slapd.password, BaseDN: SUFFIX, ...extra },
    workFolder: "/nonexistent",
    log: (level, message) => logs.push(`${level} ${message}`),
  };
}

let orderId = 0;
function order(changeType: ProvisioningOrder["ChangeType"], changes: Record<string, unknown>, resource?: Record<string, unknown>): FulfilOrder {
  const id = ++orderId;
  return {
    id,
    order: {
      AssignedResourceTypeId: String(id), ChangeType: changeType,
      ResourceType: { Id: "1", Identifier: "LDAP_User", SourceEntityType: null, TargetEntityType: { Id: "2", Identifier: "LDAP_Entry" } },
      Changes: changes, ...(resource === undefined ? {} : { Resource: resource }),
    },
  };
}

async function run(orders: FulfilOrder[], extra: Record<string, unknown> = {}, signal = new AbortController().signal, logs: string[] = []): Promise<OrderOutcome[]> {
  const fulfiller = await ldapFulfilPackage.open(ROUTE, context(extra, logs));
  const outcomes: OrderOutcome[] = [];
  try {
    for await (const outcome of fulfiller.apply(orders, signal)) outcomes.push(outcome);
  } finally {
    await fulfiller.close();
  }
  return outcomes;
}

async function entry(dn: string, attributes = ["*", "memberOf"]): Promise<Record<string, unknown> | undefined> {
  try {
    const { searchEntries } = await admin.search(dn, { scope: "base", attributes });
    const found = searchEntries[0] as Record<string, unknown> | undefined;
    if (found === undefined) return undefined;
    // ldapts lists requested attributes the entry lacks as []: drop them to compare entries.
    return Object.fromEntries(Object.entries(found).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
  } catch (error) {
    if ((error as { code?: number }).code === 32) return undefined;
    throw error;
  }
}

/** Every entry under a container, sorted, for before/after comparisons. */
async function snapshot(base: string): Promise<unknown[]> {
  const { searchEntries } = await admin.search(base, { scope: "sub", attributes: ["*", "modifyTimestamp", "entryCSN"] });
  return searchEntries.sort((a, b) => a.dn.localeCompare(b.dn));
}

const values = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? [...(v as string[])].sort() : [v]);

describe("LDAP fulfilment", () => {
  it("handles the directory packages only", () => {
    expect(["Usercube.AD@0000001", "Usercube.LDAP", "Usercube.OpenLDAP@0000001", "Usercube.LDAP.Oracle@1"].map(ldapFulfilPackage.handles)).toEqual([true, true, true, true]);
    expect(["Usercube.CSV@0000001", "Usercube.ADX", "Usercube.SQL"].map(ldapFulfilPackage.handles)).toEqual([false, false, false]);
  });

  it("creates an entry with the mapping's object classes, its DN from the RDN attribute and the container", async () => {
    const { ou } = await container();
    const [outcome] = await run([order("Added", { cn: "Ada Lovelace", sn: "Lovelace", mail: ["ada@example.org", "al@example.org"], parentdn: { Id: "9", Identifier: ou } })]);
    const dn = `cn=Ada Lovelace,${ou}`;
    expect(outcome).toEqual({ id: orderId, state: "Executed", message: `created ${dn}` });
    const created = await entry(dn);
    expect(values(created?.objectClass)).toEqual(["inetOrgPerson", "top"]);
    expect(values(created?.mail)).toEqual(["ada@example.org", "al@example.org"]);
    expect(created?.sn).toBe("Lovelace");
  });

  it("places an entry without parent in Containers.<ResourceType>, escaping its RDN value", async () => {
    const { ou } = await container();
    const [outcome] = await run([order("Added", { cn: "Smith, John", sn: "Smith" })], { Containers: { LDAP_User: ou } });
    expect(outcome?.state).toBe("Executed");
    expect((await entry(`cn=Smith\\, John,${ou}`))?.sn).toBe("Smith");
  });

  it("creates an entry from its DN alone: the naming value comes from the DN, unescaped", async () => {
    const { ou } = await container();
    const dn = `CN=Lee\\, Ann (E1),${ou}`;
    const [outcome] = await run([order("Added", { dn, sn: "Lee" })]);
    expect(outcome).toEqual({ id: orderId, state: "Executed", message: `created ${dn}` });
    expect((await entry(dn))?.cn).toBe("Lee, Ann (E1)");
  });

  it("modifies: replaces single values, clears with null, adds and removes values of a multi-valued attribute", async () => {
    const { ou } = await container();
    const dn = `cn=Bob,${ou}`;
    await admin.add(dn, { objectClass: "inetOrgPerson", cn: "Bob", sn: "B", title: "Clerk", mail: ["b1@example.org", "b2@example.org"] });
    const [outcome] = await run([
      order("Modified", { sn: "Builder", title: null, mail_add: ["b3@example.org"], mail_remove: ["b1@example.org"] }, { Id: "5", Identifier: dn, dn }),
    ]);
    expect(outcome).toEqual({ id: orderId, state: "Executed", message: `modified ${dn}` });
    const after = await entry(dn);
    expect(after?.sn).toBe("Builder");
    expect(after?.title).toBeUndefined();
    expect(values(after?.mail)).toEqual(["b2@example.org", "b3@example.org"]);
  });

  it("adds and removes group membership on the group's member attribute (memberOf back-link)", async () => {
    const { ou, group } = await container();
    const other = `cn=other,${ou}`;
    await admin.add(other, { objectClass: "groupOfNames", cn: "other", member: `cn=nobody,${ou}` });
    const dn = `cn=Carol,${ou}`;
    const outcomes = await run([
      order("Added", { cn: "Carol", sn: "C", parentdn: ou, memberOf_add: [{ Id: "7", Identifier: group }, { Id: "8", Identifier: other }] }),
      order("Modified", { memberOf_remove: [{ Id: "8", Identifier: other }] }, { Id: "6", Identifier: dn, dn }),
    ]);
    expect(outcomes.map((o) => o.state)).toEqual(["Executed", "Executed"]);
    expect(values((await entry(group))?.member)).toEqual([`cn=Carol,${ou}`, `cn=nobody,${ou}`]);
    expect(values((await entry(other))?.member)).toEqual([`cn=nobody,${ou}`]);
    expect(values((await entry(dn))?.memberOf)).toEqual([group]);
  });

  it("resolves a reference whose Identifier is an entryUUID, and renames an entry whose RDN value changes", async () => {
    const { ou, group } = await container();
    const dn = `cn=Dan,${ou}`;
    await admin.add(dn, { objectClass: "inetOrgPerson", cn: "Dan", sn: "D" });
    const uuid = ((await admin.search(group, { scope: "base", attributes: ["entryUUID"] })).searchEntries[0]?.entryUUID) as string;
    const [outcome] = await run([order("Modified", { cn: "Daniel", memberOf_add: [{ Id: "3", Identifier: uuid }] }, { Id: "4", Identifier: "x", dn })]);
    expect(outcome?.message).toBe(`modified cn=Daniel,${ou}`);
    expect(await entry(dn)).toBeUndefined();
    expect(values((await entry(`cn=Daniel,${ou}`))?.memberOf)).toEqual([group]);
  });

  it("deletes an entry, or disables it when OnDelete names an attribute", async () => {
    const { ou } = await container();
    await admin.add(`cn=Eve,${ou}`, { objectClass: "inetOrgPerson", cn: "Eve", sn: "E" });
    await admin.add(`cn=Fay,${ou}`, { objectClass: "inetOrgPerson", cn: "Fay", sn: "F", employeeType: "active" });
    const [deleted] = await run([order("Deleted", {}, { Id: "1", Identifier: `cn=Eve,${ou}` })]);
    expect(deleted).toEqual({ id: orderId, state: "Executed", message: `deleted cn=Eve,${ou}` });
    expect(await entry(`cn=Eve,${ou}`)).toBeUndefined();
    const [disabled] = await run([order("Deleted", {}, { Id: "2", Identifier: "y", dn: `cn=Fay,${ou}` })], { OnDelete: { Attribute: "employeeType", Value: "disabled" } });
    expect(disabled?.message).toBe(`disabled cn=Fay,${ou}`);
    expect((await entry(`cn=Fay,${ou}`))?.employeeType).toBe("disabled");
  });

  it("reports a refused order as Errored with the server's reason and goes on with the next ones", async () => {
    const { ou } = await container();
    const logs: string[] = [];
    const outcomes = await run([
      order("Added", { cn: "Gil", sn: "G", parentdn: `ou=missing,${ou}` }),
      order("Added", { cn: "Hal" }),
      order("Added", { cn: "Ivy", sn: "I", parentdn: ou }),
    ], {}, undefined, logs);
    expect(outcomes.map((o) => o.state)).toEqual(["Errored", "Errored", "Executed"]);
    expect(outcomes[0]?.message).toMatch(/LDAP result 32/);
    expect(outcomes[1]?.message).toMatch(/LDAP result 65/);
    expect(logs.filter((l) => l.startsWith("Warning"))).toHaveLength(2);
    expect(await entry(`cn=Ivy,${ou}`)).toBeDefined();
  });

  it("is idempotent: a second run of the same orders reports each already applied and writes nothing", async () => {
    const { ou, group } = await container();
    await admin.add(`cn=Jo,${ou}`, { objectClass: "inetOrgPerson", cn: "Jo", sn: "J", mail: ["j1@example.org"] });
    await admin.add(`cn=Kim,${ou}`, { objectClass: "inetOrgPerson", cn: "Kim", sn: "K" });
    const orders = [
      order("Added", { cn: "Lea", sn: "L", parentdn: ou, memberOf_add: [{ Id: "1", Identifier: group }] }),
      order("Modified", { sn: "Jones", title: null, mail_add: ["j2@example.org"], mail_remove: ["j1@example.org"] }, { Id: "2", Identifier: "j", dn: `cn=Jo,${ou}` }),
      order("Deleted", {}, { Id: "3", Identifier: `cn=Kim,${ou}` }),
    ];
    const first = await run(orders);
    expect(first.map((o) => [o.state, o.alreadyApplied])).toEqual([["Executed", undefined], ["Executed", undefined], ["Executed", undefined]]);
    const before = await snapshot(ou);
    const second = await run(orders);
    expect(second.map((o) => [o.state, o.alreadyApplied])).toEqual([["Executed", true], ["Executed", true], ["Executed", true]]);
    expect(await snapshot(ou)).toEqual(before);
  });

  it("stops between two orders when the signal aborts", async () => {
    const { ou } = await container();
    const controller = new AbortController();
    const fulfiller = await ldapFulfilPackage.open(ROUTE, context());
    const outcomes: OrderOutcome[] = [];
    try {
      for await (const outcome of fulfiller.apply([order("Added", { cn: "Max", sn: "M", parentdn: ou }), order("Added", { cn: "Ned", sn: "N", parentdn: ou })], controller.signal)) {
        outcomes.push(outcome);
        controller.abort();
      }
    } finally {
      await fulfiller.close();
    }
    expect(outcomes).toHaveLength(1);
    expect(await entry(`cn=Max,${ou}`)).toBeDefined();
    expect(await entry(`cn=Ned,${ou}`)).toBeUndefined();
  });

  it("never shows the password: not in a failed bind's error, the log lines, the outcomes or the settings object", async () => {
    const logs: string[] = [];
    const wrong = `${slapd.password}-wrong`;
    const error = await ldapFulfilPackage.open(ROUTE, { ...context({}, logs), settings: { ...context().settings, Password: wrong } }).then(
      () => new Error("bind succeeded"),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/bind to ldap:\/\/127\.0\.0\.1:\d+ as cn=admin,dc=example,dc=org failed: .*LDAP result 49/);
    const outcomes = await run([order("Added", { cn: "Oz", sn: "O", parentdn: `ou=missing,${SUFFIX}` })], {}, undefined, logs);
    const settings = readLdapSettings("Directory", context().settings);
    const seen = [error.message, String(error.cause), ...logs, JSON.stringify(outcomes), JSON.stringify(settings), String(settings)].join("\n");
    expect(logs.length).toBeGreaterThan(0);
    expect(seen).not.toContain(slapd.password);
  });

  it("names the missing setting", async () => {
    await expect(ldapFulfilPackage.open(ROUTE, { ...context(), settings: { Server: slapd.url, Login: slapd.rootDn } })).rejects.toThrow(
      "settings Connections.Directory.Password is missing: AuthType Basic binds with Login and Password",
    );
    await expect(ldapFulfilPackage.open(ROUTE, { ...context(), settings: { Server: `ldap://u:p@127.0.0.1:1` } })).rejects.toThrow(/must not hold credentials/);
  });
});

// The demo-ldap variant's AD_BuildDirectory (../../demo-ldap/README.md): loads directory-data.mjs's
// entries into an OpenLDAP directory whose suffix is DC=demo,DC=local and whose schema has the AD
// attributes (test/fixtures/ldap/ad-lite.schema), replacing what the demo put there before, as
// build-directory.mjs replaces its SQLite file. Users are adLiteUser entries, groups groupOfNames
// (with adLiteObject) whose members are written on the group; the directory gives each entry its
// entryUUID, which the variant reads as objectGUID.
// The directory and its credentials are the AD connection's settings in the variant's appsettings.json
// (make-variant.mjs writes it, readable by its owner only): a task's script gets no password in its
// environment. The password is never printed.
import { readFileSync } from "node:fs";
import { Client } from "ldapts";
import { directoryData, GROUPS, SERVICE_ACCOUNTS, USERS } from "./directory-data.mjs";

const connection = JSON.parse(readFileSync("appsettings.json", "utf8")).Connections?.ADExportFulfillment ?? {};
const { Server: url, Password: password, Login: login = "cn=admin,DC=demo,DC=local" } = connection;
if (!url || !password) throw new Error("appsettings.json has no Connections.ADExportFulfillment Server and Password: write the LDAP variant with conf-samples/demo-ldap/make-variant.mjs");

const { entries, members, managers } = directoryData("data/HRPeople.csv");
const client = new Client({ url, timeout: 30_000, connectTimeout: 5_000 });
await client.bind(login, password);
try {
  const containers = [USERS, GROUPS, SERVICE_ACCOUNTS];
  for (const container of containers) await removeTree(container);
  for (const container of containers) await client.add(container, { objectClass: ["top", "organizationalUnit"], ou: container.slice(3, container.indexOf(",")) });

  const groupMembers = new Map();
  for (const [member, group] of members) groupMembers.set(group, [...(groupMembers.get(group) ?? []), member]);
  const managerOf = new Map(managers.map(([manager, dn]) => [dn, manager]));
  const cn = (dn) => dn.slice(3, dn.indexOf(","));
  // Users first: a group's member must name an entry for the memberof overlay to give it memberOf.
  const ordered = [...entries.filter((e) => e.objectCategory !== "Group"), ...entries.filter((e) => e.objectCategory === "Group")];
  for (const e of ordered) {
    const group = e.objectCategory === "Group";
    const attributes = {
      objectClass: group ? ["top", "groupOfNames", "adLiteObject"] : ["top", "adLiteUser"],
      cn: cn(e.dn),
      sAMAccountName: e.sAMAccountName, userPrincipalName: e.userPrincipalName, displayName: e.displayName, mail: e.mail,
      employeeID: e.employeeID, userAccountControl: e.userAccountControl === null ? "" : String(e.userAccountControl), objectCategory: e.objectCategory,
      ...(group ? { member: groupMembers.get(e.dn) ?? [] } : { manager: managerOf.get(e.dn) ?? "" }),
    };
    // LDAP has no empty value: an empty column is an absent attribute.
    await client.add(e.dn, Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== "" && !(Array.isArray(v) && v.length === 0))));
  }
  console.log(`directory loaded into ${url}: ${entries.length} entries, ${members.length} memberships, ${managers.length} manager links`);
} finally {
  await client.unbind();
}

async function removeTree(base) {
  let found;
  try {
    found = await client.search(base, { scope: "sub", attributes: ["1.1"] });
  } catch (error) {
    if (error?.code === 32) return; // noSuchObject: nothing to remove
    throw error;
  }
  // Deepest first: a container goes after its entries.
  const dns = found.searchEntries.map((e) => e.dn).sort((a, b) => b.split(",").length - a.split(",").length);
  for (const dn of dns) await client.del(dn);
}

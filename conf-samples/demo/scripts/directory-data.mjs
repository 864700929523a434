// The demo directory's content, made from the HR file, for both of its forms: the SQLite stand-in
// (build-directory.mjs) and an OpenLDAP directory (load-directory-ldap.mjs, the demo-ldap variant).
// A directory drifts from HR in real life: every 100th person has no account (a leaver's account
// removed early), every 50th account is disabled, and a few service accounts exist only in the
// directory. One group per department plus GG_AllStaff; managers as in HR.
import { readFileSync } from "node:fs";

export const USERS = "OU=Users,DC=demo,DC=local";
export const GROUPS = "OU=Groups,DC=demo,DC=local";
export const SERVICE_ACCOUNTS = "OU=Service accounts,DC=demo,DC=local";

/**
 * Entries as { guid, dn, sAMAccountName, userPrincipalName, displayName, mail, employeeID,
 * userAccountControl, objectCategory, accountExpires }, memberships as [member dn, group dn],
 * manager links as [manager dn, entry dn].
 */
export function directoryData(hrFile) {
  const [header, ...lines] = readFileSync(hrFile, "utf8").trim().split(/\r?\n/);
  const columns = header.split(",");
  const people = lines.map((line) => Object.fromEntries(line.split(",").map((value, i) => [columns[i], value])));

  const guid = (n) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
  const userDn = (p) => `CN=${p.first_name} ${p.last_name} (${p.employee_id}),${USERS}`;
  const groupDn = (name) => `CN=${name},${GROUPS}`;
  const entry = (guid, dn, sAMAccountName, userPrincipalName, displayName, mail, employeeID, userAccountControl, objectCategory) =>
    ({ guid, dn, sAMAccountName, userPrincipalName, displayName, mail, employeeID, userAccountControl, objectCategory, accountExpires: "" });

  const entries = [];
  const members = [];
  const managers = [];
  const byId = new Map(people.map((p) => [p.employee_id, p]));
  const hasAccount = (p) => Number(p.employee_id.slice(1)) % 100 !== 0;
  for (const [i, p] of people.entries()) {
    if (!hasAccount(p)) continue;
    const login = `${p.first_name}.${p.last_name}`.toLowerCase().replace(/[^a-z.]/g, "") + (i + 1);
    entries.push(entry(guid(i + 1), userDn(p), login, `${login}@demo.local`, `${p.first_name} ${p.last_name}`, p.email, p.employee_id,
      (i + 1) % 50 === 0 ? 514 : 512, "Person"));
    members.push([userDn(p), groupDn("GG_AllStaff")], [userDn(p), groupDn(`GG_${p.department_code}`)]);
    const manager = byId.get(p.manager_id);
    if (manager !== undefined && hasAccount(manager)) managers.push([userDn(manager), userDn(p)]);
  }
  const departments = [...new Set(people.map((p) => p.department_code))].sort();
  for (const [i, name] of ["GG_AllStaff", ...departments.map((d) => `GG_${d}`)].entries()) {
    entries.push(entry(guid(100_000 + i), groupDn(name), name, "", name, "", "", null, "Group"));
  }
  for (let i = 1; i <= 20; i++) {
    const name = `svc-demo-${String(i).padStart(2, "0")}`;
    entries.push(entry(guid(200_000 + i), `CN=${name},${SERVICE_ACCOUNTS}`, name, `${name}@demo.local`, name, "", "", 66048, "Person"));
  }
  return { entries, members, managers };
}

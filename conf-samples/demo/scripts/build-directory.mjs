// Run by the first task of AD_Synchronize_Complete (InvokeExpressionTask "AD_BuildDirectory"):
// builds the demo's stand-in for Active Directory, a SQLite file that the AD connection exports from
// with the SQL package (appsettings.json, Connections.ADExportFulfillment).
// It is made from the HR file, as a directory drifts from HR in real life: every 100th person has no
// account (a leaver's account removed early), every 50th account is disabled, and a few service
// accounts exist only in the directory. One group per department plus GG_AllStaff; managers as in HR.
// FulfillTask writes the accounts the role model orders into the same file (appsettings.json): the
// directory gives a new entry its objectGUID, as Active Directory does.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

const folder = process.env.IDM_WORK_FOLDER;
if (!folder) throw new Error("IDM_WORK_FOLDER is not set: run this script from the AD_BuildDirectory task");
mkdirSync(folder, { recursive: true });
const path = join(folder, "directory.db");

const [header, ...lines] = readFileSync("data/HRPeople.csv", "utf8").trim().split(/\r?\n/);
const columns = header.split(",");
const people = lines.map((line) => Object.fromEntries(line.split(",").map((value, i) => [columns[i], value])));

const guid = (n) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const userDn = (p) => `CN=${p.first_name} ${p.last_name} (${p.employee_id}),OU=Users,DC=demo,DC=local`;
const groupDn = (name) => `CN=${name},OU=Groups,DC=demo,DC=local`;

const entries = [];
const members = [];
const managers = [];
const byId = new Map(people.map((p) => [p.employee_id, p]));
const hasAccount = (p) => Number(p.employee_id.slice(1)) % 100 !== 0;
for (const [i, p] of people.entries()) {
  if (!hasAccount(p)) continue;
  const login = `${p.first_name}.${p.last_name}`.toLowerCase().replace(/[^a-z.]/g, "") + (i + 1);
  entries.push([guid(i + 1), userDn(p), login, `${login}@demo.local`, `${p.first_name} ${p.last_name}`, p.email, p.employee_id,
    (i + 1) % 50 === 0 ? 514 : 512, "Person", ""]);
  members.push([userDn(p), groupDn("GG_AllStaff")], [userDn(p), groupDn(`GG_${p.department_code}`)]);
  const manager = byId.get(p.manager_id);
  if (manager !== undefined && hasAccount(manager)) managers.push([userDn(manager), userDn(p)]);
}
const departments = [...new Set(people.map((p) => p.department_code))].sort();
for (const [i, name] of ["GG_AllStaff", ...departments.map((d) => `GG_${d}`)].entries()) {
  entries.push([guid(100_000 + i), groupDn(name), name, "", name, "", "", null, "Group", ""]);
}
for (let i = 1; i <= 20; i++) {
  const name = `svc-demo-${String(i).padStart(2, "0")}`;
  entries.push([guid(200_000 + i), `CN=${name},OU=Service accounts,DC=demo,DC=local`, name, `${name}@demo.local`, name, "", "", 66048, "Person", ""]);
}

rmSync(path, { force: true });
const db = new Database(path);
db.exec(`
  CREATE TABLE entries (objectGUID TEXT PRIMARY KEY DEFAULT (lower(hex(randomblob(16)))), dn TEXT NOT NULL UNIQUE, sAMAccountName TEXT, userPrincipalName TEXT, displayName TEXT,
    mail TEXT, employeeID TEXT, userAccountControl INTEGER, objectCategory TEXT, accountExpires TEXT);
  CREATE TABLE members (member TEXT NOT NULL, dn TEXT NOT NULL);
  CREATE TABLE managers (manager TEXT NOT NULL, dn TEXT NOT NULL);`);
const insert = (table, rows) => {
  const statement = db.prepare(`INSERT INTO ${table} VALUES (${rows[0].map(() => "?").join(", ")})`);
  db.transaction(() => rows.forEach((row) => statement.run(row)))();
};
insert("entries", entries);
insert("members", members);
insert("managers", managers);
db.close();
console.log(`directory built in ${path}: ${entries.length} entries, ${members.length} memberships, ${managers.length} manager links`);

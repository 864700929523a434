// Run by the first task of AD_Synchronize_Complete (InvokeExpressionTask "AD_BuildDirectory"):
// builds the demo's stand-in for Active Directory, a SQLite file that the AD connection exports from
// with the SQL package (appsettings.json, Connections.ADExportFulfillment). Its content, made from
// the HR file with the drift a real directory has, is directory-data.mjs's.
// FulfillTask writes the accounts the role model orders into the same file (appsettings.json): the
// directory gives a new entry its objectGUID, as Active Directory does.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { directoryData } from "./directory-data.mjs";

const folder = process.env.IDM_WORK_FOLDER;
if (!folder) throw new Error("IDM_WORK_FOLDER is not set: run this script from the AD_BuildDirectory task");
mkdirSync(folder, { recursive: true });
const path = join(folder, "directory.db");

const { entries, members, managers } = directoryData("data/HRPeople.csv");

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
insert("entries", entries.map((e) => [e.guid, e.dn, e.sAMAccountName, e.userPrincipalName, e.displayName, e.mail, e.employeeID, e.userAccountControl, e.objectCategory, e.accountExpires]));
insert("members", members);
insert("managers", managers);
db.close();
console.log(`directory built in ${path}: ${entries.length} entries, ${members.length} memberships, ${managers.length} manager links`);

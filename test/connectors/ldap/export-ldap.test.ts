/**
 * The LDAP export package against a real OpenLDAP: a paged search (pages smaller than the entries)
 * written as the export contract's CSV, multi-valued attributes in one field, a link table one row
 * per value; and ExportTask running it from a deployed Connection on each store backend.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Client } from "ldapts";
import { DEFAULT_SETTINGS } from "../../../src/config/settings.js";
import { exportLdapTables, ldapExportTables } from "../../../src/connectors/ldap/export-ldap.js";
import { readLdapSettings } from "../../../src/connectors/ldap/ldap-settings.js";
import exportTask from "../../../src/tasks/export.js";
import type { Store } from "../../../src/store/store.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { deployXml } from "../../helpers/deploy-xml.js";
import { readCsv } from "../../helpers/demo-data.js";
import { startSlapd, SUFFIX, type Slapd } from "../../helpers/slapd.js";
import { configFile } from "../../helpers/temp-folder.js";
import { removeTaskWorkspaces, taskSnapshot, taskWorkspace } from "../../helpers/task-workspace.js";
import { writeFolder } from "../../helpers/temp-folder.js";

let slapd: Slapd;
let admin: Client;
const PEOPLE = `ou=people,${SUFFIX}`;
const GROUPS = `ou=groups,${SUFFIX}`;
const USERS = Array.from({ length: 12 }, (_, i) => `u${String(i + 1).padStart(2, "0")}`);

beforeAll(async () => {
  slapd = await startSlapd();
  admin = await slapd.admin();
  await admin.add(PEOPLE, { objectClass: "organizationalUnit", ou: "people" });
  await admin.add(GROUPS, { objectClass: "organizationalUnit", ou: "groups" });
  for (const uid of USERS) {
    const mail = uid === "u01" ? ["u01@example.org", "first@example.org"] : [`${uid}@example.org`];
    await admin.add(`uid=${uid},${PEOPLE}`, { objectClass: "inetOrgPerson", uid, cn: `User ${uid}`, sn: uid === "u02" ? "Doe, \"Jr\"" : uid, mail });
  }
  await admin.add(`cn=all,${GROUPS}`, { objectClass: "groupOfNames", cn: "all", member: USERS.slice(0, 7).map((u) => `uid=${u},${PEOPLE}`) });
});
afterAll(async () => {
  await slapd?.stop();
});

function settingsOf(extra: Record<string, unknown>) {
  return { Server: slapd.url, Login: slapd.rootDn, Password: slapd.password, PageSize: 5, ...extra };
}

describe("LDAP export", () => {
  it("pages through the entries and writes dn, parentdn and attributes, several values in one field", async () => {
    const settings = readLdapSettings("Directory", settingsOf({ Tables: [
      { Table: "entries", BaseDN: PEOPLE, Filter: "(objectClass=inetOrgPerson)", Scope: "OneLevel", Attributes: ["uid", "sn", "mail", "parentdn"] },
      { Table: "member", BaseDN: GROUPS, Filter: "(objectClass=groupOfNames)" },
    ] }));
    const tables = ldapExportTables(settings, []);
    expect(tables.map((t) => [t.identifier, t.columns])).toEqual([["Directory_entries", ["dn", "uid", "sn", "mail", "parentdn"]], ["Directory_member", ["dn", "member"]]]);
    const folder = writeFolder({});
    const pages: number[] = [];
    const results = await exportLdapTables(settings, tables, (t) => join(folder, `${t}.csv`), new AbortController().signal, (rows) => pages.push(rows));
    expect(results).toEqual([{ table: "Directory_entries", rows: 12 }, { table: "Directory_member", rows: 7 }]);
    // 12 entries, 5 a page: three pages, progress after each.
    expect(pages.slice(0, 3)).toEqual([5, 10, 12]);
    const entries = readCsv(join(folder, "Directory_entries.csv"));
    expect(entries[0]).toEqual(["dn", "uid", "sn", "mail", "parentdn"]);
    const byUid = new Map(entries.slice(1).map((r) => [r[1], r]));
    expect(byUid.get("u01")).toEqual([`uid=u01,${PEOPLE}`, "u01", "u01", "u01@example.org\nfirst@example.org", PEOPLE]);
    expect(byUid.get("u02")?.[2]).toBe('Doe, "Jr"');
    expect(readFileSync(join(folder, "Directory_entries.csv"), "utf8")).toContain('"u01@example.org\nfirst@example.org"');
    const members = readCsv(join(folder, "Directory_member.csv"));
    expect(members[0]).toEqual(["dn", "member"]);
    expect(members.slice(1).map((r) => r[1]).sort()).toEqual(USERS.slice(0, 7).map((u) => `uid=${u},${PEOPLE}`));
  });

  it("with UpperCaseDNTypes, writes DNs as AD spells them: dn, parentdn and link values CN=…,OU=…", async () => {
    const settings = readLdapSettings("Directory", settingsOf({ UpperCaseDNTypes: true, Tables: [
      { Table: "entries", BaseDN: PEOPLE, Filter: "(uid=u01)", Attributes: ["uid", "parentdn"] },
      { Table: "member", BaseDN: GROUPS },
    ] }));
    const folder = writeFolder({});
    await exportLdapTables(settings, ldapExportTables(settings, []), (t) => join(folder, `${t}.csv`), new AbortController().signal, () => undefined);
    const upper = (dn: string) => dn.replace(/(^|,)([a-z]+)=/g, (_, sep: string, type: string) => `${sep}${type.toUpperCase()}=`);
    expect(readCsv(join(folder, "Directory_entries.csv"))[1]).toEqual([upper(`uid=u01,${PEOPLE}`), "u01", upper(PEOPLE)]);
    expect(readCsv(join(folder, "Directory_member.csv"))[1]).toEqual([upper(`cn=all,${GROUPS}`), expect.stringMatching(/^UID=u0\d,OU=people,DC=example,DC=org$/)]);
  });

  it("stops between pages when the signal aborts", async () => {
    const settings = readLdapSettings("Directory", settingsOf({ BaseDN: PEOPLE, Attributes: ["uid"] }));
    const controller = new AbortController();
    const folder = writeFolder({});
    const run = exportLdapTables(settings, ldapExportTables(settings, []), (t) => join(folder, `${t}.csv`), controller.signal, () => controller.abort(new Error("cancelled by the test")));
    await expect(run).rejects.toThrow("cancelled by the test");
  });

  it("asks for columns when neither a ConnectionTable nor Attributes gives them", () => {
    const settings = readLdapSettings("Directory", settingsOf({ BaseDN: PEOPLE }));
    expect(() => ldapExportTables(settings, [])).toThrow("add a ConnectionTable Directory_entries with its Columns, or the table's \"Attributes\"");
  });
});

const CONFIGURATION = configFile(`  <Agent Identifier="Local" DisplayName_L1="Local agent"/>
  <Connector Identifier="LDAP" DisplayName_L1="Directory" Agent="Local"/>
  <Connection Identifier="Directory" DisplayName_L1="Directory" Connector="LDAP" Package="Usercube.OpenLDAP@0000001"/>
  <ConnectionTable Identifier="Directory_entries" Connection="Directory">
    <Column Identifier="uid"/>
    <Column Identifier="cn"/>
  </ConnectionTable>`);

describe.each(BACKENDS)("ExportTask with an LDAP connection on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    await deployXml(store, { "conf.xml": CONFIGURATION });
  });
  afterEach(async () => {
    removeTaskWorkspaces();
    await db.drop();
  });

  it("writes <ConnectionTable>.csv with the ConnectionTable's columns, and never logs the password", async () => {
    const ws = taskWorkspace({}, {
      store,
      settings: (folders) => ({ ...DEFAULT_SETTINGS, paths: folders, connections: { Directory: settingsOf({ Tables: [{ Table: "entries", BaseDN: PEOPLE, Filter: "(uid=u0*)" }] }) } }),
    });
    const result = await exportTask.run(ws.context, taskSnapshot({ identifier: "LDAP_Export", type: "ExportTask", attributes: { Connection: "Directory" } }));
    expect(result).toMatchObject({ state: "Succeeded", didWork: true, counters: { files: 1, rows: 9 } });
    const rows = readCsv(join(ws.folders.export, "Directory_entries.csv"));
    // Stored Column children are sorted by identifier (deploy's canonical form).
    expect(rows[0]).toEqual(["dn", "cn", "uid"]);
    expect(rows.slice(1).map((r) => r[2]).sort()).toEqual(USERS.slice(0, 9));
    expect(ws.lines().join("\n")).not.toContain(slapd.password);
  });
});

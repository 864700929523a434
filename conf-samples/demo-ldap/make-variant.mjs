// Writes the demo's LDAP variant: a copy of ../demo with LDAP.xml's overlays added and settings whose
// AD connection is the LDAP directory of IDM_DEMO_LDAP_URL (README.md). The copy goes under .idm/
// (ignored by git) because its settings hold the bind password, read from IDM_DEMO_LDAP_PASSWORD:
// the file is written readable by its owner only, and the password is never printed.
//   node conf-samples/demo-ldap/make-variant.mjs [target folder, default .idm/demo-ldap]
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const demo = join(here, "..", "demo");
const target = resolve(process.argv[2] ?? ".idm/demo-ldap");
const url = process.env.IDM_DEMO_LDAP_URL;
const password = process.env.IDM_DEMO_LDAP_PASSWORD;
if (!url) throw new Error("IDM_DEMO_LDAP_URL is not set: the LDAP variant needs the directory's URL (ldap://host:port)");
if (!password) throw new Error("IDM_DEMO_LDAP_PASSWORD is not set: the LDAP variant binds with it (never written in a committed file)");

rmSync(target, { recursive: true, force: true });
// The demo's own run data (.idm) and its SQLite settings stay behind.
cpSync(demo, target, { recursive: true, filter: (path) => !relative(demo, path).split(/[\\/]/).includes(".idm") && relative(demo, path) !== "appsettings.json" });
cpSync(join(here, "LDAP.xml"), join(target, "LDAP", "LDAP.xml"));

const settings = JSON.parse(readFileSync(join(demo, "appsettings.json"), "utf8"));
const ldap = JSON.parse(readFileSync(join(here, "settings.json"), "utf8"));
for (const [connection, value] of Object.entries(ldap.Connections)) {
  settings.Connections[connection] = { Server: url, Login: process.env.IDM_DEMO_LDAP_LOGIN || "cn=admin,DC=demo,DC=local", Password: password, ...value };
}
writeFileSync(join(target, "appsettings.json"), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
console.log(`demo LDAP variant written to ${relative(process.cwd(), target) || "."} (directory ${url})`);

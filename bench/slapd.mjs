/**
 * A real OpenLDAP server for the LDAP package's tests and bench:fulfill (test/helpers/slapd.ts
 * re-exports it; plain JS so that the bench runs it without a TypeScript loader): slapd on 127.0.0.1, a free port, a throw-away
 * mdb database under a temporary folder (suffix dc=example,dc=org unless told), the memberof overlay,
 * core/cosine/inetOrgPerson/nis, and extra schema files (test/fixtures/ldap/ad-lite.schema for the
 * demo's AD attributes). Its root password
 * stays in the 0600 configuration file: never on slapd's command line, where the process list shows it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "ldapts";

export const SLAPD = "/usr/sbin/slapd";
const SCHEMA_DIR = "/etc/ldap/schema";
const MODULE_DIR = "/usr/lib/ldap";
export const SUFFIX = "dc=example,dc=org";
export const ROOT_DN = `cn=admin,${SUFFIX}`;

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function configuration(folder, password, sync, suffix, rootDn, extra) {
  const schemas = ["core", "cosine", "inetorgperson", "nis"].map((s) => join(SCHEMA_DIR, `${s}.schema`));
  return [
    ...[...schemas, ...extra].map((s) => `include ${s}`),
    `pidfile ${join(folder, "slapd.pid")}`,
    `modulepath ${MODULE_DIR}`,
    "moduleload back_mdb",
    "moduleload memberof",
    "database mdb",
    // Without the flush of every write: a benchmark on a shared disk measures the disk otherwise.
    ...(sync ? [] : ["dbnosync"]),
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${password}`,
    `directory ${join(folder, "db")}`,
    "maxsize 104857600",
    "index objectClass eq",
    "index entryUUID eq",
    "overlay memberof",
    "memberof-group-oc groupOfNames",
    "memberof-member-ad member",
    "memberof-memberof-ad memberOf",
    "memberof-refint true",
    "",
  ].join("\n");
}

/**
 * Starts slapd and waits until it answers a bind; fails when slapd is not installed. `sync: false`:
 * writes not flushed to disk; `suffix` (`dc=…` first); `schemas`: files included after the standard ones.
 */
export async function startSlapd({ sync = true, suffix = SUFFIX, schemas = [] } = {}) {
  const rootDn = `cn=admin,${suffix}`;
  const dc = /^dc=([^,]+)/i.exec(suffix)?.[1];
  if (dc === undefined) throw new Error(`slapd suffix ${suffix} must start with dc=`);
  if (!existsSync(SLAPD)) throw new Error(`${SLAPD} is missing: install the Debian package slapd (.ci/run does) to run the LDAP tests`);
  const folder = mkdtempSync(join(tmpdir(), "idm-slapd-"));
  mkdirSync(join(folder, "db"));
  const password = `pw-${randomBytes(9).toString("hex")}`;
  const conf = join(folder, "slapd.conf");
  writeFileSync(conf, configuration(folder, password, sync, suffix, rootDn, schemas), { mode: 0o600 });
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let output = "";
  // -d 0: stay in the foreground (a child to kill) without debug output; errors still go to stderr.
  const child = spawn(SLAPD, ["-f", conf, "-h", `${url}/`, "-d", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d) => (output += d.toString()));
  child.stderr?.on("data", (d) => (output += d.toString()));
  let exited = false;
  const exit = new Promise((resolve) => child.once("exit", () => ((exited = true), resolve())));
  const clients = [];
  const stop = async () => {
    for (const c of clients.splice(0)) await c.unbind().catch(() => undefined);
    if (!exited) {
      child.kill("SIGTERM");
      await Promise.race([exit, new Promise((r) => setTimeout(r, 3000))]);
      if (!exited) child.kill("SIGKILL");
      await exit;
    }
    rmSync(folder, { recursive: true, force: true });
  };
  const admin = async () => {
    const client = new Client({ url, timeout: 5000, connectTimeout: 2000 });
    await client.bind(rootDn, password);
    clients.push(client);
    return client;
  };
  try {
    await waitUntilBound(url, rootDn, password, () => exited, () => output);
    const client = await admin();
    await client.add(suffix, { objectClass: ["top", "dcObject", "organization"], dc, o: dc });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, suffix, rootDn, password, admin, stop };
}

async function waitUntilBound(url, rootDn, password, exited, output) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited()) throw new Error(`slapd exited at start: ${output().trim()}`);
    const client = new Client({ url, connectTimeout: 500 });
    try {
      await client.bind(rootDn, password);
      await client.unbind();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`slapd did not answer on ${url} within 10 s: ${output().trim()}`, { cause: error });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

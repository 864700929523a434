// npm run bench:fulfill — 10,000 provisioning orders (50% Added, 40% Modified, 10% Deleted,
// interleaved like a night's run) through the fulfilment packages on their own, FulfilOrder objects
// built in memory and handed over in FulfillTask's batches (DEFAULT_BATCH_SIZE per apply call):
// - SQL (sql-package.ts) into a table holding the rows the Modified and Deleted orders name, on SQLite
//   and, when IDM_TEST_POSTGRES_URL is set, PostgreSQL. Its limit: the same statements (sql-statements.ts's
//   text: per order SAVEPOINT, SELECT of the row, INSERT / UPDATE of the changed columns / DELETE,
//   RELEASE; BEGIN … COMMIT per batch) sent straight through the driver of a connection the product's
//   way of opening made (same pragmas), as prepared statements: better-sqlite3 statements prepared once,
//   pg named statements. Target: package ≤ 2 × raw.
// - LDAP (fulfil-ldap.ts) into a throw-away slapd (bench/slapd.mjs) holding the entries the Modified
//   and Deleted orders name. Its limit: the same requests by ldapts on one bound client, built before
//   the timing (add with the same attributes; modify with the same replaces and the same two controls,
//   permissive modify and the "not yet applied" assertion; delete). Target: package ≤ 1.5 × raw.
// Each run is a child process of its own (this script with --run <target> <raw|package>) starting from
// a fresh table or a fresh slapd with the same rows; raw and package runs alternate IDM_BENCH_FULFILL_RUNS
// times (5). Only the apply loop is timed (both sides connect before it). Each run's end state is
// checked, and must be the same on both sides. IDM_BENCH_FULFILL_ORDERS sets a smaller (or larger) size.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { AndFilter, Attribute, Change, Client, EqualityFilter, NotFilter } from "ldapts";
import { DataSource } from "typeorm";
import { sqlPackage } from "../dist/connectors/fulfil/sql-package.js";
import { deleteRow, insertColumns, savepoint, selectRow, updateColumns } from "../dist/connectors/fulfil/sql-statements.js";
import { ldapFulfilPackage } from "../dist/connectors/ldap/fulfil-ldap.js";
import { AssertionControl, PermissiveModifyControl } from "../dist/connectors/ldap/ldap-client.js";
import { DEFAULT_BATCH_SIZE } from "../dist/domain/provisioning/fulfil.js";
import { parseDatabaseUrl } from "../dist/store/database-url.js";
import { DIALECTS } from "../dist/store/dialects/index.js";
import { openStore } from "../dist/store/store.js";
import { startSlapd, SUFFIX } from "./slapd.mjs";
import { fmt, maxRssMb, median, spread, timed } from "./measure.mjs";

const ORDERS = Number(process.env.IDM_BENCH_FULFILL_ORDERS ?? 10_000);
const RUNS = Number(process.env.IDM_BENCH_FULFILL_RUNS ?? 5);
const BATCH = DEFAULT_BATCH_SIZE;
// slapd flushes every write to disk unless told not to: on a shared disk that measures the disk (one
// run with the flush took 9 to 60 s per side, alike on both). IDM_BENCH_FULFILL_SLAPD_SYNC=1 keeps it.
const SLAPD_SYNC = process.env.IDM_BENCH_FULFILL_SLAPD_SYNC === "1";
const TARGET = { sql: 2, ldap: 1.5 };
const KEY_COLUMN = "sAMAccountName";
const COLUMNS = [KEY_COLUMN, "mail", "displayName", "employeeID", "manager"];
const PEOPLE = `ou=people,${SUFFIX}`;
const BOSS = `cn=boss,${PEOPLE}`;

// ---------------------------------------------------------------------------------------------
// The orders: i % 10 in 0–4 Added (a new key), 5–8 Modified, 9 Deleted (a key the target holds).

const kindOf = (i) => (i % 10 < 5 ? "Added" : i % 10 < 9 ? "Modified" : "Deleted");
const existing = () => Array.from({ length: ORDERS }, (_, i) => i).filter((i) => kindOf(i) !== "Added");
const RESOURCE_TYPE = { Id: "1", Identifier: "Bench_Account", SourceEntityType: { Id: "1", Identifier: "Bench_Person" }, TargetEntityType: { Id: "2", Identifier: "Bench_Entry" } };
const fulfilOrder = (i, ChangeType, Changes, Resource) => ({
  id: i + 1,
  order: { AssignedResourceTypeId: String(i + 1), ChangeType, Owner: { Id: String(i), Identifier: `P${i}` }, ResourceType: RESOURCE_TYPE, Changes, ...(Resource ? { Resource } : {}) },
});

function sqlOrders() {
  return Array.from({ length: ORDERS }, (_, i) => {
    const key = kindOf(i) === "Added" ? `n${i}` : `u${i}`;
    const resource = { Id: String(i), Identifier: key, [KEY_COLUMN]: key };
    if (kindOf(i) === "Added") {
      return fulfilOrder(i, "Added", { [KEY_COLUMN]: key, mail: `${key}@example.org`, displayName: `Person ${i}`, employeeID: `E${i}`, manager: { Id: "1", Identifier: "boss" } });
    }
    if (kindOf(i) === "Modified") return fulfilOrder(i, "Modified", { mail: `${key}@new.example.org`, displayName: `Person ${i} (renamed)` }, resource);
    return fulfilOrder(i, "Deleted", {}, resource);
  });
}

const ldapDn = (key) => `cn=${key},${PEOPLE}`;
function ldapOrders() {
  return Array.from({ length: ORDERS }, (_, i) => {
    const key = kindOf(i) === "Added" ? `n${i}` : `u${i}`;
    const resource = { Id: String(i), Identifier: ldapDn(key), dn: ldapDn(key) };
    if (kindOf(i) === "Added") {
      return fulfilOrder(i, "Added", { cn: key, sn: `Person ${i}`, mail: `${key}@example.org`, employeeNumber: `E${i}`, manager: { Id: "1", Identifier: BOSS } });
    }
    if (kindOf(i) === "Modified") return fulfilOrder(i, "Modified", { mail: `${key}@new.example.org`, telephoneNumber: `+33 1 ${String(i).padStart(8, "0")}` }, resource);
    return fulfilOrder(i, "Deleted", {}, resource);
  });
}

const batches = (orders) => Array.from({ length: Math.ceil(orders.length / BATCH) }, (_, b) => orders.slice(b * BATCH, (b + 1) * BATCH));
const context = (settings) => ({ settings, workFolder: tmpdir(), log: () => undefined });

/** Hands the orders to a package's Fulfiller batch by batch, as FulfillTask does; the outcomes by state. */
async function applyAll(fulfiller, orders) {
  const signal = new AbortController().signal;
  const states = { Executed: 0, Errored: 0, alreadyApplied: 0 };
  for (const batch of batches(orders)) {
    for await (const outcome of fulfiller.apply(batch, signal)) {
      states[outcome.state]++;
      if (outcome.alreadyApplied) states.alreadyApplied++;
    }
  }
  return states;
}

// ---------------------------------------------------------------------------------------------
// SQL: a fresh target table per run (a SQLite file, or a PostgreSQL schema), the starting rows in it.

async function sqlTarget(backend, folder) {
  const postgres = backend === "postgres";
  const url = postgres ? process.env.IDM_TEST_POSTGRES_URL : `sqlite:${join(folder, "target.db")}`;
  const schema = `idm_bench_${randomBytes(4).toString("hex")}`;
  const table = postgres ? `${schema}.accounts` : "accounts";
  const quoted = postgres ? `"${schema}"."accounts"` : `"accounts"`;
  const store = await openStore(url, { migrate: false });
  if (postgres) await store.dataSource.query(`CREATE SCHEMA "${schema}"`);
  await store.dataSource.query(`CREATE TABLE ${quoted} (${COLUMNS.map((c, i) => `"${c}" varchar(200)${i === 0 ? " PRIMARY KEY" : ""}`).join(", ")})`);
  const keys = existing();
  await store.dataSource.transaction(async (m) => {
    for (let s = 0; s < keys.length; s += 100) {
      const chunk = keys.slice(s, s + 100);
      let n = 0;
      const tuples = chunk.map(() => `(${COLUMNS.map(() => (postgres ? `$${++n}` : "?")).join(", ")})`);
      await m.query(`INSERT INTO ${quoted} (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}`,
        chunk.flatMap((i) => [`u${i}`, `u${i}@example.org`, `Person ${i}`, `E${i}`, "boss"]));
    }
  });
  return {
    url, table,
    /** What the table holds at the end: its row count and a hash of its rows in key order. */
    async state() {
      const rows = await store.dataSource.query(`SELECT ${COLUMNS.map((c) => `"${c}"`).join(", ")} FROM ${quoted} ORDER BY "${KEY_COLUMN}"`);
      return { rows: rows.length, hash: createHash("sha256").update(JSON.stringify(rows.map((r) => COLUMNS.map((c) => r[c])))).digest("hex").slice(0, 16) };
    },
    async close() {
      if (postgres) await store.dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await store.close();
    },
  };
}

const sqlRoute = { resourceType: "Bench_Account", connection: "BenchSql", packageName: "Usercube.SQL@0000001", mappingKind: "ResourceTypeMapping", mapping: { Identifier: "Bench_Account", Connection: "BenchSql" } };

async function sqlPackageRun(target, orders) {
  const fulfiller = await sqlPackage.open(sqlRoute, context({ ConnectionString: target.url, Table: target.table, KeyColumn: KEY_COLUMN }));
  try {
    return await timed(() => applyAll(fulfiller, orders));
  } finally {
    await fulfiller.close();
  }
}

/**
 * Each order's statements, as sql-statements.ts writes them and the package sends them: those the
 * package decides on from the row it reads (an Added key is new: INSERT; a Modified row differs in
 * both columns: UPDATE of both; a Deleted row is there: DELETE), known here before the timing.
 */
function rawSqlStatements(target, orders) {
  const table = { dialect: target.dialect, table: target.table, keyColumn: KEY_COLUMN };
  return orders.map(({ order }) => {
    const key = order.Resource?.[KEY_COLUMN] ?? order.Changes[KEY_COLUMN];
    const columns = Object.keys(order.Changes);
    const values = Object.values(order.Changes).map((v) => (typeof v === "object" ? v.Identifier : v));
    if (order.ChangeType === "Added") return [selectRow(table, columns, key), insertColumns(table, columns, values)];
    if (order.ChangeType === "Modified") return [selectRow(table, columns, key), updateColumns(table, columns, values, key)];
    return [selectRow(table, [], key), deleteRow(table, key)];
  });
}

async function sqlRawRun(target, orders) {
  const { dialect, options } = parseDatabaseUrl(target.url);
  const dataSource = new DataSource({ ...options, logging: false });
  DIALECTS[dialect].prepareOpen(options);
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    const connection = await runner.connect(); // better-sqlite3's Database, or pg's Client
    const points = savepoint(dialect);
    const perOrder = rawSqlStatements({ dialect, table: target.table }, orders);
    const work = batches(perOrder);
    if (dialect === "sqlite") {
      const prepared = new Map();
      const prepare = (sql) => prepared.get(sql) ?? prepared.set(sql, connection.prepare(sql)).get(sql);
      const [begin, commit, set, release] = ["BEGIN TRANSACTION", "COMMIT", points.set, points.release].map(prepare);
      const steps = work.map((batch) => batch.map(([select, write]) => [prepare(select.sql), select.parameters, prepare(write.sql), write.parameters]));
      return await timed(() => {
        for (const batch of steps) {
          begin.run();
          for (const [select, selectParameters, write, writeParameters] of batch) {
            set.run();
            select.all(selectParameters);
            write.run(writeParameters);
            release.run();
          }
          commit.run();
        }
        return { Executed: orders.length };
      });
    }
    const names = new Map();
    const named = ({ sql, parameters }) => ({ name: names.get(sql) ?? names.set(sql, `bench_fulfil_${names.size}`).get(sql), text: sql, values: parameters });
    const steps = work.map((batch) => batch.map(([select, write]) => [named(select), named(write)]));
    return await timed(async () => {
      for (const batch of steps) {
        await connection.query("START TRANSACTION");
        for (const [select, write] of batch) {
          await connection.query(points.set);
          await connection.query(select);
          await connection.query(write);
          await connection.query(points.release);
        }
        await connection.query("COMMIT");
      }
      return { Executed: orders.length };
    });
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// LDAP: a fresh slapd per run, ou=people holding the boss and the entries the orders name.

async function ldapTarget() {
  const slapd = await startSlapd({ sync: SLAPD_SYNC });
  const admin = await slapd.admin();
  await admin.add(PEOPLE, { objectClass: "organizationalUnit", ou: "people" });
  await admin.add(BOSS, { objectClass: ["top", "inetOrgPerson"], cn: "boss", sn: "Boss" });
  const keys = existing();
  for (let s = 0; s < keys.length; s += 50) {
    await Promise.all(keys.slice(s, s + 50).map((i) => admin.add(ldapDn(`u${i}`), { objectClass: ["top", "inetOrgPerson"], cn: `u${i}`, sn: `Person ${i}`, mail: `u${i}@example.org` })));
  }
  return {
    slapd,
    async state() {
      const { searchEntries } = await admin.search(PEOPLE, { scope: "one", attributes: ["cn", "sn", "mail", "telephoneNumber", "employeeNumber", "manager"] });
      const rows = searchEntries.map((e) => [e.dn.toLowerCase(), e.sn, e.mail, e.telephoneNumber, e.employeeNumber, e.manager]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return { rows: rows.length, hash: createHash("sha256").update(JSON.stringify(rows)).digest("hex").slice(0, 16) };
    },
    close: () => slapd.stop(),
  };
}

const ldapRoute = {
  resourceType: "Bench_Account", connection: "BenchLdap", packageName: "Usercube.OpenLDAP@0000001", mappingKind: "LdapResourceTypeMapping",
  mapping: { Identifier: "Bench_Account", Connection: "BenchLdap", DefaultObjectClass: "top\ninetOrgPerson", RDNAttributeIdentifier: "cn" },
};

async function ldapPackageRun(target, orders) {
  const { slapd } = target;
  const fulfiller = await ldapFulfilPackage.open(ldapRoute, context({ Server: slapd.url, AuthType: "Basic", Login: slapd.rootDn, Password: slapd.password, BaseDN: PEOPLE }));
  try {
    return await timed(() => applyAll(fulfiller, orders));
  } finally {
    await fulfiller.close();
  }
}

/** Each order's request, as the package sends it, built before the timing. */
function rawLdapRequests(orders) {
  return orders.map(({ order }) => {
    if (order.ChangeType === "Added") {
      const { cn, sn, mail, employeeNumber, manager } = order.Changes;
      return { op: "add", dn: ldapDn(cn), attributes: { cn: [cn], sn: [sn], mail: [mail], employeeNumber: [employeeNumber], manager: [manager.Identifier], objectClass: ["top", "inetOrgPerson"] } };
    }
    if (order.ChangeType === "Deleted") return { op: "del", dn: order.Resource.dn };
    const entries = Object.entries(order.Changes);
    const changes = entries.map(([type, value]) => new Change({ operation: "replace", modification: new Attribute({ type, values: [value] }) }));
    const notYet = new NotFilter({ filter: new AndFilter({ filters: entries.map(([attribute, value]) => new EqualityFilter({ attribute, value })) }) });
    return { op: "modify", dn: order.Resource.dn, changes, controls: [new PermissiveModifyControl(), new AssertionControl(notYet)] };
  });
}

async function ldapRawRun(target, orders) {
  const { slapd } = target;
  const requests = rawLdapRequests(orders);
  const client = new Client({ url: slapd.url, timeout: 30_000, connectTimeout: 10_000, strictDN: false });
  await client.bind(slapd.rootDn, slapd.password);
  try {
    return await timed(async () => {
      for (const r of requests) {
        if (r.op === "add") await client.add(r.dn, r.attributes);
        else if (r.op === "modify") await client.modify(r.dn, r.changes, r.controls);
        else await client.del(r.dn);
      }
      return { Executed: orders.length };
    });
  } finally {
    await client.unbind();
  }
}

// ---------------------------------------------------------------------------------------------
// One run, in a child process: fresh target, the orders built, the apply loop timed, the end state.

async function oneRun(targetName, side) {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), "idm-bench-fulfil-")));
  const ldap = targetName === "ldap";
  const target = ldap ? await ldapTarget() : await sqlTarget(targetName, folder);
  try {
    const orders = ldap ? ldapOrders() : sqlOrders();
    const run = ldap ? (side === "raw" ? ldapRawRun : ldapPackageRun) : side === "raw" ? sqlRawRun : sqlPackageRun;
    const { ms, result, maxRssMb: rss } = await run(target, orders);
    return { ms, outcomes: result, maxRssMb: Math.max(rss, maxRssMb()), end: await target.state() };
  } finally {
    await target.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--run") {
  console.log(JSON.stringify(await oneRun(process.argv[3], process.argv[4])));
  process.exit(0);
}

async function child(targetName, side) {
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", new URL(import.meta.url).pathname, "--run", targetName, side], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop());
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const loadBefore = load();
const targets = ["sqlite", ...(process.env.IDM_TEST_POSTGRES_URL ? ["postgres"] : []), "ldap"];
const results = [];
for (const name of targets) {
  const rounds = [];
  for (let r = 0; r < RUNS; r++) {
    const raw = await child(name, "raw");
    const measured = await child(name, "package");
    if (raw.end.hash !== measured.end.hash || raw.end.rows !== measured.end.rows) {
      throw new Error(`${name}: the raw limit leaves another state than the package (${JSON.stringify(raw.end)} vs ${JSON.stringify(measured.end)})`);
    }
    if (measured.outcomes.Executed !== ORDERS) throw new Error(`${name}: the package executed ${measured.outcomes.Executed} of ${ORDERS} orders: ${JSON.stringify(measured.outcomes)}`);
    rounds.push({ raw, measured });
    process.stderr.write(`${name} round ${r + 1}: raw ${raw.ms.toFixed(0)} ms, package ${measured.ms.toFixed(0)} ms\n`);
  }
  results.push({ name, rounds });
}


console.log(`${fmt(ORDERS)} orders (50% Added, 40% Modified, 10% Deleted), ${BATCH} per apply call; ${RUNS} alternated runs of the raw limit and of the package, medians (min–max)`);
console.log(`${"target".padEnd(22)} ${"raw ms".padEnd(24)} ${"package ms".padEnd(24)} ${"orders/s".padEnd(9)} ${"package / raw".padEnd(20)} ${"limit".padEnd(6)} peak RSS MB`);
for (const { name, rounds } of results) {
  const raw = rounds.map((r) => r.raw.ms);
  const measured = rounds.map((r) => r.measured.ms);
  const ratios = rounds.map((r) => r.measured.ms / r.raw.ms);
  const limit = name === "ldap" ? TARGET.ldap : TARGET.sql;
  const rss = Math.max(...rounds.map((r) => r.measured.maxRssMb));
  const label = name === "ldap" ? "LDAP (slapd)" : `SQL (${name})`;
  console.log(`${label.padEnd(22)} ${spread(raw, fmt).padEnd(24)} ${spread(measured, fmt).padEnd(24)} ${fmt(ORDERS / (median(measured) / 1000)).padEnd(9)} ${spread(ratios, (n) => n.toFixed(2)).padEnd(20)} ${`<= ${limit}`.padEnd(6)} ${fmt(rss)}`);
}
console.log("raw SQL = per order SAVEPOINT, SELECT of the row, INSERT / UPDATE / DELETE, RELEASE (sql-statements.ts's text), BEGIN … COMMIT per batch,");
console.log("  as prepared statements on a connection opened the product's way: better-sqlite3 statements prepared once, pg named statements");
console.log("raw LDAP = the same add / modify (same replaces, permissive-modify and assertion controls) / delete requests, built before the timing, on one bound ldapts client");
console.log(`slapd: back-mdb ${SLAPD_SYNC ? "flushing every write (IDM_BENCH_FULFILL_SLAPD_SYNC=1)" : "with dbnosync (writes not flushed; IDM_BENCH_FULFILL_SLAPD_SYNC=1 flushes them)"}`);
console.log("only the apply loop is timed (both sides connect before it); each run is a child process from a fresh table or slapd with the same rows;");
console.log("peak RSS = the package run's process.resourceUsage().maxRSS (slapd and the database server not counted)");
console.log(`load average (1, 5, 15 min) before: ${loadBefore}, after: ${load()}`);

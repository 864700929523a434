/**
 * The SQL fulfilment package against real tables (SQLite, PostgreSQL): every change type, link
 * tables for multi-valued navigations, their idempotence (an effect already there is Executed "already applied" without a write), the orders it
 * reports Errored, the settings it refuses, a cancel before the first order; and the SQL Server
 * statements as an offline snapshot.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FulfilOrder, FulfilRoute, OrderOutcome, ProvisioningOrder } from "../../../src/connectors/fulfil/fulfiller.js";
import { readSqlFulfilSettings, sqlPackage } from "../../../src/connectors/fulfil/sql-package.js";
import {
  countLink, deleteLink, deleteLinksOf, deleteRow, insertColumns, insertLink, lookupValue, savepoint, selectRow, updateColumns, type LinkTable, type TargetTable as Target,
} from "../../../src/connectors/fulfil/sql-statements.js";
import { BACKENDS, type TestDatabase } from "../../helpers/backends.js";
import { targetTable, type TargetTable } from "../../domain/provisioning/fulfil-fixture.js";

const ROUTE: FulfilRoute = { resourceType: "AD_Account", connection: "ADSql", packageName: "Usercube.SQL@0000001", mappingKind: "ResourceTypeMapping", mapping: {} };
const RESOURCE_TYPE = { Id: "1", Identifier: "AD_Account", SourceEntityType: null, TargetEntityType: null };

function order(id: number, changeType: ProvisioningOrder["ChangeType"], changes: Record<string, unknown>, resource?: Record<string, unknown>): FulfilOrder {
  return { id, order: { AssignedResourceTypeId: String(id), ChangeType: changeType, ResourceType: RESOURCE_TYPE, Changes: changes, ...(resource ? { Resource: resource } : {}) } };
}

async function collect(outcomes: AsyncIterable<OrderOutcome>): Promise<OrderOutcome[]> {
  const all: OrderOutcome[] = [];
  for await (const outcome of outcomes) all.push(outcome);
  return all;
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("SQL package settings", () => {
  it("names the missing or wrong setting, never the password", () => {
    expect(() => readSqlFulfilSettings("ADSql", "AD_Account", {})).toThrow(/^settings Connections\.ADSql\.ConnectionString is missing: add the URL/);
    expect(() => readSqlFulfilSettings("ADSql", "AD_Account", { ConnectionString: "oracle://u:s3cret@h/db", Table: "t" })).toThrow(/^settings Connections\.ADSql\.ConnectionString: unsupported database URL "oracle:\/\/u:\*\*\*@h\/db"/);
    expect(() => readSqlFulfilSettings("ADSql", "AD_Account", { ConnectionString: "sqlite:x.db" })).toThrow(
      "settings Connections.ADSql.Table is missing: add the table ResourceType AD_Account's orders are written to (or Tables.AD_Account)");
    expect(() => readSqlFulfilSettings("ADSql", "AD_Account", { ConnectionString: "sqlite:x.db", Tables: ["t"] })).toThrow("settings Connections.ADSql.Tables must be an object");
    expect(() => readSqlFulfilSettings("ADSql", "AD_Account", { ConnectionString: "sqlite:x.db", Table: "t", KeyColumn: "" })).toThrow("settings Connections.ADSql.KeyColumn must be a non-empty string");
    const settings = readSqlFulfilSettings("ADSql", "AD_Account", { ConnectionString: "sqlite:x.db", Table: "t", Tables: { AD_Account: "accounts" } });
    expect([settings.table, settings.keyColumn, settings.keyProperty]).toEqual(["accounts", "Identifier", "Identifier"]);
    expect(readSqlFulfilSettings("ADSql", "AD_Group", { ConnectionString: "sqlite:x.db", Table: "t", Tables: { AD_Account: "accounts" }, KeyColumn: "k", KeyProperty: "p" }))
      .toMatchObject({ table: "t", keyColumn: "k", keyProperty: "p" });
    const base = { ConnectionString: "sqlite:x.db", Table: "t" };
    expect(() => readSqlFulfilSettings("ADSql", "AD_Account", { ...base, Links: { memberOf: { Table: "m", OwnerColumn: "o" } } })).toThrow("settings Connections.ADSql.Links.memberOf.ValueColumn is missing");
    expect(() => readSqlFulfilSettings("ADSql", "AD_Account", { ...base, Links: { memberOf: { Table: "m", OwnerColumn: "o", ValueColumn: "v", Lookup: { Table: "e" } } } }))
      .toThrow("settings Connections.ADSql.Links.memberOf.Lookup.KeyColumn is missing");
    expect(() => readSqlFulfilSettings("ADSql", "AD_Account", { ...base, Links: [] })).toThrow("settings Connections.ADSql.Links must be an object");
  });

  it("says which database it cannot reach, with the password hidden", async () => {
    const settings = { ConnectionString: "postgres://someone:s3cret-pw@127.0.0.1:1/nowhere", Table: "t" };
    const error = await sqlPackage.open(ROUTE, { settings, workFolder: tmpdir(), log: () => {} }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^Connection ADSql: cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere: /);
    expect(error?.message).not.toContain("s3cret-pw");
  });

  it("handles the SQL packages the project's drivers reach", () => {
    expect(["Usercube.SQL@0000001", "Usercube.SQL.PostgreSQL@0000001", "Usercube.SQL.SQLServer@0000001", "usercube.sql"].map(sqlPackage.handles)).toEqual([true, true, true, true]);
    expect(["Usercube.SQL.Oracle@0000001", "Usercube.SQLite", "Usercube.CSV@0000001"].map(sqlPackage.handles)).toEqual([false, false, false]);
  });
});

describe.each(BACKENDS)("SQL package on %s", (_, backend) => {
  let db: TestDatabase;
  let target: TargetTable;
  const logs: string[] = [];

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    const folder = mkdtempSync(join(tmpdir(), "idm-sql-fulfil-"));
    folders.push(folder);
    target = await targetTable(backend.name, db, folder);
    await target.query(`INSERT INTO <accounts> ("sAMAccountName", "mail", "manager") VALUES ('ada', 'ada@example.com', 'boss'), ('carl', 'carl@example.com', NULL), ('old', NULL, NULL)`);
  });
  afterEach(async () => {
    await target.close();
    await db.drop();
  });

  async function apply(orders: FulfilOrder[], more: Record<string, unknown> = {}, signal = new AbortController().signal): Promise<OrderOutcome[]> {
    const settings = { ConnectionString: target.url, Table: target.table, KeyColumn: "sAMAccountName", ...more };
    const fulfiller = await sqlPackage.open(ROUTE, { settings, workFolder: tmpdir(), log: (_level, message) => logs.push(message) });
    try {
      return await collect(fulfiller.apply(orders, signal));
    } finally {
      await fulfiller.close();
    }
  }

  it("inserts, updates and deletes by key, and finds an effect already there without writing it again", async () => {
    const t = target.table;
    const outcomes = await apply([
      order(1, "Added", { sAMAccountName: "bob", mail: "bob@example.com", manager: { Id: "9", Identifier: "ada" } }),
      order(2, "Added", { sAMAccountName: "carl", mail: "carl@new.example.com" }),
      order(3, "Added", { sAMAccountName: "ada", mail: "ada@example.com" }),
      order(4, "Modified", { mail: null, employeeID: "E4" }, { Id: "4", Identifier: "ada", sAMAccountName: "ada" }),
      order(5, "Modified", { manager: null }, { Id: "5", Identifier: "carl" }),
      order(6, "Deleted", {}, { Id: "6", Identifier: "old" }),
      order(7, "Deleted", {}, { Id: "7", Identifier: "never" }),
    ]);
    expect(outcomes).toEqual([
      { id: 1, state: "Executed", message: `inserted the row of ${t} with sAMAccountName = bob` },
      { id: 2, state: "Executed", message: `updated mail of the row of ${t} with sAMAccountName = carl` },
      { id: 3, state: "Executed", message: `already applied: the row of ${t} with sAMAccountName = ada has the order's values`, alreadyApplied: true },
      { id: 4, state: "Executed", message: `updated mail, employeeID of the row of ${t} with sAMAccountName = ada` },
      { id: 5, state: "Executed", message: `already applied: the row of ${t} with sAMAccountName = carl has the order's values`, alreadyApplied: true },
      { id: 6, state: "Executed", message: `deleted the row of ${t} with sAMAccountName = old` },
      { id: 7, state: "Executed", message: `already applied: no row of ${t} has sAMAccountName = never`, alreadyApplied: true },
    ]);
    expect(await target.rows()).toEqual([
      { sAMAccountName: "ada", mail: null, employeeID: "E4", manager: "boss" },
      { sAMAccountName: "bob", mail: "bob@example.com", employeeID: null, manager: "ada" },
      { sAMAccountName: "carl", mail: "carl@new.example.com", employeeID: null, manager: null },
    ]);
    expect(logs).toContain(`Connection ADSql: ResourceType AD_Account to table ${t} of ${target.url}`);

    // The same orders again (a rerun after a kill): every one is there already, nothing is written.
    const again = await apply([
      order(1, "Added", { sAMAccountName: "bob", mail: "bob@example.com", manager: { Id: "9", Identifier: "ada" } }),
      order(6, "Deleted", {}, { Id: "6", Identifier: "old" }),
    ]);
    expect(again.map((o) => o.alreadyApplied)).toEqual([true, true]);
  });

  it("takes an Added order's key from KeyProperty, and reports Errored what it cannot write, the other orders going on", async () => {
    const outcomes = await apply([
      order(1, "Added", { accountName: "dan", mail: "dan@example.com" }),
      order(2, "Added", { mail: "nokey@example.com" }),
      order(3, "Modified", { member_add: [{ Id: "1", Identifier: "g" }] }, { Identifier: "ada" }),
      order(4, "Modified", { mail: "x@example.com" }, { Identifier: "nobody" }),
      order(5, "Modified", { mail: "x@example.com" }, { Id: "5" }),
      order(6, "Modified", { phone: "123" }, { Identifier: "ada" }),
      order(7, "Modified", { mail: "ada@example.org" }, { accountName: "ada" }),
    ], { KeyProperty: "accountName" });
    expect(outcomes.map((o) => [o.id, o.state])).toEqual([[1, "Executed"], [2, "Errored"], [3, "Errored"], [4, "Errored"], [5, "Errored"], [6, "Errored"], [7, "Executed"]]);
    expect(outcomes[1]!.message).toBe("an Added order needs its key: Changes has no accountName (settings Connections.ADSql.KeyProperty)");
    expect(outcomes[2]!.message).toMatch(/^the multi-valued property member \(member_add\) has no place in one row of /);
    expect(outcomes[3]!.message).toBe(`no row of ${target.table} has sAMAccountName = nobody: nothing to modify`);
    expect(outcomes[4]!.message).toBe("a Modified order needs the target's key: its Resource has no accountName nor Identifier");
    // The database's own message, for a column the table does not have.
    expect(outcomes[5]!.message).toMatch(new RegExp(`^${target.table.replace(".", "\\.")}: .*phone`));
    expect((await target.rows()).map((r) => [r.sAMAccountName, r.mail])).toEqual([
      ["ada", "ada@example.org"], ["carl", "carl@example.com"], ["dan", "dan@example.com"], ["old", null],
    ]);
  });

  it("writes a multi-valued navigation as rows of its Links table, its references looked up, idempotently; a Deleted order deletes its owner's links", async () => {
    const named = (table: string) => target.table.replace(/accounts$/, table);
    const quoted = (table: string) => named(table).split(".").map((p) => `"${p}"`).join(".");
    await target.query(`CREATE TABLE ${quoted("members")} ("member" varchar(100) NOT NULL, "grp" varchar(200) NOT NULL)`);
    await target.query(`CREATE TABLE ${quoted("groups")} ("guid" varchar(40) PRIMARY KEY, "dn" varchar(200) NOT NULL)`);
    await target.query(`INSERT INTO ${quoted("groups")} ("guid", "dn") VALUES ('g1', 'CN=G1'), ('g2', 'CN=G2'), ('g3', 'CN=G3')`);
    await target.query(`INSERT INTO ${quoted("members")} ("member", "grp") VALUES ('ada', 'CN=G1'), ('ada', 'CN=G3'), ('old', 'CN=G1')`);
    const members = async () => (await target.query(`SELECT "member", "grp" FROM ${quoted("members")} ORDER BY "member", "grp"`)).map((r) => `${String(r.member)} ${String(r.grp)}`);
    const links = { Links: { memberOf: { Table: named("members"), OwnerColumn: "member", ValueColumn: "grp", Lookup: { Table: named("groups"), KeyColumn: "guid", Column: "dn" } } } };
    const ref = (guid: string) => ({ Id: guid.slice(1), Identifier: guid });
    const orders = [
      order(1, "Added", { sAMAccountName: "bob", mail: "bob@example.com", memberOf_add: [ref("g1"), ref("g2")] }),
      order(2, "Modified", { memberOf_add: [ref("g2")], memberOf_remove: [ref("g3")] }, { Identifier: "ada" }),
      order(3, "Deleted", {}, { Identifier: "old" }),
      order(4, "Modified", { memberOf_add: [ref("g9")] }, { Identifier: "carl" }),
    ];
    const outcomes = await apply(orders, links);
    const t = target.table;
    const m = named("members");
    expect(outcomes).toEqual([
      { id: 1, state: "Executed", message: `inserted the row of ${t} with sAMAccountName = bob; memberOf: 2 added, 0 removed in ${m}` },
      { id: 2, state: "Executed", message: `memberOf: 1 added, 1 removed in ${m}` },
      { id: 3, state: "Executed", message: `deleted the row of ${t} with sAMAccountName = old` },
      { id: 4, state: "Errored", message: `${t}: memberOf: no row of ${named("groups")} has guid = g9 (Links.memberOf.Lookup)` },
    ]);
    expect(await members()).toEqual(["ada CN=G1", "ada CN=G2", "bob CN=G1", "bob CN=G2"]);

    // Again (a rerun after a kill): every effect is there, nothing is written.
    const again = await apply(orders.slice(0, 3), links);
    expect(again.map((o) => [o.id, o.alreadyApplied])).toEqual([[1, true], [2, true], [3, true]]);
    expect(await members()).toEqual(["ada CN=G1", "ada CN=G2", "bob CN=G1", "bob CN=G2"]);

    // Without a lookup the Identifier is the value.
    const plain = await apply([order(5, "Modified", { memberOf_add: [ref("CN=G7")] }, { Identifier: "carl" })], { Links: { memberOf: { Table: m, OwnerColumn: "member", ValueColumn: "grp" } } });
    expect(plain[0]!.state).toBe("Executed");
    expect(await members()).toContain("carl CN=G7");
  });

  it("applies nothing once the signal is aborted: the orders not reached have no outcome", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await apply([order(1, "Added", { sAMAccountName: "bob" }), order(2, "Deleted", {}, { Identifier: "old" })], {}, controller.signal)).toEqual([]);
    expect((await target.rows()).map((r) => r.sAMAccountName)).toEqual(["ada", "carl", "old"]);
  });

  it("applies a batch once, from the first next on, however many nexts wait for its commit", async () => {
    const settings = { ConnectionString: target.url, Table: target.table, KeyColumn: "sAMAccountName" };
    const fulfiller = await sqlPackage.open(ROUTE, { settings, workFolder: tmpdir(), log: () => {} });
    try {
      const outcomes = fulfiller.apply([order(1, "Added", { sAMAccountName: "bob" }), order(2, "Deleted", {}, { Identifier: "old" })], new AbortController().signal);
      expect((await target.rows()).map((r) => r.sAMAccountName)).toEqual(["ada", "carl", "old"]);
      const iterator = outcomes[Symbol.asyncIterator]();
      const results = await Promise.all([iterator.next(), iterator.next(), iterator.next()]);
      expect(results.map((r) => (r.done === true ? "done" : `${r.value.id} ${r.value.message}`))).toEqual([
        `1 inserted the row of ${target.table} with sAMAccountName = bob`,
        `2 deleted the row of ${target.table} with sAMAccountName = old`,
        "done",
      ]);
      expect((await target.rows()).map((r) => r.sAMAccountName)).toEqual(["ada", "bob", "carl"]);
    } finally {
      await fulfiller.close();
    }
  });
});

describe("SQL package on SQL Server (offline)", () => {
  it("quotes the table, schema and columns with brackets and binds every value", async () => {
    const target: Target = { dialect: "mssql", table: "idm.accounts", keyColumn: "sAMAccount]Name" };
    const values = new Map<string, string | number | null>([["mail", "bob@example.com"], ["employeeID", 42], ["manager", null]]);
    const show = ({ sql, parameters }: { sql: string; parameters: unknown[] }) => `${sql};  -- ${parameters.map((p, i) => `@${i} = ${JSON.stringify(p)}`).join(", ")}`;
    const link: LinkTable = { dialect: "mssql", table: "idm.members", ownerColumn: "member", valueColumn: "dn" };
    const points = savepoint("mssql");
    const text = [
      "-- Generated offline by test/connectors/fulfil/sql-package.test.ts: the SQL package's statements on SQL Server, one per line.",
      `${points.set};`,
      show(selectRow(target, ["mail", "employeeID", "manager"], "bob")),
      show(insertColumns(target, ["sAMAccount]Name", ...values.keys()], ["bob", ...values.values()])),
      show(updateColumns(target, [...values.keys()], [...values.values()], "bob")),
      show(deleteRow(target, "bob")),
      show(countLink(link, "bob", "CN=G1")),
      show(insertLink(link, "bob", "CN=G1")),
      show(deleteLink(link, "bob", "CN=G1")),
      show(deleteLinksOf(link, "bob")),
      show(lookupValue("mssql", { table: "idm.entries", keyColumn: "objectGUID", column: "dn" }, "g1")),
      `${points.rollback};`,
      "",
    ].join("\n");
    await expect(text).toMatchFileSnapshot("snapshots/mssql-sql-package.sql");
  });
});

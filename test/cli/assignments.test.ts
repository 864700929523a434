/**
 * `idm assignments` and `idm orders` as a user runs them (the built CLI), on assignments and orders
 * seeded through the assignment store: text and JSON, the empty answers, unknown names with a
 * did-you-mean and their exit codes.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import { idm } from "../helpers/idm-process.js";
import { dropProcessDatabases, PROCESS_DATABASES } from "../helpers/process-databases.js";
import { seedAssignments, seedOrders } from "../domain/rolemodel/report-seed.js";

afterAll(dropProcessDatabases);

describe.each(PROCESS_DATABASES)("idm assignments and idm orders on $name", (database) => {
  let run: (...args: string[]) => ReturnType<typeof idm>;
  let ids: Map<string, Map<string, number>>;

  beforeAll(async () => {
    const cwd = mkdtempSync(join(tmpdir(), "idm-assignments-"));
    const url = await database.create(cwd);
    run = (...args: string[]) => idm(cwd, "--database", url, ...args);
    const store = await openStore(url);
    try {
      const seeded = await seedAssignments(store);
      await seedOrders(store, seeded);
      ids = seeded.ids;
    } finally {
      await store.close();
    }
  });

  it("prints an owner's assignments, each with the rule that produced it as file:line", () => {
    const result = run("assignments", "HR_Person", "p1");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`HR_Person p1
  contexts
    Department=SALES  rule, from 2026-01-02T03:04:05Z to 2027-01-01  RoleModel/Context.xml:3
  roles
    Employee (composite)  rule, PolicyApproved, from 2026-01-02T03:04:05Z  RoleModel/Roles.xml:7
    Sales_Reader (single)  inferred, PolicyApproved, from 2026-01-02T03:04:05Z  RoleModel/Roles.xml:9
    Auditor (single)  manual, Approved, from 2026-01-02T03:04:05Z
  resource types
    AD_Account → AD_Entry ada.l  Pending  rule  RoleModel/AD.xml:12
      correlated by RoleModel/Rules.xml:4, confidence 120
      mail         policy "p1@example.com"  current "old@example.com"  Pending
      memberOf     policy AD_Entry grp_sales  current —  Pending
      memberOf     policy —  current AD_Entry grp_old  Pending
      description  policy "kept"  current "kept"  Verified
  risks
    Sales_And_Audit  rule, PolicyApproved, from 2026-01-02T03:04:05Z  RoleModel/Risks.xml:5
`);
  });

  it("prints the issue's JSON: every owner that holds something, or the one named even when it holds nothing", () => {
    const all = run("assignments", "HR_Person", "--json");
    expect(all.status).toBe(0);
    const owners = JSON.parse(all.stdout) as { resource: { key: string }; resourceTypes: { target: unknown; values: unknown[] }[] }[];
    expect(owners.map((o) => o.resource.key)).toEqual(["p1", "p2"]);
    expect(owners[1]!.resourceTypes[0]).toEqual({
      resourceType: "AD_Account", target: null, correlation: null, origin: "rule", rule: "RoleModel/AD.xml:12", provisioningState: "Pending",
      values: [{ property: "sAMAccountName", policyValue: "p2", currentValue: null, state: "Pending" }],
    });
    expect(owners[0]!.resourceTypes[0]!.target).toEqual({ entityType: "AD_Entry", key: "ada.l", id: ids.get("AD_Entry")!.get("ada.l") });

    const none = run("assignments", "HR_Person", "p3", "--json");
    expect(JSON.parse(none.stdout)).toEqual([{ resource: { entityType: "HR_Person", key: "p3", id: ids.get("HR_Person")!.get("p3") }, contexts: [], roles: [], resourceTypes: [], risks: [] }]);
    expect(run("assignments", "HR_Person", "p3").stdout).toBe("HR_Person p3\n  holds no assignment\n");
    expect(run("assignments", "AD_Entry").stdout).toBe("No AD_Entry holds an assignment.\n");
    expect(JSON.parse(run("assignments", "AD_Entry", "--json").stdout)).toEqual([]);
  });

  it("refuses an unknown entity type (exit 64) or key (exit 3) with a did-you-mean", () => {
    const type = run("assignments", "HR_Persn");
    expect(type.status).toBe(64);
    expect(type.stderr).toContain("no entity type HR_Persn is deployed; did you mean HR_Person?");
    const key = run("assignments", "HR_Person", "p9");
    expect(key.status).toBe(3);
    expect(key.stderr).toContain("HR_Person has no resource with the key p9; did you mean p1?");
    expect(key.stdout).toBe("");
  });

  it("prints the orders, filtered by resource type and state, as text and as the issue's JSON", () => {
    const text = run("orders");
    expect(text.status).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(/^#\d+ {2}Transmitted {6}Added {4}AD_Account {2}HR_Person p2 → new resource {2}ProvisioningOrders\/AD\/AD_Account-7-0001\.json$/);
    expect(lines[1]).toBe(`    {"sAMAccountName":"p2"}`);
    expect(lines[2]).toMatch(/^#\d+ {2}AwaitingApproval Modified AD_Account {2}HR_Person p1 → AD_Entry ada\.l$/);

    const blocked = JSON.parse(run("orders", "--resource-type", "AD_Account", "--state", "AwaitingApproval", "--json").stdout) as unknown[];
    expect(blocked).toEqual([{
      id: expect.any(Number), assignment: expect.any(Number), resourceType: "AD_Account", changeType: "Modified", owner: { entityType: "HR_Person", key: "p1" }, target: { entityType: "AD_Entry", key: "ada.l" },
      changes: { mail: "p1@example.com" }, state: "AwaitingApproval", file: null,
    }]);
    // The held-change words of before still work, as aliases.
    expect(JSON.parse(run("orders", "--state", "blocked", "--json").stdout)).toEqual(blocked);
    expect(run("orders", "--state", "discarded").stdout).toBe("No discarded provisioning order is recorded.\n");
    expect(JSON.parse(run("orders", "--state", "discarded", "--json").stdout)).toEqual([]);
  });

  it("refuses an unknown resource type with a did-you-mean and an unknown state (exit 64)", () => {
    const type = run("orders", "--resource-type", "AD_Acount");
    expect(type.status).toBe(64);
    expect(type.stderr).toContain("no resource type AD_Acount is deployed; did you mean AD_Account?");
    const state = run("orders", "--state", "done");
    expect(state.status).toBe(64);
    expect(state.stderr).toContain("--state must be one of AwaitingApproval, Pending, Transmitted, Executed, Errored, Verified, Declined, Discarded");
  });
});

import { describe, expect, it } from "vitest";
import { applyDelta } from "../../../../src/domain/rolemodel/evaluate/apply-delta.js";
import type { AssignmentDelta, ResourceTypeAssignment, StoredAssignment, ValueAssignment } from "../../../../src/domain/rolemodel/evaluate/assignments.js";
import { expectedAssignments } from "../../../../src/domain/rolemodel/evaluate/expected.js";
import type { PolicyModel, ResourceType, TargetValues } from "../../../../src/domain/rolemodel/evaluate/model.js";
import { reconcile, type ReconcileOptions } from "../../../../src/domain/rolemodel/evaluate/reconcile.js";
import { NOW, candidate, context, model, navigationRule, owner, queryRule, resourceType, role, scalarRule, singleRule, typeRule, type OwnerOptions } from "./fixture.js";

// The rules are built once, so that stored rows can name the rule that produced them.
const TYPE = typeRule({ singleRole: "VPN" });
const LOGIN = scalarRule("login", { comparisonType: "IgnoreCase" });
const GROUP = navigationRule("memberOf", { resource: "G_VPN", singleRole: "VPN" });
const VPN = singleRule("VPN");
const AD = (more: Partial<ResourceType> = {}) => resourceType("AD", { typeRules: [TYPE], scalarRules: [LOGIN], navigationRules: [GROUP], ...more });
const policy = (rt: ResourceType = AD()): PolicyModel => model({ singleRoles: [role("VPN")], singleRoleRules: [VPN], resourceTypes: [rt] });

const T1 = { id: "t1", key: "key-t1" };
const VALUES = { "AD.login": ["jdoe"] };

let ids = 0;
const newId = () => `n${++ids}`;

/** Evaluate and reconcile an owner against its stored rows. */
function run(m: PolicyModel, options: OwnerOptions, extra: Partial<ReconcileOptions> = {}): AssignmentDelta {
  const o = owner({ values: VALUES, ...options });
  return reconcile(expectedAssignments(o, m, NOW), o.existing, o.targets, { model: m, ...extra });
}

/** Evaluate, save, evaluate again over what was saved: the second delta must be empty. */
function settle(m: PolicyModel, options: OwnerOptions, extra: Partial<ReconcileOptions> = {}): StoredAssignment[] {
  const first = run(m, options, extra);
  const stored = applyDelta(options.existing ?? [], first, newId);
  expect(run(m, { ...options, existing: stored }, extra).changes).toEqual([]);
  return stored;
}

/** The changes in words, sorted: their order carries no meaning. */
const states = (delta: AssignmentDelta) =>
  delta.changes
    .map((c) => {
    const row = c.change === "insert" || c.change === "update" ? c.row : c.row;
    const what = row.kind === "resourceType" ? `RT ${row.target?.id ?? "-"}` : "property" in row ? `${row.property}=${String(row.policyValue)}` : "role" in row ? row.role : row.kind;
    const state = "provisioningState" in row && (c.change === "insert" || c.change === "update") ? ` ${row.provisioningState}${row.changeType ? `/${row.changeType}` : ""}` : "";
    return `${c.change} ${what}${state}`;
    })
    .sort();

function rtRow(more: Partial<ResourceTypeAssignment> & { id: string }): StoredAssignment {
  return {
    kind: "resourceType", resourceType: "AD", target: T1, correlation: null, origin: "inferred", workflowState: "PolicyApproved", rule: TYPE.source,
    validFrom: null, validTo: null, provisioningState: "Verified", changeType: null, heldBack: null, ...more,
  };
}

function valueRow(more: Partial<ValueAssignment> & { id: string }): StoredAssignment {
  return {
    kind: "scalar", resourceType: "AD", target: T1, property: "login", policyValue: "jdoe", currentValue: null, comparisonType: "IgnoreCase", isMapped: true,
    confidence: null, origin: "rule", workflowState: "PolicyApproved", rule: LOGIN.source, validFrom: null, validTo: null, provisioningState: "Pending",
    changeType: "Modified", questioned: false, ...more,
  };
}

describe("reconcile: provisioning states", () => {
  it("a new owner: roles inserted, a creation Pending with its values", () => {
    expect(states(run(policy(), {}))).toEqual(["insert VPN", "insert RT - Pending/Added", "insert login=jdoe Pending/Added", "insert memberOf=G_VPN Pending/Added"].sort());
  });

  it("BlockProvisioning, AllowAdd=false and the task's flags make the orders wait for a review", () => {
    const awaiting = ["insert VPN", "insert RT - AwaitingApproval/Added", "insert login=jdoe AwaitingApproval/Added", "insert memberOf=G_VPN AwaitingApproval/Added"];
    awaiting.sort();
    expect(states(run(policy(AD({ blockProvisioning: true })), {}))).toEqual(awaiting);
    expect(states(run(policy(), {}, { blockProvisioning: true }))).toEqual(awaiting);
    expect(states(run(policy(), {}, { blockAllResourceTypeProvisioning: true }))).toEqual(awaiting);
    expect(states(run(policy(AD({ allowAdd: false })), {}))).toContain("insert RT - AwaitingApproval/Added");
    expect(states(run(policy(AD({ allowAdd: false })), {}))).toContain("insert login=jdoe Pending/Added");
  });

  it("values the target already holds are Verified (by the rule's ComparisonType); the others Pending", () => {
    const targets: TargetValues = new Map([["t1", { login: "JDOE", memberOf: ["G_OTHER"] }]]);
    const delta = run(policy(), { candidates: { AD: [candidate("t1", 120)] }, targets });
    expect(states(delta)).toEqual(["insert VPN", "insert RT t1 Verified", "insert login=jdoe Verified", "insert memberOf=G_VPN Pending/Added"].sort());
    const login = delta.changes.find((c) => c.change === "insert" && c.row.kind === "scalar");
    expect(login?.change === "insert" && login.row.kind === "scalar" && login.row.currentValue).toBe("JDOE");
  });

  it("a scalar the target holds differently is Modified; a query value below 100 waits for review", () => {
    const rt = AD({ queryRules: [queryRule("manager", 80)] });
    const delta = run(policy(rt), { values: { ...VALUES, "AD.manager@80": ["boss"] }, candidates: { AD: [candidate("t1", 120)] }, targets: new Map([["t1", { login: "old", memberOf: ["G_VPN"] }]]) });
    expect(states(delta)).toContain("insert login=jdoe Pending/Modified");
    expect(states(delta)).toContain("insert manager=boss AwaitingApproval/Added");
  });

  it("an order on its way stays as it is; a changed policy value makes a new one; drift from Verified too", () => {
    const targets: TargetValues = new Map([["t1", { login: "old", memberOf: ["G_VPN"] }]]);
    const base = [rtRow({ id: "r" }), valueRow({ id: "v", provisioningState: "Transmitted", currentValue: "old" })];
    const inFlight = run(policy(), { existing: base, targets });
    expect(states(inFlight).filter((s) => s.includes("login"))).toEqual([]);
    const changed = run(policy(), { existing: base, targets, values: { "AD.login": ["jsmith"] } });
    expect(states(changed)).toContain("update login=jsmith Pending/Modified");
    const drifted = run(policy(), { existing: [rtRow({ id: "r" }), valueRow({ id: "v", provisioningState: "Verified", changeType: null })], targets });
    expect(states(drifted)).toContain("update login=jdoe Pending/Modified");
  });

  it("a declined order (Inactive) stays declined while the same change is expected; a changed policy value makes a new one", () => {
    const targets: TargetValues = new Map([["t1", { login: "old", memberOf: ["G_VPN"] }]]);
    const base = [rtRow({ id: "r" }), valueRow({ id: "v", provisioningState: "Inactive", currentValue: "old" })];
    expect(states(run(policy(), { existing: base, targets })).filter((s) => s.includes("login"))).toEqual([]);
    expect(states(run(policy(), { existing: base, targets, values: { "AD.login": ["jsmith"] } }))).toContain("update login=jsmith Pending/Modified");
    const creation = [
      rtRow({ id: "r", target: null, provisioningState: "Inactive", changeType: "Added" }),
      valueRow({ id: "v", target: null, provisioningState: "Inactive", changeType: "Added" }),
    ];
    expect(states(run(policy(), { existing: creation })).filter((s) => s.includes("RT") || s.includes("login"))).toEqual([]);
    const none = model({ resourceTypes: [AD({ typeRules: [] })] });
    expect(run(none, { existing: [rtRow({ id: "r", provisioningState: "Inactive", changeType: "Deleted" })], targets: new Map([["t1", {}]]) }).changes).toEqual([]);
  });

  it("an unmapped value is never compared: Executed becomes Verified without the target showing it", () => {
    const rt = AD({ scalarRules: [scalarRule("login", { isMapped: false })] });
    const targets: TargetValues = new Map([["t1", { memberOf: ["G_VPN"] }]]);
    const stored = [rtRow({ id: "r" }), valueRow({ id: "v", isMapped: false, comparisonType: "CaseSensitive", provisioningState: "Executed", rule: rt.scalarRules[0]!.source })];
    expect(states(run(policy(rt), { existing: stored, targets }))).toEqual(["insert VPN", "update login=jdoe Verified", "insert memberOf=G_VPN Verified"].sort());
  });

  it("a creation that happened: the row waiting for it gets its target and is Verified", () => {
    const waiting = rtRow({ id: "r", target: null, provisioningState: "Executed", changeType: "Added" });
    const delta = run(policy(), { existing: [waiting], candidates: { AD: [candidate("t1", 120)] }, targets: new Map([["t1", { login: "jdoe", memberOf: ["G_VPN"] }]]) });
    const update = delta.changes.find((c) => c.change === "update");
    expect(update?.change === "update" && update.id).toBe("r");
    expect(states(delta)).toContain("update RT t1 Verified");
  });
});

describe("reconcile: TransmittedStateValidityPeriod", () => {
  const targets: TargetValues = new Map([["t1", { login: "old", memberOf: ["G_VPN"] }]]);
  const minutes = (n: number) => new Date(NOW.getTime() - n * 60_000);
  const waiting = (state: "Transmitted" | "Executed") => [rtRow({ id: "r", provisioningState: state }), valueRow({ id: "v", provisioningState: state, currentValue: "old" })];
  const since = (n: number) => new Map([["v", minutes(n)], ["r", minutes(n)]]);
  const login = (delta: AssignmentDelta) => states(delta).filter((s) => s.includes("login"));

  it("a value Transmitted or Executed longer than the period turns Errored, and stays so (no second order)", () => {
    for (const state of ["Transmitted", "Executed"] as const) {
      const delta = run(policy(AD({ transmittedStateValidityPeriod: 60 })), { existing: waiting(state), targets }, { stateSince: since(61) });
      expect(login(delta)).toEqual(["update login=jdoe Errored/Modified"]);
      const stored = applyDelta(waiting(state), delta, newId);
      expect(login(run(policy(AD({ transmittedStateValidityPeriod: 60 })), { existing: stored, targets }, { stateSince: since(120) }))).toEqual([]);
    }
  });

  it("within the period, with a period of 0, or with no known time, the value keeps waiting", () => {
    expect(login(run(policy(AD({ transmittedStateValidityPeriod: 60 })), { existing: waiting("Transmitted"), targets }, { stateSince: since(59) }))).toEqual([]);
    expect(login(run(policy(AD({ transmittedStateValidityPeriod: 0 })), { existing: waiting("Executed"), targets }, { stateSince: since(100_000) }))).toEqual([]);
    expect(login(run(policy(AD({ transmittedStateValidityPeriod: 60 })), { existing: waiting("Executed"), targets }))).toEqual([]);
  });

  it("an Executed value the target shows is Verified, however long it waited", () => {
    const shown: TargetValues = new Map([["t1", { login: "JDOE", memberOf: ["G_VPN"] }]]);
    expect(login(run(policy(AD({ transmittedStateValidityPeriod: 60 })), { existing: waiting("Executed"), targets: shown }, { stateSince: since(61) }))).toEqual(["update login=jdoe Verified"]);
  });

  it("a creation and a deprovisioning past the period turn Errored", () => {
    const creation = rtRow({ id: "r", target: null, provisioningState: "Transmitted", changeType: "Added" });
    const created = run(policy(AD({ transmittedStateValidityPeriod: 60 })), { existing: [creation] }, { stateSince: new Map([["r", minutes(61)]]) });
    expect(states(created)).toContain("update RT - Errored/Added");
    const deletion = rtRow({ id: "r", provisioningState: "Executed", changeType: "Deleted" });
    const lost = run(model({ resourceTypes: [AD({ transmittedStateValidityPeriod: 60 })] }), { existing: [deletion], targets }, { stateSince: new Map([["r", minutes(61)]]) });
    expect(states(lost)).toContain("update RT t1 Errored/Deleted");
  });
});

describe("reconcile: purge and removal", () => {
  const role_ = (more: Partial<StoredAssignment>): StoredAssignment =>
    ({ id: "x", kind: "singleRole", role: "VPN", origin: "rule", workflowState: "PolicyApproved", rule: null, validFrom: null, validTo: null, ...more }) as StoredAssignment;
  const none = model({ singleRoles: [role("VPN")], resourceTypes: [AD()] });
  const rolesOnly = model({ singleRoles: [role("VPN")] });

  it("ended rows are historized at their end, declined and cancelled ones deleted", () => {
    const delta = run(none, {
      existing: [
        role_({ id: "ended", validTo: new Date("2025-05-01") }),
        role_({ id: "declined", origin: "manual", workflowState: "Declined" }),
        role_({ id: "cancelled", origin: "manual", workflowState: "Cancellation" }),
      ],
    });
    expect(delta.changes.map((c) => [c.change, "id" in c && c.id, c.change === "delete" ? c.reason : c.change === "historize" ? c.validTo.toISOString().slice(0, 10) : ""])).toEqual([
      ["historize", "ended", "2025-05-01"],
      ["delete", "declined", "declined"],
      ["delete", "cancelled", "cancelled"],
    ]);
  });

  it("a rule's row nothing expects any more is historized now, or deleted if it had not begun; manual and found rows are kept", () => {
    const delta = run(rolesOnly, {
      existing: [
        role_({ id: "lost" }),
        role_({ id: "future", validFrom: new Date("2025-09-01") }),
        role_({ id: "manual", origin: "manual", workflowState: "Approved" }),
        role_({ id: "found", origin: "found", workflowState: "Found" }),
      ],
    });
    expect(delta.changes.map((c) => [c.change, "id" in c && c.id])).toEqual([
      ["historize", "lost"],
      ["delete", "future"],
    ]);
    expect(delta.kept.map((k) => k.id)).toEqual(["manual", "found"]);
  });

  it("a lost resource type with a confirmed target is deprovisioned; AllowRemove=false waits for review; a deletion on its way stays", () => {
    const targets: TargetValues = new Map([["t1", {}]]);
    expect(states(run(none, { existing: [rtRow({ id: "r" })], targets }))).toEqual(["update RT t1 Pending/Deleted"].sort());
    const noRemove = model({ resourceTypes: [AD({ allowRemove: false })] });
    expect(states(run(noRemove, { existing: [rtRow({ id: "r" })], targets }))).toEqual(["update RT t1 AwaitingApproval/Deleted"].sort());
    expect(run(none, { existing: [rtRow({ id: "r", provisioningState: "Transmitted", changeType: "Deleted" })], targets }).changes).toEqual([]);
  });

  it("a lost resource type whose target is gone, or was only a suggestion, is historized, never deprovisioned", () => {
    expect(states(run(none, { existing: [rtRow({ id: "r" })] }))).toEqual(["historize RT t1"].sort());
    const suggestion = rtRow({ id: "s", correlation: { rule: candidate("t1", 80).rule, confidence: 80 }, workflowState: "PendingApproval", provisioningState: "AwaitingApproval" });
    expect(states(run(none, { existing: [suggestion], targets: new Map([["t1", {}]]) }))).toEqual(["historize RT t1"].sort());
  });

  it("a navigation value the rules no longer give is removed while the target holds it, else historized", () => {
    const rt = AD({ navigationRules: [] });
    const nav = valueRow({ id: "n", kind: "navigation", property: "memberOf", policyValue: "G_OLD", comparisonType: "CaseSensitive", provisioningState: "Verified", changeType: null });
    const stored = [rtRow({ id: "r" }), valueRow({ id: "v", provisioningState: "Verified", changeType: null, currentValue: "jdoe" }), nav];
    const holding: TargetValues = new Map([["t1", { login: "jdoe", memberOf: ["G_OLD"] }]]);
    expect(states(run(policy(rt), { existing: stored, targets: holding }))).toEqual(["insert VPN", "update memberOf=G_OLD Pending/Deleted"].sort());
    const notHolding: TargetValues = new Map([["t1", { login: "jdoe", memberOf: [] }]]);
    expect(states(run(policy(rt), { existing: stored, targets: notHolding }))).toEqual(["insert VPN", "historize memberOf=G_OLD"].sort());
  });
});

describe("reconcile: manual values and idempotence", () => {
  it("a manual value approved in reconciliation is kept and the different policy value questioned (DiscardManualAssignments=false)", () => {
    const manual = valueRow({ id: "m", origin: "manual", workflowState: "Approved", policyValue: "john.doe", currentValue: "john.doe", provisioningState: "Verified", changeType: null });
    const stored = [rtRow({ id: "r" }), manual];
    const targets: TargetValues = new Map([["t1", { login: "john.doe", memberOf: ["G_VPN"] }]]);
    const delta = run(policy(), { existing: stored, targets });
    expect(states(delta)).toEqual(["insert VPN", "insert login=jdoe None", "insert memberOf=G_VPN Verified"].sort());
    const questioned = delta.changes.find((c) => c.change === "insert" && c.row.kind === "scalar");
    expect(questioned?.change === "insert" && questioned.row.kind === "scalar" && questioned.row.questioned).toBe(true);
    expect(delta.kept.map((k) => k.id)).toEqual(["r", "m"]);
    const discard = run(policy(AD({ discardManualAssignments: true })), { existing: stored, targets });
    expect(states(discard)).toContain("insert login=jdoe Pending/Modified");
  });

  it.each<[string, OwnerOptions, Partial<ReconcileOptions>]>([
    ["a new owner", {}, {}],
    ["a blocked resource type", {}, { blockAllResourceTypeProvisioning: true }],
    ["a correlated target holding some values", { candidates: { AD: [candidate("t1", 120)] }, targets: new Map([["t1", { login: "jdoe" }]]) }, {}],
    ["suggested targets", { candidates: { AD: [candidate("t1", 80), candidate("t2", 70)] }, targets: new Map([["t1", {}], ["t2", {}]]) }, {}],
    ["a future context", { contexts: [context({}, "2025-09-01")] }, {}],
  ])("reconciling the saved result again changes nothing: %s", (_, options, extra) => {
    const stored = settle(policy(), options, extra);
    expect(stored.length).toBeGreaterThan(0);
  });

  it("a lost account's deprovisioning, once saved, is not ordered twice", () => {
    const none = model({ resourceTypes: [AD()] });
    const stored = settle(none, { existing: [rtRow({ id: "r" })], targets: new Map([["t1", {}]]) });
    expect(stored.map((s) => s.kind === "resourceType" && `${s.provisioningState}/${s.changeType}`)).toEqual(["Pending/Deleted"]);
  });
});

import { describe, expect, it } from "vitest";
import type { ExpectedAssignments, StoredAssignment } from "../../../../src/domain/rolemodel/evaluate/assignments.js";
import { expectedAssignments } from "../../../../src/domain/rolemodel/evaluate/expected.js";
import {
  NOW,
  binaryRule,
  candidate,
  compositeRule,
  context,
  criteria,
  model,
  navigationRule,
  owner,
  queryRule,
  resourceType,
  role,
  scalarRule,
  singleRule,
  typeRule,
} from "./fixture.js";

const roles = (e: ExpectedAssignments) => e.roles.map((r) => `${r.kind === "compositeRole" ? "C" : "S"}:${r.role}:${r.origin}`).sort();
const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

const ROLE_MODEL = model({
  compositeRoles: [role("Employee"), role("Seller"), role("Manager")],
  singleRoles: [role("Mail"), role("CRM"), role("VPN"), role("Payroll")],
  compositeRoleRules: [
    compositeRule("Employee"),
    compositeRule("Seller", { criteria: criteria({ 0: "SALES" }, [0]) }),
    compositeRule("Manager", { parentRole: "Seller", criteria: criteria({ 1: "MGR" }) }),
  ],
  singleRoleRules: [
    singleRule("Mail", { compositeRole: "Employee" }),
    singleRule("CRM", { compositeRole: "Seller" }),
    singleRule("VPN", { criteria: criteria({ 1: "ENG" }) }),
    singleRule("Payroll", { criteria: criteria({ 0: "HR" }) }),
  ],
});

describe("expected roles", () => {
  it("composite roles from their rules, single roles from theirs or inferred from a held composite", () => {
    const e = expectedAssignments(owner({ contexts: [context({ 0: "SALES_FR", 1: "ENG" })] }), ROLE_MODEL, NOW);
    expect(roles(e)).toEqual(["C:Employee:rule", "C:Seller:rule", "S:CRM:inferred", "S:Mail:inferred", "S:VPN:rule"]);
    expect(e.roles.every((r) => r.workflowState === "PolicyApproved" && r.rule !== null)).toBe(true);
  });

  it("a composite role rule may require another composite role (ParentRole), and is then inferred", () => {
    const e = expectedAssignments(owner({ contexts: [context({ 0: "SALES", 1: "MGR" })] }), ROLE_MODEL, NOW);
    expect(roles(e)).toContain("C:Manager:inferred");
    const outside = expectedAssignments(owner({ contexts: [context({ 0: "HR", 1: "MGR" })] }), ROLE_MODEL, NOW);
    expect(roles(outside)).toEqual(["C:Employee:rule", "S:Mail:inferred", "S:Payroll:rule"]);
  });

  it("a rule on a parent value matches descendants only with its L flag", () => {
    const m = model({
      singleRoles: [role("Flat"), role("Deep")],
      singleRoleRules: [singleRule("Flat", { criteria: criteria({ 0: "SALES" }) }), singleRule("Deep", { criteria: criteria({ 0: "ALL" }, [0]) })],
    });
    expect(roles(expectedAssignments(owner({ contexts: [context({ 0: "SALES_FR" })] }), m, NOW))).toEqual(["S:Deep:rule"]);
    expect(roles(expectedAssignments(owner({ contexts: [context({ 0: "SALES" })] }), m, NOW))).toEqual(["S:Deep:rule", "S:Flat:rule"]);
  });

  it("a deny beats an equal or weaker grant; a stronger grant beats the deny", () => {
    const m = (grantPriority: number) =>
      model({
        singleRoles: [role("VPN")],
        singleRoleRules: [singleRule("VPN", { priority: grantPriority }), singleRule("VPN", { criteria: criteria({ 0: "SALES" }, [0]), isDenied: true, priority: 5 })],
      });
    const sales = owner({ contexts: [context({ 0: "SALES_EU" })] });
    expect(roles(expectedAssignments(sales, m(5), NOW))).toEqual([]);
    expect(roles(expectedAssignments(sales, m(9), NOW))).toEqual([]);
    expect(roles(expectedAssignments(sales, m(4), NOW))).toEqual(["S:VPN:rule"]);
    expect(roles(expectedAssignments(owner({ contexts: [context({ 0: "HR" })] }), m(9), NOW))).toEqual(["S:VPN:rule"]);
  });

  it("Suggested and RequestedAutomatically rules suggest without assigning, and a suggestion infers nothing", () => {
    const m = model({
      compositeRoles: [role("Lead")],
      singleRoles: [role("Wiki"), role("Budget")],
      compositeRoleRules: [compositeRule("Lead", { type: "Suggested" })],
      singleRoleRules: [singleRule("Wiki", { type: "RequestedAutomatically" }), singleRule("Budget", { compositeRole: "Lead" })],
    });
    const e = expectedAssignments(owner(), m, NOW);
    expect(e.roles).toEqual([]);
    expect(e.suggestions.map((s) => [s.kind, s.identifier, s.type])).toEqual([
      ["compositeRole", "Lead", "Suggested"],
      ["singleRole", "Wiki", "RequestedAutomatically"],
    ]);
  });

  it("a manual composite role held in the store infers its single roles, and is carried as it is", () => {
    const manual: StoredAssignment = { id: "m1", kind: "compositeRole", role: "Seller", origin: "manual", workflowState: "Approved", rule: null, validFrom: null, validTo: null };
    const pending: StoredAssignment = { ...manual, id: "m2", role: "Manager", workflowState: "PendingApproval" };
    const e = expectedAssignments(owner({ contexts: [context({ 0: "HR" })], existing: [manual, pending] }), ROLE_MODEL, NOW);
    expect(roles(e)).toEqual(["C:Employee:rule", "C:Manager:manual", "C:Seller:manual", "S:CRM:inferred", "S:Mail:inferred", "S:Payroll:rule"]);
    expect(e.roles.find((r) => r.role === "Seller")?.storedId).toBe("m1");
  });
});

describe("contexts and validity", () => {
  it("an ended context gives nothing, a future one gives assignments that begin with it, an excluded one none", () => {
    const e = expectedAssignments(
      owner({ contexts: [context({ 0: "HR" }, "2020-01-01", "2021-01-01"), context({ 0: "SALES" }, "2025-09-01"), context({ 1: "ENG" }, null, null, true)] }),
      ROLE_MODEL,
      NOW,
    );
    expect(e.contexts).toHaveLength(1);
    expect(e.roles.map((r) => [r.role, day(r.validFrom), day(r.validTo)]).sort()).toEqual([
      ["CRM", "2025-09-01", null],
      ["Employee", "2025-09-01", null],
      ["Mail", "2025-09-01", null],
      ["Seller", "2025-09-01", null],
    ]);
  });

  it("successive contexts join where a role continues, and leave a gap where it does not", () => {
    const e = expectedAssignments(
      owner({ contexts: [context({ 0: "SALES" }, "2025-01-01", "2025-07-01"), context({ 0: "HR" }, "2025-07-01", "2025-12-01"), context({ 0: "SALES" }, "2026-01-01")] }),
      ROLE_MODEL,
      NOW,
    );
    const periods = (name: string) => e.roles.filter((r) => r.role === name).map((r) => [day(r.validFrom), day(r.validTo)]);
    expect(periods("Employee")).toEqual([
      ["2025-01-01", "2025-12-01"],
      ["2026-01-01", null],
    ]);
    expect(periods("Seller")).toEqual([
      ["2025-01-01", "2025-07-01"],
      ["2026-01-01", null],
    ]);
    expect(periods("Payroll")).toEqual([["2025-07-01", "2025-12-01"]]);
  });

  it("a context resource that ends before it starts gives no context, with a warning", () => {
    const e = expectedAssignments(owner({ contexts: [context({ 0: "SALES" }, "2025-08-01", "2025-07-01")] }), ROLE_MODEL, NOW);
    expect(e.contexts).toEqual([]);
    expect(e.roles).toEqual([]);
    expect(e.warnings).toEqual(["context resource 1 of Ku1 ends before it starts (2025-08-01T00:00:00.000Z → 2025-07-01T00:00:00.000Z); it gives no context"]);
  });

  it("without a context rule, rules without criteria apply from always to forever", () => {
    const m = model({ ...ROLE_MODEL, contextRules: [] });
    const e = expectedAssignments(owner({ contexts: [] }), m, NOW);
    expect(roles(e)).toEqual(["C:Employee:rule", "S:Mail:inferred"]);
    expect(e.roles.every((r) => r.validFrom === null && r.validTo === null)).toBe(true);
  });
});

const AD = (more: Parameters<typeof resourceType>[1] = {}) =>
  resourceType("AD", {
    typeRules: [typeRule({ singleRole: "VPN" })],
    ...more,
  });

const accountModel = (rt: ReturnType<typeof resourceType>, extra: Parameters<typeof model>[0] = {}) =>
  model({ singleRoles: [role("VPN"), role("CRM")], singleRoleRules: [singleRule("VPN", { criteria: criteria({ 1: "ENG" }) }), singleRule("CRM", { criteria: criteria({ 0: "SALES" }, [0]) })], resourceTypes: [rt], ...extra });

describe("expected resource types", () => {
  it("a type rule gated by a single role assigns the resource type; without a target, one row asks for a creation", () => {
    const e = expectedAssignments(owner(), accountModel(AD()), NOW);
    expect(e.resourceTypes.map((r) => [r.resourceType, r.target, r.origin, r.needsReview])).toEqual([["AD", null, "inferred", false]]);
    expect(expectedAssignments(owner({ contexts: [context({ 1: "OPS" })] }), accountModel(AD()), NOW).resourceTypes).toEqual([]);
  });

  it("type rules: no criterion assigns to everyone, criteria restrict, a deny forbids, a Suggested rule suggests", () => {
    const everyone = accountModel(AD({ typeRules: [typeRule()] }));
    expect(expectedAssignments(owner({ contexts: [context({ 0: "HR" })] }), everyone, NOW).resourceTypes.map((r) => r.origin)).toEqual(["rule"]);
    const denied = accountModel(AD({ typeRules: [typeRule(), typeRule({ criteria: criteria({ 0: "HR" }), isDenied: true })] }));
    expect(expectedAssignments(owner({ contexts: [context({ 0: "HR" })] }), denied, NOW).resourceTypes).toEqual([]);
    expect(expectedAssignments(owner({ contexts: [context({ 0: "SALES" })] }), denied, NOW).resourceTypes).toHaveLength(1);
    const suggested = accountModel(AD({ typeRules: [typeRule({ type: "Suggested" })] }));
    const e = expectedAssignments(owner(), suggested, NOW);
    expect(e.resourceTypes).toEqual([]);
    expect(e.suggestions.map((s) => [s.kind, s.identifier])).toEqual([["resourceType", "AD"]]);
  });

  it("a navigation rule naming a single role allocates its resource type without a type rule", () => {
    const rt = AD({ typeRules: [], navigationRules: [navigationRule("memberOf", { resource: "G_CRM", singleRole: "CRM" })] });
    const e = expectedAssignments(owner({ contexts: [context({ 0: "SALES_EU" })] }), accountModel(rt), NOW);
    expect(e.resourceTypes.map((r) => r.resourceType)).toEqual(["AD"]);
    expect(e.values.map((v) => [v.property, v.policyValue])).toEqual([["memberOf", "G_CRM"]]);
  });

  it("correlation: an automatic match becomes the target, a weak one a suggestion without values, a held target stays", () => {
    const rt = AD({ scalarRules: [scalarRule("login")] });
    const values = { "AD.login": ["jdoe"] };
    const auto = expectedAssignments(owner({ values, candidates: { AD: [candidate("t1", 120)] } }), accountModel(rt), NOW);
    expect(auto.resourceTypes.map((r) => [r.target?.id, r.correlation?.confidence, r.needsReview])).toEqual([["t1", 120, false]]);
    expect(auto.values.map((v) => [v.target?.id, v.policyValue])).toEqual([["t1", "jdoe"]]);

    const weak = expectedAssignments(owner({ values, candidates: { AD: [candidate("t2", 80)] } }), accountModel(rt), NOW);
    expect(weak.resourceTypes.map((r) => [r.target?.id, r.needsReview])).toEqual([["t2", true]]);
    expect(weak.values).toEqual([]);

    const held: StoredAssignment = {
      id: "a1", kind: "resourceType", resourceType: "AD", target: { id: "t9", key: "k9" }, correlation: null, origin: "rule", workflowState: "PolicyApproved",
      rule: null, validFrom: null, validTo: null, provisioningState: "Verified", changeType: null, heldBack: null,
    };
    const kept = expectedAssignments(owner({ values, existing: [held], targets: new Map([["t9", {}]]), candidates: { AD: [candidate("t1", 120)] } }), accountModel(rt), NOW);
    expect(kept.resourceTypes.map((r) => r.target?.id)).toEqual(["t9"]);
  });

  it("DependsOn and DependsOnOwnerProperty hold a creation back", () => {
    const base = resourceType("AD", { typeRules: [typeRule()] });
    const mail = resourceType("Exchange", { typeRules: [typeRule()], dependsOn: "AD" });
    const admin = resourceType("Admin", { typeRules: [typeRule()], dependsOnOwnerProperty: "ServiceNow:identifier" });
    const m = model({ resourceTypes: [base, mail, admin] });
    const held = (e: ExpectedAssignments) => e.resourceTypes.map((r) => [r.resourceType, r.heldBack]);
    expect(held(expectedAssignments(owner(), m, NOW))).toEqual([
      ["AD", null],
      ["Exchange", "DependsOn AD"],
      ["Admin", "DependsOnOwnerProperty ServiceNow:identifier"],
    ]);
    const ready = owner({ candidates: { AD: [candidate("t1", 120)] }, targets: new Map([["t1", {}]]), properties: { identifier: "SN42" } });
    expect(held(expectedAssignments(ready, m, NOW))).toEqual([
      ["AD", null],
      ["Exchange", null],
      ["Admin", null],
    ]);
  });
});

describe("expected values", () => {
  it("navigation rules: a fixed resource gated by a single role, a dimension's value, and a deny", () => {
    const rt = AD({
      typeRules: [typeRule()],
      navigationRules: [
        navigationRule("memberOf", { resource: "G_VPN", singleRole: "VPN" }),
        navigationRule("memberOf", { resource: "G_CRM", singleRole: "CRM" }),
        navigationRule("memberOf", { resource: "G_ALL" }),
        navigationRule("memberOf", { resource: "G_ALL", criteria: criteria({ 1: "ENG" }), isDenied: true }),
        navigationRule("department", { resourceFromDimension: "Department", singleRole: "VPN" }),
      ],
    });
    const e = expectedAssignments(owner({ contexts: [context({ 0: "HR", 1: "ENG" })] }), accountModel(rt), NOW);
    expect(e.values.map((v) => [v.kind, v.property, v.policyValue]).sort()).toEqual([
      ["navigation", "department", "HR"],
      ["navigation", "memberOf", "G_VPN"],
    ]);
  });

  it("query rules are tried by falling confidence and the first that finds a target wins", () => {
    const rt = AD({
      typeRules: [typeRule()],
      queryRules: [queryRule("manager", 50), queryRule("manager", 120), queryRule("manager", 90)],
    });
    const strong = expectedAssignments(owner({ values: { "AD.manager@120": [], "AD.manager@90": ["boss"], "AD.manager@50": ["other"] } }), accountModel(rt), NOW);
    expect(strong.values.map((v) => [v.property, v.policyValue, v.confidence])).toEqual([["manager", "boss", 90]]);
  });

  it("a property filled by navigation and query rules keeps the navigation rules, with a warning of the model", async () => {
    const { compilePolicy } = await import("../../../../src/domain/rolemodel/evaluate/compile.js");
    const rt = AD({ typeRules: [typeRule()], navigationRules: [navigationRule("memberOf", { resource: "G" })], queryRules: [queryRule("memberOf", 100)] });
    const m = accountModel(rt);
    const e = expectedAssignments(owner({ values: { "AD.memberOf@100": ["Q"] } }), m, NOW);
    expect(e.values.map((v) => v.policyValue)).toEqual(["G"]);
    expect(compilePolicy(m).warnings.join("\n")).toMatch(/AD\.memberOf is filled by navigation rules and query rules/);
  });

  it("scalar rules: the bound value, gated by a single role, with IsMapped and ComparisonType; no value, no row", () => {
    const rt = AD({
      typeRules: [typeRule()],
      scalarRules: [
        scalarRule("login", { binding: "Login", comparisonType: "IgnoreCase" }),
        scalarRule("title", { isMapped: false }),
        scalarRule("vpnProfile", { singleRole: "VPN" }),
        scalarRule("crmProfile", { singleRole: "CRM" }),
        scalarRule("empty"),
      ],
      binaryRules: [binaryRule("photo", { binding: "Photo" })],
    });
    const o = owner({ contexts: [context({ 0: "HR", 1: "ENG" })], values: { "AD.login": ["JDoe"], "AD.title": ["Engineer"], "AD.vpnProfile": ["full"], "AD.crmProfile": ["x"], "AD.empty": [], "AD.photo": ["sha256:abc"] } });
    const e = expectedAssignments(o, accountModel(rt), NOW);
    expect(e.values.map((v) => [v.kind, v.property, v.policyValue, v.comparisonType, v.isMapped])).toEqual([
      ["scalar", "login", "JDoe", "IgnoreCase", true],
      ["scalar", "title", "Engineer", "CaseSensitive", false],
      ["scalar", "vpnProfile", "full", "CaseSensitive", true],
      ["binary", "photo", "sha256:abc", "CaseSensitive", true],
    ]);
    const scope = o.calls.find((c) => c.rule.property === "login")!.scope;
    expect(scope).toEqual({ resourceType: "AD", validFrom: null, validTo: null, dimensions: { 0: "HR", 1: "ENG" } });
  });

  it("time offsets: After, Before, Around, Default layered in that order, and the assignment extended", () => {
    const rt = AD({
      typeRules: [typeRule()],
      scalarRules: [
        scalarRule("enabled", { expression: "Literal:false", timeOffset: { reference: "Before", beforeMinutes: -43200, afterMinutes: 0 } }),
        scalarRule("enabled", { expression: "Literal:true", timeOffset: { reference: "Around", beforeMinutes: 0, afterMinutes: 0 } }),
        scalarRule("enabled", { expression: "Literal:false", timeOffset: { reference: "After", beforeMinutes: 0, afterMinutes: 259200 } }),
      ],
    });
    const o = owner({ contexts: [context({ 1: "ENG" }, "2025-07-01", "2026-01-01")] });
    o.evaluate = (rule) => [("expression" in rule ? (rule.expression ?? "") : "").replace("Literal:", "")];
    const e = expectedAssignments(o, accountModel(rt), NOW);
    expect(e.values.map((v) => [v.policyValue, day(v.validFrom), day(v.validTo)])).toEqual([
      ["false", "2025-06-01", "2025-07-01"],
      ["true", "2025-07-01", "2026-01-01"],
      ["false", "2026-01-01", "2026-06-30"],
    ]);
    expect(e.resourceTypes.map((r) => [day(r.validFrom), day(r.validTo)])).toEqual([["2025-06-01", "2026-06-30"]]);
  });
});

describe("expected risks", () => {
  const risky = (items: Array<{ resourceType: string; property?: string; resource?: string }>) =>
    model({
      resourceTypes: [resourceType("ERP", { typeRules: [typeRule()], navigationRules: [navigationRule("roles", { resource: "PAY_CREATE" }), navigationRule("roles", { resource: "PAY_APPROVE", criteria: criteria({ 1: "MGR" }) })] })],
      risks: [{ identifier: "SoD", entityType: "User", riskType: "SoD", level: 80, exemptionPolicy: "ApprovalRequired", rules: [{ items, source: { kind: "Rule", identifier: "r", file: "f", line: 1 } }], source: { kind: "Risk", identifier: "SoD", file: "f", line: 1 } }],
    });
  const both = [
    { resourceType: "ERP", property: "roles", resource: "PAY_CREATE" },
    { resourceType: "ERP", property: "roles", resource: "PAY_APPROVE" },
  ];

  it("a rule fires when all its items hold", () => {
    expect(expectedAssignments(owner({ contexts: [context({ 1: "MGR" })] }), risky(both), NOW).risks.map((r) => [r.risk, r.level])).toEqual([["SoD", 80]]);
    expect(expectedAssignments(owner({ contexts: [context({ 1: "ENG" })] }), risky(both), NOW).risks).toEqual([]);
    expect(expectedAssignments(owner({ contexts: [context({ 1: "ENG" })] }), risky([{ resourceType: "ERP" }]), NOW).risks).toHaveLength(1);
  });
});

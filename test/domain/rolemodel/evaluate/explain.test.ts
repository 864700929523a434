import { describe, expect, it } from "vitest";
import type { StoredAssignment } from "../../../../src/domain/rolemodel/evaluate/assignments.js";
import { explain } from "../../../../src/domain/rolemodel/evaluate/explain.js";
import { renderExplanation } from "../../../../src/domain/rolemodel/evaluate/render-explanation.js";
import { NOW, candidate, compositeRule, context, criteria, model, navigationRule, owner, resourceType, role, singleRule, typeRule } from "./fixture.js";

const GRANT = singleRule("VPN", { criteria: criteria({ 0: "SALES" }, [0]), priority: 5 });
const HR_ONLY = singleRule("VPN", { criteria: criteria({ 0: "HR" }) });
const DENY = singleRule("VPN", { criteria: criteria({ 1: "INTERN" }), isDenied: true, priority: 3 });
const STRONG = singleRule("VPN", { criteria: criteria({ 1: "INTERN" }), priority: 1, compositeRole: "Staff" });
const M = model({
  compositeRoles: [role("Staff")],
  singleRoles: [role("VPN")],
  compositeRoleRules: [compositeRule("Staff", { criteria: criteria({ 1: "INTERN" }) })],
  singleRoleRules: [GRANT, HR_ONLY, DENY],
  resourceTypes: [resourceType("AD", { typeRules: [typeRule({ singleRole: "VPN" })] })],
});

describe("explain", () => {
  it("says which rule granted, and why the others did not match", () => {
    const e = explain(owner({ contexts: [context({ 0: "SALES_FR", 1: "ENG" }, "2025-01-01")] }), M, "VPN", NOW);
    expect(e.subjects.map((s) => [s.kind, s.outcome])).toEqual([["singleRole", "assigned"]]);
    const verdicts = e.subjects[0]!.contexts[0]!.verdicts;
    expect(verdicts.map((v) => [v.rule.line, v.outcome])).toEqual([
      [GRANT.source.line, "granted"],
      [HR_ONLY.source.line, "not-matched"],
      [DENY.source.line, "not-matched"],
    ]);
    expect(verdicts[1]!.mismatches).toEqual([{ kind: "dimension", dimensionIdentifier: "Department", parameter: "D0", dimension: 0, actual: "SALES_FR", wanted: "HR", hierarchical: false }]);
    const text = renderExplanation(e).join("\n");
    expect(text).toContain("User Ku1: single role VPN is assigned.");
    expect(text).toContain("Context (Department SALES_FR, Title ENG, from 2025-01-01): assigned.");
    expect(text).toContain(`granted by SingleRoleRule at conf/RoleModel.xml:${GRANT.source.line} (Required, priority 5)`);
    expect(text).toContain(`SingleRoleRule at conf/RoleModel.xml:${HR_ONLY.source.line} does not match: Department (D0) is SALES_FR, the rule wants HR`);
    expect(text).toContain("Title (D1) is ENG, the rule wants INTERN");
  });

  it("says a deny won over a weaker grant", () => {
    const e = explain(owner({ contexts: [context({ 0: "SALES", 1: "INTERN" })] }), model({ ...M, compositeRoleRules: [] }), "VPN", NOW);
    const s = e.subjects[0]!;
    expect(s.outcome).toBe("denied");
    expect(s.contexts[0]!.verdicts.map((v) => v.outcome)).toEqual(["beaten", "not-matched", "denied"]);
    const text = renderExplanation(e).join("\n");
    expect(text).toContain("single role VPN is denied.");
    expect(text).toContain(`but a deny of equal or stronger priority wins: SingleRoleRule at conf/RoleModel.xml:${DENY.source.line}`);
  });

  it("says a stronger grant overrode the deny, inferred from a held composite role", () => {
    const m = model({ ...M, singleRoleRules: [GRANT, DENY, STRONG] });
    const e = explain(owner({ contexts: [context({ 0: "SALES", 1: "INTERN" })] }), m, "VPN", NOW);
    expect(e.subjects[0]!.contexts[0]!.verdicts.map((v) => v.outcome)).toEqual(["beaten", "overridden", "inferred"]);
    const text = renderExplanation(e).join("\n");
    expect(text).toContain("denies it, but a stronger grant overrides it");
    expect(text).toContain("from the held composite role Staff");
    const without = explain(owner({ contexts: [context({ 0: "SALES", 1: "ENG" })] }), m, "VPN", NOW);
    expect(renderExplanation(without).join("\n")).toContain("Title (D1) is ENG, the rule wants INTERN; the owner does not hold the composite role Staff");
  });

  it("explains a resource type: the single role it needs, and its target", () => {
    const o = owner({ contexts: [context({ 0: "HR" })], candidates: { AD: [candidate("t1", 90)] } });
    const e = explain(o, M, "AD", NOW);
    expect(e.subjects[0]!.outcome).toBe("assigned");
    const text = renderExplanation(e).join("\n");
    expect(text).toContain("resource type AD is assigned.");
    expect(text).toContain("from the held single role VPN");
    expect(text).toContain("Target key-t1, suggested for review by ResourceCorrelationRule");
    const none = renderExplanation(explain(owner({ contexts: [context({ 0: "IT" })] }), M, "AD", NOW)).join("\n");
    expect(none).toContain("resource type AD is not assigned.");
    expect(none).toContain("the owner does not hold the single role VPN");
  });

  it("names a generated NavigationRule after its RoleMapping", () => {
    const generated = navigationRule("memberOf", {
      resource: "CN=SG_VPN", singleRole: "VPN", source: { kind: "RoleMapping", identifier: "AD_Groups (generated)", file: "conf/RoleModel.xml", line: 12 },
    });
    const m = model({ ...M, resourceTypes: [resourceType("AD", { navigationRules: [generated] })] });
    const text = renderExplanation(explain(owner({ contexts: [context({ 0: "SALES" })] }), m, "AD", NOW)).join("\n");
    expect(text).toContain("by RoleMapping AD_Groups (generated) at conf/RoleModel.xml:12");
  });

  it("mentions what holds it besides the rules, an owner without contexts, and an unknown name", () => {
    const manual: StoredAssignment = { id: "m", kind: "singleRole", role: "VPN", origin: "manual", workflowState: "Approved", rule: null, validFrom: new Date("2025-01-01"), validTo: null };
    const text = renderExplanation(explain(owner({ contexts: [], existing: [manual] }), M, "VPN", NOW)).join("\n");
    expect(text).toContain("The owner has no current context: no rule can apply.");
    expect(text).toContain("Also held through a manual assignment (Approved), from 2025-01-01.");
    expect(renderExplanation(explain(owner(), M, "Nope", NOW))).toEqual(["User Ku1: no role or resource type of User is named Nope."]);
  });
});

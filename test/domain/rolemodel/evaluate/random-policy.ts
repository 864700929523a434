// Random policies and owners from a seed, for the property tests of the policy evaluation.
import type { StoredAssignment } from "../../../../src/domain/rolemodel/evaluate/assignments.js";
import { COMPARISON_TYPES, type ContextResource, type PolicyModel, type ResourceType, type TimeOffset, type Value } from "../../../../src/domain/rolemodel/evaluate/model.js";
import { RULE_TYPES } from "../../../../src/domain/rolemodel/states.js";
import { random } from "../../../helpers/xml-samples.js";
import { NOW, binaryRule, candidate, compositeRule, criteria, model, navigationRule, owner, queryRule, resourceType, role, scalarRule, singleRule, typeRule } from "./fixture.js";

const DEPARTMENTS = ["ALL", "SALES", "SALES_EU", "SALES_FR", "HR", "IT"];
const TITLES = ["ENG", "OPS", "MGR", "INTERN"];
const COMPOSITES = ["C0", "C1", "C2", "C3"];
const SINGLES = ["S0", "S1", "S2", "S3", "S4", "S5"];
const GROUPS = ["G0", "G1", "G2", "G3"];
const DAY = 86_400_000;

export function generator(seed: number) {
  const next = random(seed);
  const chance = (p: number) => next() < p;
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const someCriteria = () => {
    const values: Record<number, string> = {};
    if (chance(0.5)) values[0] = pick(DEPARTMENTS);
    if (chance(0.3)) values[1] = pick(TITLES);
    return criteria(values, chance(0.5) ? [0] : []);
  };
  const ruleBits = () => ({ criteria: someCriteria(), isDenied: chance(0.15), priority: int(0, 4), type: chance(0.8) ? ("Required" as const) : pick(RULE_TYPES) });
  const offset = (): TimeOffset | undefined =>
    chance(0.7) ? undefined : { reference: pick(["Default", "Around", "Before", "After"] as const), beforeMinutes: int(-60, 10) * 1440, afterMinutes: int(-10, 90) * 1440 };
  return { next, chance, pick, int, someCriteria, ruleBits, offset };
}

export function randomModel(g: ReturnType<typeof generator>): PolicyModel {
  const resourceTypes: ResourceType[] = ["RT0", "RT1", "RT2"].map((id, i) =>
    resourceType(id, {
      blockProvisioning: g.chance(0.3),
      allowAdd: g.chance(0.8),
      allowRemove: g.chance(0.8),
      correlateMultipleResources: g.chance(0.5),
      suggestAllCorrelations: g.chance(0.5),
      discardManualAssignments: g.chance(0.5),
      transmittedStateValidityPeriod: 0,
      dependsOn: i > 0 && g.chance(0.3) ? "RT0" : undefined,
      typeRules: Array.from({ length: g.int(0, 3) }, () => typeRule({ ...g.ruleBits(), singleRole: g.chance(0.5) ? g.pick(SINGLES) : undefined, timeOffset: g.offset() })),
      navigationRules: Array.from({ length: g.int(0, 4) }, () =>
        g.chance(0.2)
          ? navigationRule("department", { singleRole: g.pick(SINGLES), resourceFromDimension: "Department", timeOffset: g.offset() })
          : navigationRule("memberOf", { ...g.ruleBits(), type: "Required", resource: g.pick(GROUPS), singleRole: g.chance(0.6) ? g.pick(SINGLES) : undefined, timeOffset: g.offset() }),
      ),
      queryRules: Array.from({ length: g.int(0, 2) }, () => queryRule("manager", g.int(50, 150), { timeOffset: g.offset() })),
      scalarRules: Array.from({ length: g.int(0, 4) }, () =>
        scalarRule(g.pick(["login", "mail", "enabled"]), { singleRole: g.chance(0.3) ? g.pick(SINGLES) : undefined, isMapped: g.chance(0.8), comparisonType: g.pick(COMPARISON_TYPES), timeOffset: g.offset() }),
      ),
      binaryRules: g.chance(0.2) ? [binaryRule("photo")] : [],
    }),
  );
  return model({
    compositeRoles: COMPOSITES.map(role),
    singleRoles: SINGLES.map(role),
    compositeRoleRules: Array.from({ length: g.int(0, 6) }, () => compositeRule(g.pick(COMPOSITES), { ...g.ruleBits(), parentRole: g.chance(0.2) ? g.pick(COMPOSITES) : undefined })),
    singleRoleRules: Array.from({ length: g.int(0, 12) }, () => singleRule(g.pick(SINGLES), { ...g.ruleBits(), compositeRole: g.chance(0.3) ? g.pick(COMPOSITES) : undefined })),
    resourceTypes,
    risks: [
      {
        identifier: "R0", entityType: "User", riskType: "SoD", level: 50, exemptionPolicy: "Warning", source: { kind: "Risk", identifier: "R0", file: "f", line: 1 },
        rules: [{ items: [{ resourceType: "RT0", property: "memberOf", resource: "G0" }, { resourceType: "RT1" }], source: { kind: "Rule", identifier: "r", file: "f", line: 2 } }],
      },
    ],
  });
}

export function randomOwner(g: ReturnType<typeof generator>, index: number) {
  const date = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
  const contexts: ContextResource[] = Array.from({ length: g.int(0, 3) }, () => {
    const start = g.chance(0.3) ? null : date(g.int(-400, 120));
    const end = g.chance(0.5) ? null : date(g.int(-30, 400));
    const dims: Record<number, string> = {};
    if (g.chance(0.9)) dims[0] = g.pick(DEPARTMENTS);
    if (g.chance(0.8)) dims[1] = g.pick(TITLES);
    return { dimensions: dims, start: start ? new Date(start) : null, end: end ? new Date(end) : null, excluded: g.chance(0.1) };
  });
  const values: Record<string, Value[]> = {};
  for (const rt of ["RT0", "RT1", "RT2"]) {
    for (const p of ["login", "mail", "enabled", "photo"]) if (g.chance(0.8)) values[`${rt}.${p}`] = [g.pick(["a", "B", "é", "x y"])];
    for (let c = 50; c <= 150; c++) if (g.chance(0.01)) values[`${rt}.manager@${c}`] = [g.pick(["m1", "m2"])];
  }
  const targetIds = ["t1", "t2", "t3", "t4"];
  const targets = new Map<string, Record<string, Value | Value[] | null>>();
  for (const t of targetIds) {
    if (g.chance(0.7)) targets.set(t, { login: g.pick(["a", "b", null]), memberOf: GROUPS.filter(() => g.chance(0.4)), enabled: g.pick(["a", "B"]), manager: g.pick(["m1", null]) });
  }
  const candidates: Record<string, ReturnType<typeof candidate>[]> = {};
  for (const rt of ["RT0", "RT1", "RT2"]) {
    candidates[rt] = targetIds.filter((t) => targets.has(t) && g.chance(0.3)).map((t) => candidate(t, g.pick([50, 90, 100, 120])));
  }
  const existing: StoredAssignment[] = [];
  if (g.chance(0.3)) existing.push({ id: `m${index}a`, kind: "compositeRole", role: g.pick(COMPOSITES), origin: "manual", workflowState: g.pick(["Approved", "PendingApproval", "Declined"] as const), rule: null, validFrom: null, validTo: null });
  if (g.chance(0.3)) existing.push({ id: `m${index}b`, kind: "singleRole", role: g.pick(SINGLES), origin: g.pick(["manual", "found"] as const), workflowState: g.pick(["Approved", "Found"] as const), rule: null, validFrom: null, validTo: g.chance(0.5) ? null : new Date(g.pick([date(-5), date(30)])) });
  if (g.chance(0.2)) {
    existing.push({
      id: `m${index}c`, kind: "resourceType", resourceType: g.pick(["RT0", "RT1", "RT2"]), target: g.chance(0.5) ? { id: "t4", key: "key-t4" } : null, correlation: null,
      origin: "manual", workflowState: "Approved", rule: null, validFrom: null, validTo: null, provisioningState: "Pending", changeType: "Added", heldBack: null,
    });
  }
  return owner({ id: `u${index}`, contexts, values, candidates, targets, existing, properties: {} });
}


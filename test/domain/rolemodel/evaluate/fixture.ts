// Builders for policy models and owners: defaults are the product's, each rule gets a source line
// of its own so that tests (and explanations) can tell rules apart.
import type { StoredAssignment } from "../../../../src/domain/rolemodel/evaluate/assignments.js";
import type {
  BinaryRule,
  CompositeRoleRule,
  ContextResource,
  CorrelationCandidate,
  DimensionCriterion,
  EvaluatedRule,
  EvaluationScope,
  NavigationRule,
  OwnerInput,
  PolicyModel,
  QueryRule,
  ResourceType,
  RuleSource,
  ScalarRule,
  SingleRoleRule,
  TargetValues,
  TypeRule,
  Value,
} from "../../../../src/domain/rolemodel/evaluate/model.js";

let line = 0;
export function source(kind: string): RuleSource {
  line += 1;
  return { kind, identifier: `${kind}#${line}`, file: "conf/RoleModel.xml", line };
}

/** `{ 0: "SALES" }` → D0 criteria; `hierarchical` lists the columns with L set. */
export function criteria(values: Record<number, string>, hierarchical: number[] = []): DimensionCriterion[] {
  return Object.entries(values).map(([d, value]) => ({ dimension: Number(d), value, hierarchical: hierarchical.includes(Number(d)) }));
}

const RULE = { criteria: [] as DimensionCriterion[], type: "Required" as const, isDenied: false, priority: 0, policy: "Default" };

export function singleRule(role: string, more: Partial<SingleRoleRule> = {}): SingleRoleRule {
  return { ...RULE, role, source: source("SingleRoleRule"), ...more };
}

export function compositeRule(role: string, more: Partial<CompositeRoleRule> = {}): CompositeRoleRule {
  return { ...RULE, role, source: source("CompositeRoleRule"), ...more };
}

export function typeRule(more: Partial<TypeRule> = {}): TypeRule {
  return { ...RULE, source: source("TypeRule"), ...more };
}

export function navigationRule(property: string, more: Partial<NavigationRule> = {}): NavigationRule {
  return { ...RULE, property, source: source("NavigationRule"), ...more };
}

export function queryRule(property: string, confidence: number, more: Partial<QueryRule> = {}): QueryRule {
  return { property, confidence, policy: "Default", source: source("QueryRule"), ...more };
}

export function scalarRule(property: string, more: Partial<ScalarRule> = {}): ScalarRule {
  return { property, isMapped: true, comparisonType: "CaseSensitive", policy: "Default", source: source("ScalarRule"), ...more };
}

export function binaryRule(property: string, more: Partial<BinaryRule> = {}): BinaryRule {
  return { property, policy: "Default", source: source("BinaryRule"), ...more };
}

export function resourceType(identifier: string, more: Partial<ResourceType> = {}): ResourceType {
  return {
    identifier,
    policy: "Default",
    sourceEntityType: "User",
    targetEntityType: "Account",
    blockProvisioning: false,
    allowAdd: true,
    allowRemove: true,
    removeOrphans: false,
    correlateMultipleResources: false,
    suggestAllCorrelations: false,
    discardManualAssignments: false,
    transmittedStateValidityPeriod: 0,
    typeRules: [],
    navigationRules: [],
    queryRules: [],
    scalarRules: [],
    binaryRules: [],
    source: source("ResourceType"),
    ...more,
  };
}

export const role = (identifier: string) => ({ identifier, entityType: "User", policy: "Default" });

export function model(more: Partial<PolicyModel> = {}): PolicyModel {
  return {
    dimensions: [
      { identifier: "Department", column: 0, entityType: "Org", isHierarchical: true, parents: new Map([["SALES_EU", "SALES"], ["SALES_FR", "SALES_EU"], ["SALES", "ALL"], ["HR", "ALL"]]) },
      { identifier: "Title", column: 1, entityType: "Title", isHierarchical: false },
    ],
    contextRules: [{ identifier: "Ctx", sourceEntityType: "User", bindings: [{ dimension: 0, binding: "Records.Org" }, { dimension: 1, binding: "Records.Title" }], source: source("ContextRule") }],
    singleRoles: [],
    compositeRoles: [],
    singleRoleRules: [],
    compositeRoleRules: [],
    resourceTypes: [],
    risks: [],
    ...more,
  };
}

export function context(dimensions: Record<number, string>, start: string | null = null, end: string | null = null, excluded = false): ContextResource {
  return { dimensions, start: start ? new Date(start) : null, end: end ? new Date(end) : null, excluded };
}

export interface OwnerOptions {
  id?: string;
  contexts?: ContextResource[];
  /** `RT.Property` → values of scalar and binary rules; `RT.Property@confidence` → keys a query rule finds. */
  values?: Record<string, Value[]>;
  candidates?: Record<string, CorrelationCandidate[]>;
  existing?: StoredAssignment[];
  targets?: TargetValues;
  properties?: Record<string, Value | null>;
}

export function owner(options: OwnerOptions = {}): OwnerInput & { calls: Array<{ rule: EvaluatedRule; scope: EvaluationScope }> } {
  const calls: Array<{ rule: EvaluatedRule; scope: EvaluationScope }> = [];
  const id = options.id ?? "u1";
  return {
    id,
    key: `K${id}`,
    entityType: "User",
    contextResources: options.contexts ?? [context({ 0: "SALES", 1: "ENG" })],
    evaluate(rule, scope) {
      calls.push({ rule, scope });
      const key = "confidence" in rule ? `${scope.resourceType}.${rule.property}@${rule.confidence}` : `${scope.resourceType}.${rule.property}`;
      return options.values?.[key] ?? [];
    },
    candidates: new Map(Object.entries(options.candidates ?? {})),
    properties: options.properties,
    existing: options.existing ?? [],
    targets: options.targets ?? new Map(),
    calls,
  };
}

export function candidate(id: string, confidence: number): CorrelationCandidate {
  return { target: { id, key: `key-${id}` }, confidence, rule: source("ResourceCorrelationRule") };
}

export const NOW = new Date("2025-06-01T00:00:00Z");

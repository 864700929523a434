/**
 * The policy model prepared once for many owners: rules split by owner entity type and indexed
 * (rule-index.ts), query rules sorted by falling confidence, the dimension trees, and the warnings
 * the model deserves once rather than per owner. A compiled model is remembered per model object,
 * so callers pass the same model to every owner and pay for this once.
 */
import { DimensionTree } from "./dimension-tree.js";
import type {
  CompositeRoleRule,
  ContextRule,
  Dimension,
  NavigationRule,
  PolicyModel,
  QueryRule,
  ResourceType,
  Risk,
  SingleRoleRule,
  TypeRule,
} from "./model.js";
import { dimensionSuffix } from "./parameter-names.js";
import { anchorOf, RuleIndex } from "./rule-index.js";

export interface CompiledResourceType {
  resourceType: ResourceType;
  typeRules: RuleIndex<TypeRule>;
  /** Navigation rules that name a SingleRole also grant the resource type (an allocation context without a TypeRule). */
  navigationRules: RuleIndex<NavigationRule>;
  /** Query rules by property, strongest confidence first (stable for equal confidences). */
  queryRules: Map<string, QueryRule[]>;
}

/** Everything that applies to the owners of one entity type. */
export interface EntityPolicy {
  entityType: string;
  contextRule: ContextRule | null;
  compositeRoleRules: RuleIndex<CompositeRoleRule>;
  singleRoleRules: RuleIndex<SingleRoleRule>;
  resourceTypes: CompiledResourceType[];
  risks: Risk[];
}

export interface CompiledPolicy {
  model: PolicyModel;
  tree: DimensionTree;
  dimensionsByColumn: ReadonlyMap<number, Dimension>;
  dimensionsByIdentifier: ReadonlyMap<string, Dimension>;
  warnings: string[];
  forEntityType(entityType: string): EntityPolicy;
}

const compiled = new WeakMap<PolicyModel, CompiledPolicy>();

export function compilePolicy(model: PolicyModel): CompiledPolicy {
  const known = compiled.get(model);
  if (known) return known;
  const warnings: string[] = [];
  const dimensionsByColumn = new Map(model.dimensions.map((d) => [d.column, d]));
  const dimensionsByIdentifier = new Map(model.dimensions.map((d) => [d.identifier, d]));
  checkCriteria(model, dimensionsByColumn, warnings);
  const perEntity = new Map<string, EntityPolicy>();
  const policy: CompiledPolicy = {
    model,
    tree: new DimensionTree(model.dimensions),
    dimensionsByColumn,
    dimensionsByIdentifier,
    warnings,
    forEntityType(entityType) {
      let p = perEntity.get(entityType);
      if (!p) perEntity.set(entityType, (p = compileEntity(model, entityType, warnings)));
      return p;
    },
  };
  compiled.set(model, policy);
  return policy;
}

function compileEntity(model: PolicyModel, entityType: string, warnings: string[]): EntityPolicy {
  const composite = new Set(model.compositeRoles.filter((r) => r.entityType === entityType).map((r) => r.identifier));
  const single = new Set(model.singleRoles.filter((r) => r.entityType === entityType).map((r) => r.identifier));
  const contextRules = model.contextRules.filter((r) => r.sourceEntityType === entityType);
  if (contextRules.length > 1) warnings.push(`${entityType} has ${contextRules.length} context rules; ${contextRules[0]!.identifier} is used`);
  return {
    entityType,
    contextRule: contextRules[0] ?? null,
    compositeRoleRules: new RuleIndex(
      model.compositeRoleRules.filter((r) => composite.has(r.role)),
      (r) => anchorOf(r.criteria, r.parentRole),
    ),
    singleRoleRules: new RuleIndex(
      model.singleRoleRules.filter((r) => single.has(r.role)),
      (r) => anchorOf(r.criteria, r.compositeRole),
    ),
    resourceTypes: model.resourceTypes.filter((rt) => rt.sourceEntityType === entityType).map((rt) => compileResourceType(rt, warnings)),
    risks: model.risks.filter((r) => r.entityType === entityType),
  };
}

function compileResourceType(rt: ResourceType, warnings: string[]): CompiledResourceType {
  const queryRules = new Map<string, QueryRule[]>();
  for (const rule of rt.queryRules) {
    const list = queryRules.get(rule.property);
    if (list) list.push(rule);
    else queryRules.set(rule.property, [rule]);
  }
  for (const [property, rules] of queryRules) {
    rules.sort((a, b) => b.confidence - a.confidence);
    if (rt.navigationRules.some((n) => n.property === property)) {
      warnings.push(`${rt.identifier}.${property} is filled by navigation rules and query rules; the navigation rules are used (${rules[0]!.source.file}:${rules[0]!.source.line})`);
      queryRules.delete(property);
    }
  }
  return {
    resourceType: rt,
    typeRules: new RuleIndex(rt.typeRules, (r) => anchorOf(r.criteria, r.singleRole)),
    navigationRules: new RuleIndex(rt.navigationRules, (r) => anchorOf(r.criteria, r.singleRole)),
    queryRules,
  };
}

function checkCriteria(model: PolicyModel, dimensions: ReadonlyMap<number, Dimension>, warnings: string[]): void {
  const rules = [
    ...model.singleRoleRules,
    ...model.compositeRoleRules,
    ...model.resourceTypes.flatMap((rt) => [...rt.typeRules, ...rt.navigationRules]),
  ];
  for (const rule of rules) {
    for (const c of rule.criteria) {
      const d = dimensions.get(c.dimension);
      const at = `${rule.source.kind} at ${rule.source.file}:${rule.source.line}`;
      if (!d) warnings.push(`${at}: D${dimensionSuffix(c.dimension)} names no dimension; the rule never matches`);
      else if (c.hierarchical && !d.isHierarchical) warnings.push(`${at}: L${dimensionSuffix(c.dimension)} on ${d.identifier}, which is not hierarchical; only the value itself matches`);
    }
  }
}

/**
 * What ComputeRoleModelTask compiles once per run for an owner entity type: the rule expressions
 * (ScalarRule and BinaryRule Binding/Expression, QueryRule sides, with the expression compiler's
 * compileValue), the
 * context rule's bindings as paths, and the navigation tree every batch of owners loads.
 */
import type { NavigationTree, ResourceObject, ResourceValue } from "../../expressions/compile-expressions.js";
import type { EntityModel, PropertyType } from "../../resources/entity-model.js";
import { bindingPath } from "../role-model-items.js";
import { addNavigations, compileRuleValue, type RuleProgram } from "../rule-subjects.js";
import type { ContextRule, EvaluatedRule, PolicyModel, QueryRule } from "../evaluate/model.js";
import { keyOfObject } from "./resource-keys.js";

export interface ContextProgram {
  rule: ContextRule;
  /** ResourcesBinding as a path of navigations; empty: the owner itself. */
  resources: string[];
  /** The entity type of the context resources. */
  entityType: string;
  dimensions: Array<{ column: number; path: string[]; entityType: string }>;
  start?: string[];
  end?: string[];
  exclude?: RuleProgram;
}

/** A QueryRule: its source side on the owner, its target side on the resources the property points to. */
export interface QueryProgram {
  source: RuleProgram;
  targetEntityType: string;
  target: RuleProgram;
}

export interface OwnerPrograms {
  entityType: string;
  /** ScalarRule and BinaryRule values, QueryRule source sides. */
  rules: Map<EvaluatedRule, RuleProgram>;
  queries: Map<QueryRule, QueryProgram>;
  context: ContextProgram | null;
  navigations: NavigationTree;
}

/** The type of a path's end: the entity type it leads to, or undefined past a scalar. */
function walk(model: EntityModel, entityType: string, path: readonly string[]): { entityType: string; navigations: string[]; scalar?: PropertyType } {
  let type = entityType;
  const navigations: string[] = [];
  for (const [i, name] of path.entries()) {
    const p = model.entityTypes.get(type)?.properties.get(name);
    if (!p) throw new Error(`${name} is not a property of ${type}`);
    if (!p.navigation) {
      if (i !== path.length - 1) throw new Error(`${name} of ${type} is no navigation`);
      return { entityType: type, navigations, scalar: p.type };
    }
    navigations.push(name);
    type = p.navigation.target;
  }
  return { entityType: type, navigations };
}

export function compileOwnerPrograms(entityType: string, policy: PolicyModel, model: EntityModel, warn: (message: string) => void): OwnerPrograms {
  const rules = new Map<EvaluatedRule, RuleProgram>();
  const queries = new Map<QueryRule, QueryProgram>();
  const navigations: NavigationTree = new Map();
  for (const rt of policy.resourceTypes) {
    if (rt.sourceEntityType !== entityType) continue;
    for (const rule of [...rt.scalarRules, ...rt.binaryRules]) {
      const label = `${rule.source.kind} ${rule.source.identifier} (${rule.source.file}:${rule.source.line})`;
      const type = model.entityTypes.get(rt.targetEntityType)?.properties.get(rule.property)?.type ?? "String";
      try {
        const program = compileRuleValue(label, entityType, { binding: bindingPath(rule.binding), expression: "expression" in rule ? (rule.expression as string | undefined) : undefined }, type === "ForeignKey" ? "String" : type, model);
        rules.set(rule, program);
        addNavigations(navigations, program.navigations);
      } catch (error) {
        warn(`${(error as Error).message}; the rule gives no value`);
      }
    }
    for (const rule of rt.queryRules) {
      const label = `QueryRule ${rule.source.identifier} (${rule.source.file}:${rule.source.line})`;
      const targetEntityType = model.entityTypes.get(rt.targetEntityType)?.properties.get(rule.property)?.navigation?.target;
      if (targetEntityType === undefined) {
        warn(`${label}: ${rule.property} is not a navigation property of ${rt.targetEntityType}; the rule gives no value`);
        continue;
      }
      try {
        const source = compileRuleValue(`${label} source`, entityType, { binding: bindingPath(rule.sourceBinding), expression: rule.sourceExpression }, "String", model);
        const target = compileRuleValue(`${label} target`, targetEntityType, { binding: bindingPath(rule.targetBinding), expression: rule.targetExpression }, "String", model);
        rules.set(rule, source);
        queries.set(rule, { source, targetEntityType, target });
        addNavigations(navigations, source.navigations);
      } catch (error) {
        warn(`${(error as Error).message}; the rule gives no value`);
      }
    }
  }
  const contextRule = policy.contextRules.find((r) => r.sourceEntityType === entityType) ?? null;
  let context: ContextProgram | null = null;
  if (contextRule) {
    try {
      context = compileContext(contextRule, entityType, policy, model, navigations);
    } catch (error) {
      warn(`ContextRule ${contextRule.identifier}: ${(error as Error).message}; its owners get no context`);
    }
  }
  return { entityType, rules, queries, context, navigations };
}

function compileContext(rule: ContextRule, entityType: string, policy: PolicyModel, model: EntityModel, tree: NavigationTree): ContextProgram {
  const resources = bindingPath(rule.resourcesBinding)?.split(".") ?? [];
  const resourceWalk = walk(model, entityType, resources);
  if (resourceWalk.scalar) throw new Error(`ResourcesBinding ${rule.resourcesBinding} does not lead to resources`);
  const resourceType = resourceWalk.entityType;
  const paths: string[][] = resources.length ? [resources] : [];
  const dimensions = rule.bindings.map(({ dimension, binding }) => {
    const path = bindingPath(binding)!.split(".");
    const w = walk(model, resourceType, path);
    paths.push([...resources, ...w.navigations]);
    const dim = policy.dimensions.find((d) => d.column === dimension);
    return { column: dimension, path, entityType: w.scalar ? "" : (dim?.entityType ?? w.entityType) };
  });
  const scalarPath = (binding: string | undefined) => {
    const path = bindingPath(binding)?.split(".");
    if (path) paths.push([...resources, ...walk(model, resourceType, path).navigations]);
    return path;
  };
  const start = scalarPath(rule.resourcesStartBinding);
  const end = scalarPath(rule.resourcesEndBinding);
  let exclude: RuleProgram | undefined;
  if (rule.excludeExpression) {
    exclude = compileRuleValue(`ContextRule ${rule.identifier} ExcludeExpression`, resourceType, { binding: undefined, expression: rule.excludeExpression }, "Bool", model);
    for (const p of exclude.navigations) paths.push([...resources, ...p]);
  }
  addNavigations(tree, paths.filter((p) => p.length > 0));
  return { rule, resources, entityType: resourceType, dimensions, ...(start ? { start } : {}), ...(end ? { end } : {}), ...(exclude ? { exclude } : {}) };
}

/** The resources at the end of a path (a list for collections, one or none otherwise). */
export function follow(resource: ResourceObject, path: readonly string[]): ResourceValue[] {
  let current: ResourceValue[] = [resource];
  for (const name of path) {
    const next: ResourceValue[] = [];
    for (const r of current) {
      if (!(r instanceof Map)) continue;
      const v = r.get(name);
      if (v === undefined) continue;
      if (Array.isArray(v)) next.push(...v);
      else next.push(v);
    }
    current = next;
  }
  return current;
}

/** A dimension binding's value on a context resource: the key of the resource it leads to, or the scalar it reads. */
export function dimensionValue(model: EntityModel, resource: ResourceObject, d: ContextProgram["dimensions"][number]): string | undefined {
  const [value] = follow(resource, d.path);
  if (value === undefined) return undefined;
  if (value instanceof Map) return keyOfObject(model, d.entityType, value);
  return typeof value === "object" ? undefined : String(value);
}

/**
 * Turns the deployed EntityPropertyExpressions into evaluators, once per task run (never per
 * resource): each CEL source is parsed and planned once, its `resource` chains resolved against the
 * deployed entity model to know which navigations a batch must load.
 */
import { isCelError, parse, plan, type CelValue } from "@bufbuild/cel";
import { attributeText, type AttributeValue } from "../../config/coerce-attribute.js";
import { readStoredItems } from "../stored-items.js";
import type { EntityModel, PropertyType } from "../resources/entity-model.js";
import type { Store } from "../../store/store.js";
import { expressionEnvironment, RESOURCE_VARIABLE } from "./cel-environment.js";
import { functionAsCSharp, INTEGER_TYPES, literalValue, readExpressionForm, type ExpressionForm, type StoredValue } from "./expression-forms.js";
import { resolveChain, resourceChains, type ResourceChain } from "./resource-paths.js";
import { compileCSharp, storedCSharpValue } from "./csharp/compile-csharp.js";
import { compileStringExpression } from "./cel-fast-path.js";

/** A value as CEL reads it: the stored JSON value, integers as bigint; navigations nested. */
export type ResourceValue = string | number | boolean | bigint | ResourceObject | ResourceObject[];
/** A resource as CEL reads it. A Map: CEL reads it as a map without converting it on each access, unlike an object. */
export type ResourceObject = Map<string, ResourceValue>;

export type Evaluation = { ok: true; value: StoredValue } | { ok: false; message: string };

export interface CompiledExpression {
  identifier: string;
  property: string;
  priority: number;
  /** Where the expression is written (`file:line`), for the log of a resource it failed on; empty when unknown. */
  at: string;
  evaluate(resource: ResourceObject): Evaluation;
}

/** Navigation property → the navigations read beyond it on the target type. */
export type NavigationTree = Map<string, NavigationTree>;

export interface EntityTypeProgram {
  entityType: string;
  /** In evaluation order: ascending Priority, then identifier. */
  expressions: CompiledExpression[];
  navigations: NavigationTree;
}

/** The deployed expressions, compiled, per entity type. Throws when one cannot run (validation reports these first). */
export async function compileExpressions(store: Store, model: EntityModel): Promise<Map<string, EntityTypeProgram>> {
  const programs = new Map<string, EntityTypeProgram>();
  for (const item of await readStoredItems(store, "EntityPropertyExpression")) {
    const entityType = String(item.attributes.EntityType);
    const at = item.source ? `${item.source.file}:${item.source.line}` : "";
    const compiled = compileExpression(item.identifier, entityType, item.attributes, model, at);
    let program = programs.get(entityType);
    if (!program) programs.set(entityType, (program = { entityType, expressions: [], navigations: new Map() }));
    program.expressions.push(compiled.expression);
    for (const path of compiled.navigations) addPath(program.navigations, path);
  }
  for (const program of programs.values()) {
    program.expressions.sort((a, b) => a.priority - b.priority || (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  }
  return programs;
}

function addPath(tree: NavigationTree, path: readonly string[]): void {
  let node = tree;
  for (const name of path) {
    let next = node.get(name);
    if (!next) node.set(name, (next = new Map()));
    node = next;
  }
}


/** One expression as an evaluator, with the navigation paths it reads (from the stored item, or as validation reads it). */
export function compileExpression(identifier: string, entityType: string, attributes: Record<string, AttributeValue>, model: EntityModel, at: string): { expression: CompiledExpression; navigations: string[][] } {
  const type = model.entityTypes.get(entityType);
  if (!type) throw new Error(`EntityPropertyExpression ${identifier}: EntityType ${entityType} is not deployed`);
  const property = String(attributes.Property);
  const target = type.properties.get(property);
  if (!target) throw new Error(`EntityPropertyExpression ${identifier}: EntityType ${entityType} has no property ${property}`);
  const priority = Number(attributes.Priority ?? 0) || 0;
  const form = readExpressionForm(attributeText(attributes.Expression), attributeText(attributes.Binding));
  const { evaluate, navigations } = compileValue({ label: `EntityPropertyExpression ${identifier}`, entityType, form, type: target.type, model });
  return { expression: { identifier, property, priority, at, evaluate }, navigations };
}

export interface ValueSpec {
  /** Names the expression in errors: `EntityPropertyExpression X`, `ResourceCorrelationRule Y SourceExpression`. */
  label: string;
  /** The type of the resource the expression reads. */
  entityType: string;
  form: ExpressionForm;
  /** The type of the value it gives (a property's type; String for a correlation key). */
  type: PropertyType;
  model: EntityModel;
}

/**
 * An expression form (a Binding, `Literal:`, a function, C#, CEL) as an evaluator of a resource of
 * `entityType`, with the navigation paths it reads: what EntityPropertyExpressions and the role
 * model's rules (correlation keys, classification) share. Throws when it cannot run.
 */
export function compileValue(spec: ValueSpec): { evaluate(resource: ResourceObject): Evaluation; navigations: string[][] } {
  const { label, entityType, form, type, model } = spec;
  switch (form.kind) {
    case "literal": {
      const value = literalValue(form.value, type);
      return { evaluate: () => ({ ok: true, value }), navigations: [] };
    }
    case "cel": {
      let parsed;
      try {
        parsed = parse(form.source);
      } catch (error) {
        throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
      }
      const navigations = navigationsOf(resourceChains(parsed, form.source), model, entityType, `${label}: ${RESOURCE_VARIABLE}`);
      const program = plan(expressionEnvironment(), parsed);
      const interpret = (resource: ResourceObject): Evaluation => {
        let result;
        try {
          result = program({ [RESOURCE_VARIABLE]: resource as never });
        } catch (error) {
          return { ok: false, message: (error as Error).message };
        }
        if (isCelError(result)) return ABSENT_KEY.test(result.message) ? NO_VALUE : { ok: false, message: result.message };
        return storedValue(result, type);
      };
      const strings = compileStringExpression(parsed);
      if (strings === undefined) return { evaluate: interpret, navigations };
      const evaluate = (resource: ResourceObject): Evaluation => {
        let text;
        try {
          text = strings(resource);
        } catch {
          // FALLBACK (a value that is not a string), or anything else: the interpreter's answer, error included.
          return interpret(resource);
        }
        return storedValue(text, type);
      };
      return { evaluate, navigations };
    }
    case "csharp":
    case "function": {
      if (form.kind === "function" && form.binding === undefined) throw new Error(`${label}: the function ${form.name} needs a Binding`);
      const { variable, body } = form.kind === "csharp" ? form : functionAsCSharp(form, form.binding!);
      const { program, problems } = compileCSharp(variable, body, { model, entityType });
      if (!program) throw new Error(`${label}: ${problems[0]?.message ?? "the C# expression does not compile"}`);
      const navigations = navigationsOf(program.chains, model, entityType, `${label}: ${variable}`);
      const evaluate = (resource: ResourceObject): Evaluation => {
        const result = program.evaluate(resource);
        if (!result.ok) return { ok: false, message: result.error };
        const stored = storedCSharpValue(result.value, type);
        return stored.ok ? { ok: true, value: stored.value } : { ok: false, message: stored.message };
      };
      return { evaluate, navigations };
    }
    default:
      throw new Error(`${label}: this Expression cannot run in idm-toolkit (idm validate reports it as ${form.kind === "none" ? "missing-attribute" : "invalid-expression"})`);
  }
}

/** The navigations each chain goes through, resolved on the deployed model (`at`: the expression and its variable, for the error). */
function navigationsOf(chains: readonly ResourceChain[], model: EntityModel, entityType: string, at: string): string[][] {
  const navigations: string[][] = [];
  for (const chain of chains) {
    const resolved = resolveChain(model, entityType, chain.fields, chain.elements);
    if (!resolved.ok) throw new Error(`${at}.${chain.fields.join(".")} does not resolve on ${entityType}`);
    if (resolved.navigations.length > 0) navigations.push(resolved.navigations);
  }
  return navigations;
}

/** CEL's errors for a map key that is not there: reading a property the resource does not have. */
const ABSENT_KEY = /^(field not found|no such key)\b/;
const NO_VALUE: Evaluation = { ok: true, value: undefined };

/** A CEL result as the stored JSON holds it; a list or map cannot be stored in a scalar property. */
function storedValue(value: CelValue, type: PropertyType): Evaluation {
  if (value === null) return NO_VALUE;
  switch (typeof value) {
    case "string":
      return { ok: true, value };
    case "boolean":
      return { ok: true, value: type === "String" ? String(value) : value };
    case "bigint":
    case "number":
      return { ok: true, value: type === "String" ? String(value) : Number(value) };
    default: {
      const uint = value as { value?: unknown };
      if (typeof uint.value === "bigint") return { ok: true, value: type === "String" ? String(uint.value) : Number(uint.value) };
      return { ok: false, message: `the result is not a string, number or boolean: a ${type} property holds one value` };
    }
  }
}

/** The integer-typed properties of each entity type: stored as JSON numbers, read by CEL as int. */
export function integerProperties(model: EntityModel): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [name, type] of model.entityTypes) {
    result.set(name, [...type.properties.values()].filter((p) => INTEGER_TYPES.has(p.type)).map((p) => p.identifier));
  }
  return result;
}

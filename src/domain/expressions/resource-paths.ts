/**
 * What an expression reads from its resource: the chains of field selections rooted at the variable
 * `resource` (`resource.Manager.LastName` → ["Manager", "LastName"]), found by walking the parsed
 * CEL tree, and resolved against the entity model: validation reports a name that is no property,
 * and the task loads the navigations the chains go through (and only those).
 */
import type { parse } from "@bufbuild/cel";
import type { EntityModel, PropertyModel } from "../resources/entity-model.js";
import { RESOURCE_VARIABLE } from "./resource-variable.js";

/** The parser's tree (its protobuf types come from a package we do not depend on directly). */
export type ParsedExpression = ReturnType<typeof parse>;
type Expr = ParsedExpression["expr"];

export interface ResourceChain {
  /** The selected names, outermost first. */
  fields: string[];
  /** Offset of each name in the expression source. */
  offsets: number[];
  /**
   * Indexes of the fields that are collections read element by element: in
   * `resource.Reports.map(r, r.Manager.LastName)` the chain is Reports, Manager, LastName with
   * Reports (index 0) entered through the variable r.
   */
  elements: number[];
}

/**
 * Every `resource.A.B…` chain of a parsed expression (the longest of each, once), including those
 * read through the variable of a comprehension (`map`, `filter`, `exists`, `all`) over a chain.
 */
export function resourceChains(parsed: ParsedExpression, source: string): ResourceChain[] {
  const positions = parsed.sourceInfo?.positions ?? {};
  const chains: ResourceChain[] = [];
  const fieldOffset = (e: Expr, field: string): number => {
    const at = positions[String(e.id)] ?? 0;
    return source[at] === "." ? at + 1 : Math.max(0, source.indexOf(field, at));
  };
  /** The chain of `e` if it is `resource.X.Y…` (or `v.X…` for a variable bound to a chain), innermost selection last. */
  const chainOf = (e: Expr, scope: ReadonlyMap<string, ResourceChain>): ResourceChain | undefined => {
    if (e.exprKind.case === "identExpr") {
      const name = e.exprKind.value.name;
      return scope.has(name) ? scope.get(name) : name === RESOURCE_VARIABLE ? { fields: [], offsets: [], elements: [] } : undefined;
    }
    if (e.exprKind.case !== "selectExpr") return undefined;
    const inner = e.exprKind.value.operand ? chainOf(e.exprKind.value.operand, scope) : undefined;
    if (!inner) return undefined;
    const field = e.exprKind.value.field;
    return { fields: [...inner.fields, field], offsets: [...inner.offsets, fieldOffset(e, field)], elements: inner.elements };
  };
  const visit = (e: Expr | undefined, scope: ReadonlyMap<string, ResourceChain>): void => {
    if (!e) return;
    const chain = chainOf(e, scope);
    if (chain) {
      if (chain.fields.length > 0) chains.push(chain);
      return;
    }
    const k = e.exprKind;
    switch (k.case) {
      case "selectExpr":
        return visit(k.value.operand, scope);
      case "callExpr":
        visit(k.value.target, scope);
        return k.value.args.forEach((a) => visit(a, scope));
      case "listExpr":
        return k.value.elements.forEach((a) => visit(a, scope));
      case "structExpr":
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === "mapKey") visit(entry.keyKind.value, scope);
          visit(entry.value, scope);
        }
        return;
      case "comprehensionExpr": {
        const { iterRange, iterVar, accuVar } = k.value;
        visit(iterRange, scope);
        // The loop variable over a chain is one element of it; the accumulator hides an outer name.
        const range = iterRange ? chainOf(iterRange, scope) : undefined;
        const inner = new Map(scope);
        inner.delete(accuVar);
        if (range && range.fields.length > 0) inner.set(iterVar, { ...range, elements: [...range.elements, range.fields.length - 1] });
        else inner.delete(iterVar);
        visit(k.value.accuInit, scope);
        for (const part of [k.value.loopCondition, k.value.loopStep, k.value.result]) visit(part, inner);
        return;
      }
      default:
        return;
    }
  };
  visit(parsed.expr, new Map());
  return chains;
}

export type ChainResolution =
  /** `navigations`: the leading part of the chain that goes through navigation properties. */
  | { ok: true; navigations: string[] }
  /** `index`: the first name that is not a property of the type reached; `through`: set when it follows a collection. */
  | { ok: false; index: number; entityType: string; candidates: string[]; through?: string };

/** Walks a chain from `entityType` through navigation properties to their target types. */
export function resolveChain(model: EntityModel, entityType: string, fields: readonly string[], elements: readonly number[] = []): ChainResolution {
  let type = entityType;
  const navigations: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const properties = model.entityTypes.get(type)?.properties ?? new Map<string, PropertyModel>();
    const property = properties.get(fields[i]!);
    if (!property) return { ok: false, index: i, entityType: type, candidates: [...properties.keys()] };
    const navigation = property.navigation;
    if (!navigation) {
      if (i < fields.length - 1) return { ok: false, index: i + 1, entityType: type, candidates: [], through: `${fields[i]} is a ${property.type}, not a navigation` };
      break;
    }
    if (navigation.collection && i < fields.length - 1 && !elements.includes(i)) {
      return { ok: false, index: i + 1, entityType: navigation.target, candidates: [], through: `${fields[i]} is a collection: use ${RESOURCE_VARIABLE}.${fields.slice(0, i + 1).join(".")}.map(r, r.${fields[i + 1]})` };
    }
    navigations.push(fields[i]!);
    type = navigation.target;
  }
  return { ok: true, navigations };
}

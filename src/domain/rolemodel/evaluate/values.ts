/**
 * The values of one assigned resource type in one context (reference model.md §C.6): navigation
 * rules (a fixed resource, or the owner's value of a dimension), query rules (the first rule, by
 * falling confidence, that finds a target wins), scalar and binary rules. Each value covers the
 * span its rule's time offset gives; Default inherits the resource type's span.
 */
import type { ValueKind } from "./assignments.js";
import type { CompiledResourceType } from "./compile.js";
import type { ContextUnit } from "./contexts.js";
import type { Matched } from "./decide.js";
import type { DimensionTree } from "./dimension-tree.js";
import { grant, ruleSpans, type Held } from "./grants.js";
import type { BinaryRule, ComparisonType, Dimension, NavigationRule, OwnerInput, RuleSource, ScalarRule, TimeOffset, Value } from "./model.js";
import { intersectLists, mergeSpans, periodOf, type Span } from "./periods.js";
import { OFFSET_ORDER, offsetSpan } from "./time-offsets.js";

export interface ValueCandidate {
  kind: ValueKind;
  property: string;
  value: Value;
  spans: Span[];
  rule: RuleSource;
  comparisonType: ComparisonType;
  isMapped: boolean;
  confidence: number | null;
  /** Layering order of mono-valued rules: offset kind, then document order. */
  order: number;
}

export interface ValueContext {
  unit: ContextUnit;
  /** The resource type's spans in this context. */
  rtSpans: readonly Span[];
  heldSingles: Held;
  /** The candidate navigation rules of the context. */
  navigation: readonly NavigationRule[];
  tree: DimensionTree;
  owner: OwnerInput;
  dimensionsByIdentifier: ReadonlyMap<string, Dimension>;
}

const NAVIGATION = { comparisonType: "CaseSensitive" as const, isMapped: true };

export function valuesInContext(ctx: ValueContext, crt: CompiledResourceType): ValueCandidate[] {
  if (ctx.rtSpans.length === 0) return [];
  return [...navigationValues(ctx), ...queryValues(ctx, crt), ...monoValues(ctx, crt)];
}

/** The spans a value rule covers: its offset from the context's dates, or the resource type's spans. */
function baseSpans(ctx: ValueContext, offset: TimeOffset | undefined): Span[] {
  if (offset === undefined || offset.reference === "Default") return [...ctx.rtSpans];
  const span = offsetSpan(offset, ctx.unit.span, ctx.unit.span);
  return span ? [span] : [];
}

function navigationValues(ctx: ValueContext): ValueCandidate[] {
  const matches: Matched<NavigationRule>[] = [];
  const valueOf = new Map<NavigationRule, string>();
  for (const rule of ctx.navigation) {
    const value = navigationValue(ctx, rule);
    if (value === undefined) continue;
    const spans = ruleSpans(rule, rule.singleRole, ctx.unit.dimensions, baseSpans(ctx, rule.timeOffset), ctx.heldSingles, ctx.tree);
    if (!spans) continue;
    valueOf.set(rule, value);
    matches.push({ rule, spans });
  }
  const { assigned } = grant(matches, (r) => `${r.property}\u0000${valueOf.get(r)}`, (r) => r.singleRole !== undefined);
  return [...assigned].map(([key, g]) => {
    const [property, value] = key.split("\u0000") as [string, string];
    return { kind: "navigation", property, value, spans: g.spans, rule: g.rule, ...NAVIGATION, confidence: null, order: 0 };
  });
}

function navigationValue(ctx: ValueContext, rule: NavigationRule): string | undefined {
  if (rule.resource !== undefined) return rule.resource;
  if (rule.resourceFromDimension === undefined) return undefined;
  const dimension = ctx.dimensionsByIdentifier.get(rule.resourceFromDimension);
  return dimension ? ctx.unit.dimensions[dimension.column] : undefined;
}

function scopeOf(ctx: ValueContext, crt: CompiledResourceType, spans: readonly Span[]) {
  const hull = { from: Math.min(...spans.map((s) => s.from)), to: Math.max(...spans.map((s) => s.to)) };
  return { resourceType: crt.resourceType.identifier, ...periodOf(hull), dimensions: ctx.unit.dimensions };
}

function queryValues(ctx: ValueContext, crt: CompiledResourceType): ValueCandidate[] {
  const out: ValueCandidate[] = [];
  for (const [property, rules] of crt.queryRules) {
    for (const rule of rules) {
      const spans = mergeSpans(baseSpans(ctx, rule.timeOffset));
      if (spans.length === 0) continue;
      const found = ctx.owner.evaluate(rule, scopeOf(ctx, crt, spans)).filter(isValue);
      if (found.length === 0) continue;
      for (const value of new Set(found.map(String))) {
        out.push({ kind: "navigation", property, value, spans, rule: rule.source, ...NAVIGATION, confidence: rule.confidence, order: 0 });
      }
      break;
    }
  }
  return out;
}

function monoValues(ctx: ValueContext, crt: CompiledResourceType): ValueCandidate[] {
  const out: ValueCandidate[] = [];
  const rules: Array<[ValueKind, ScalarRule | BinaryRule]> = [
    ...crt.resourceType.scalarRules.map((r): [ValueKind, ScalarRule] => ["scalar", r]),
    ...crt.resourceType.binaryRules.map((r): [ValueKind, BinaryRule] => ["binary", r]),
  ];
  rules.forEach(([kind, rule], position) => {
    let spans = mergeSpans(baseSpans(ctx, rule.timeOffset));
    if (rule.singleRole !== undefined) spans = intersectLists(spans, ctx.heldSingles.get(rule.singleRole) ?? []);
    if (spans.length === 0) return;
    const value = ctx.owner.evaluate(rule, scopeOf(ctx, crt, spans)).find(isValue);
    if (value === undefined) return;
    const scalar = "comparisonType" in rule ? rule : undefined;
    out.push({
      kind,
      property: rule.property,
      value,
      spans,
      rule: rule.source,
      comparisonType: scalar?.comparisonType ?? "CaseSensitive",
      isMapped: scalar?.isMapped ?? true,
      confidence: null,
      order: OFFSET_ORDER[rule.timeOffset?.reference ?? "Default"] * 1_000_000 + position,
    });
  });
  return out;
}

function isValue(v: Value | null | undefined): v is Value {
  return v !== null && v !== undefined && v !== "";
}

/**
 * The policy model as the evaluation reads it (evaluate/model.ts), built from the deployed items:
 * Dimension, ContextRule, SingleRole, CompositeRole, SingleRoleRule, CompositeRoleRule,
 * ResourceType (with its rule children) and Risk (with Rule > Item). The defaults the engine relies
 * on are the product's (BlockProvisioning, AllowAdd, AllowRemove and IsMapped true; Priority 0; a
 * rule without Type is Required); the schemas fill most of them at validate, this fills them again
 * for items deployed by an older schema.
 *
 * A rule child (a ScalarRule of a ResourceType) has no position of its own in the store: its
 * source is its ResourceType's, and its identifier `<ResourceType>/<Kind>#<n>` (1-based, in
 * document order).
 *
 * The roles BuildRoleModelTask generated (generated-role-store.ts) are merged in: each a SingleRole,
 * its NavigationRule appended to its ResourceType's, both with the source `RoleMapping <id>
 * (generated)` at the RoleMapping's file:line. A configured SingleRole of the same identifier wins.
 */
import { attributeText, type AttributeValue } from "../../config/coerce-attribute.js";
import { readStoredItems, type StoredItem } from "../stored-items.js";
import { readGeneratedRoles, type GeneratedRole } from "./generated-role-store.js";
import type { Store } from "../../store/store.js";
import { RULE_TYPES } from "./states.js";
import {
  COMPARISON_TYPES,
  type BinaryRule, type ComparisonType, type CompositeRoleRule, type ContextRule, type CriteriaRule, type Dimension, type NavigationRule,
  type PolicyModel, type QueryRule, type ResourceType, type Risk, type Role, type RuleSource, type ScalarRule, type SingleRoleRule,
  type TimeOffset, type TypeRule,
} from "./evaluate/model.js";
import { parseDimensionBindings, parseDimensionCriteria } from "./evaluate/parameter-names.js";

type ChildAttributes = Record<string, unknown> & { "@children"?: Record<string, ChildAttributes[]> };

export const POLICY_KINDS = ["Dimension", "ContextRule", "SingleRole", "CompositeRole", "SingleRoleRule", "CompositeRoleRule", "ResourceType", "Risk"] as const;

export async function loadPolicyModel(store: Store): Promise<PolicyModel> {
  const items = await readStoredItems(store, [...POLICY_KINDS, "RoleMapping"]);
  return policyModel(items, await readGeneratedRoles(store));
}

/** The policy model of these items (any other kind is ignored) and of the generated roles. */
export function policyModel(items: readonly StoredItem[], generated: readonly GeneratedRole[] = []): PolicyModel {
  const of = (kind: string) => items.filter((i) => i.kind === kind);
  const configuredRoles = of("SingleRole").map(role);
  const configured = new Set(configuredRoles.map((r) => r.identifier));
  const mappings = new Map(of("RoleMapping").map((i) => [i.identifier, i]));
  const kept = generated.filter((g) => !configured.has(g.identifier)).map((g) => ({ role: g, source: generatedSource(g, mappings.get(g.roleMapping)) }));
  const byResourceType = new Map<string, typeof kept>();
  for (const k of kept) {
    const list = byResourceType.get(k.role.navigation.resourceType);
    if (list) list.push(k);
    else byResourceType.set(k.role.navigation.resourceType, [k]);
  }
  return {
    dimensions: of("Dimension").map(dimension),
    contextRules: of("ContextRule").map(contextRule),
    singleRoles: [...configuredRoles, ...kept.map(({ role: g }): Role => ({
      identifier: g.identifier, entityType: g.entityType, policy: g.policy, ...optional("displayName", g.displayName ?? undefined),
    }))],
    compositeRoles: of("CompositeRole").map(role),
    singleRoleRules: of("SingleRoleRule").map((i): SingleRoleRule => ({
      ...criteriaRule(i.attributes, source(i)), role: text(i.attributes.Role)!, ...optional("compositeRole", text(i.attributes.CompositeRole)),
    })),
    compositeRoleRules: of("CompositeRoleRule").map((i): CompositeRoleRule => ({
      ...criteriaRule(i.attributes, source(i)), role: text(i.attributes.Role)!, ...optional("parentRole", text(i.attributes.ParentRole)),
    })),
    resourceTypes: of("ResourceType").map((i) => resourceType(i, byResourceType.get(i.identifier))),
    risks: of("Risk").map(risk),
  };
}

/** Where a generated role and its rule come from: the RoleMapping, at its file:line while it is deployed. */
function generatedSource(role: GeneratedRole, mapping: StoredItem | undefined): RuleSource {
  return { kind: "RoleMapping", identifier: `${role.roleMapping} (generated)`, file: mapping?.source?.file ?? "", line: mapping?.source?.line ?? 0 };
}

function source(item: StoredItem): RuleSource {
  return { kind: item.kind, identifier: item.identifier, file: item.source?.file ?? "", line: item.source?.line ?? 0 };
}

function dimension(item: StoredItem): Dimension {
  const a = item.attributes;
  return {
    identifier: item.identifier,
    column: Number(a.ColumnMapping),
    entityType: text(a.EntityType)!,
    isHierarchical: a.IsHierarchical === true,
    ...optional("displayName", text(a.DisplayName_L1)),
  };
}

function contextRule(item: StoredItem): ContextRule {
  const a = item.attributes;
  return {
    identifier: item.identifier,
    sourceEntityType: text(a.SourceEntityType)!,
    bindings: parseDimensionBindings(a),
    ...optional("resourcesBinding", text(a.ResourcesBinding)),
    ...optional("resourcesStartBinding", text(a.ResourcesStartBinding)),
    ...optional("resourcesEndBinding", text(a.ResourcesEndBinding)),
    ...optional("excludeExpression", text(a.ExcludeExpression)),
    ...optional("riskFactorType", oneOf(a.RiskFactorType, ["None", "Max", "Average"] as const)),
    source: source(item),
  };
}

function role(item: StoredItem): Role {
  const a = item.attributes;
  return { identifier: item.identifier, entityType: text(a.EntityType)!, policy: text(a.Policy)!, ...optional("displayName", text(a.DisplayName_L1)) };
}

function criteriaRule(a: Readonly<Record<string, unknown>>, at: RuleSource, policy?: string): CriteriaRule {
  return {
    criteria: parseDimensionCriteria(a),
    type: oneOf(a.Type, RULE_TYPES) ?? "Required",
    isDenied: a.IsDenied === true,
    priority: typeof a.Priority === "number" ? a.Priority : 0,
    policy: text(a.Policy) ?? policy ?? "",
    source: at,
  };
}

function resourceType(item: StoredItem, generated: ReadonlyArray<{ role: GeneratedRole; source: RuleSource }> = []): ResourceType {
  const a = item.attributes;
  const at = source(item);
  const policy = text(a.Policy)!;
  const rules = (kind: string): { attributes: ChildAttributes; source: RuleSource }[] =>
    childList(item, kind).map((attributes, index) => ({ attributes, source: { ...at, kind, identifier: `${item.identifier}/${kind}#${index + 1}` } }));
  const typeRules = rules("TypeRule").map(({ attributes: c, source: s }): TypeRule => ({
    ...criteriaRule(c, s, policy), ...optional("singleRole", text(c.SingleRole)), ...optional("timeOffset", timeOffset(c)),
  }));
  const navigationRules = rules("NavigationRule").map(({ attributes: c, source: s }): NavigationRule => ({
    // A navigation rule has no Type: it always assigns (the engine's Required).
    ...criteriaRule({ ...c, Type: undefined }, s, policy),
    property: text(c.Property)!,
    ...optional("resource", text(c.Resource)),
    ...optional("resourceFromDimension", text(c.ResourceFromDimension)),
    ...optional("singleRole", text(c.SingleRole)),
    ...optional("timeOffset", timeOffset(c)),
  })).concat(generated.map(({ role: g, source: s }): NavigationRule => ({
    criteria: [], type: "Required", isDenied: false, priority: 0, policy: g.policy, source: s,
    property: g.navigation.property, resource: g.navigation.resourceKey, singleRole: g.identifier,
  })));
  const queryRules = rules("QueryRule").map(({ attributes: c, source: s }): QueryRule => ({
    property: text(c.Property)!,
    ...optional("sourceBinding", text(c.SourceBinding)),
    ...optional("sourceExpression", text(c.SourceExpression)),
    ...optional("targetBinding", text(c.TargetBinding)),
    ...optional("targetExpression", text(c.TargetExpression)),
    confidence: typeof c.TargetMatchedConfidenceLevel === "number" ? c.TargetMatchedConfidenceLevel : 0,
    ...optional("timeOffset", timeOffset(c)),
    policy: text(c.Policy) ?? policy,
    source: s,
  }));
  const scalarRules = rules("ScalarRule").map(({ attributes: c, source: s }): ScalarRule => ({
    property: text(c.Property)!,
    ...optional("binding", text(c.Binding)),
    ...optional("expression", text(c.Expression)),
    ...optional("singleRole", text(c.SingleRole)),
    isMapped: c.IsMapped !== false,
    comparisonType: oneOf(c.ComparisonType, COMPARISON_TYPES) ?? ("CaseSensitive" satisfies ComparisonType),
    ...optional("timeOffset", timeOffset(c)),
    policy: text(c.Policy) ?? policy,
    source: s,
  }));
  const binaryRules = rules("BinaryRule").map(({ attributes: c, source: s }): BinaryRule => ({
    property: text(c.Property)!,
    ...optional("binding", text(c.Binding)),
    ...optional("singleRole", text(c.SingleRole)),
    ...optional("timeOffset", timeOffset(c)),
    policy: text(c.Policy) ?? policy,
    source: s,
  }));
  return {
    identifier: item.identifier,
    policy,
    sourceEntityType: text(a.SourceEntityType)!,
    targetEntityType: text(a.TargetEntityType)!,
    blockProvisioning: a.BlockProvisioning !== false,
    allowAdd: a.AllowAdd !== false,
    allowRemove: a.AllowRemove !== false,
    removeOrphans: a.RemoveOrphans === true,
    correlateMultipleResources: a.CorrelateMultipleResources === true,
    suggestAllCorrelations: a.SuggestAllCorrelations === true,
    discardManualAssignments: a.DiscardManualAssignments === true,
    transmittedStateValidityPeriod: typeof a.TransmittedStateValidityPeriod === "number" ? a.TransmittedStateValidityPeriod : 0,
    ...optional("dependsOn", text(a.DependsOn)),
    ...optional("dependsOnOwnerProperty", text(a.DependsOnOwnerProperty)),
    typeRules, navigationRules, queryRules, scalarRules, binaryRules,
    ...optional("displayName", text(a.DisplayName_L1)),
    source: at,
  };
}

function risk(item: StoredItem): Risk {
  const a = item.attributes;
  const at = source(item);
  return {
    identifier: item.identifier,
    entityType: text(a.EntityType)!,
    riskType: oneOf(a.RiskType, ["SoD", "HighPrivilege"] as const) ?? "SoD",
    level: typeof a.Level === "number" ? a.Level : 0,
    exemptionPolicy: oneOf(a.ExemptionPolicy, ["Warning", "Blocking", "ApprovalRequired"] as const) ?? "Warning",
    rules: childList(item, "Rule").map((rule, index) => ({
      items: (rule["@children"]?.Item ?? []).map((i) => ({
        resourceType: text(i.ResourceType)!, ...optional("property", text(i.Property)), ...optional("resource", text(i.Resource)),
      })),
      source: { ...at, kind: "Rule", identifier: `${item.identifier}/Rule#${index + 1}` },
    })),
    source: at,
  };
}

function timeOffset(a: Readonly<Record<string, unknown>>): TimeOffset | undefined {
  const reference = oneOf(a.TimeOffsetReference, ["Default", "Around", "Before", "After"] as const);
  const before = typeof a.TimeOffsetBeforeReference === "number" ? a.TimeOffsetBeforeReference : 0;
  const after = typeof a.TimeOffsetAfterReference === "number" ? a.TimeOffsetAfterReference : 0;
  if ((reference === undefined || reference === "Default") && before === 0 && after === 0) return undefined;
  return { reference: reference ?? "Default", beforeMinutes: before, afterMinutes: after };
}

/** The children of one kind, in document order (identifier-less children are stored as a list). */
function childList(item: StoredItem, kind: string): ChildAttributes[] {
  const group = (item.children as Record<string, unknown>)[kind];
  if (group === undefined) return [];
  return Array.isArray(group) ? (group as ChildAttributes[]) : Object.entries(group as Record<string, ChildAttributes>).map(([Identifier, c]) => ({ Identifier, ...c }));
}

/** A stored attribute as text, absent when empty (child attributes come as unknown from the item's JSON). */
function text(value: unknown): string | undefined {
  return attributeText(value as AttributeValue | undefined);
}

/** An enumeration's name, from its name or its number. */
function oneOf<T extends string>(value: unknown, names: readonly T[]): T | undefined {
  if (typeof value === "number") return names[value];
  return names.find((n) => n === value);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

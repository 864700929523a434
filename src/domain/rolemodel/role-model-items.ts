/**
 * The deployed role-model elements the correlation, classification and provisioning tasks read:
 * ResourceTypes (model.md §C.6) and the ResourceCorrelationRules and ResourceClassificationRules
 * (§C.7), their attributes typed by the generated schema types. Deploy stores them coerced with the
 * defaults applied; they are read as Partial all the same, since an item an older deploy stored (or
 * one stored before its schema existed) may lack one: a task warns about an element without what it
 * needs and leaves it out, never refuses it.
 */
import { attributeText, type AttributeValue } from "../../config/coerce-attribute.js";
import type {
  ResourceClassificationRuleAttributes, ResourceCorrelationRuleAttributes, ResourceTypeAttributes,
} from "../../config/generated/schema-types.js";
import { readStoredItems, type LazyStoredItem } from "../stored-items.js";
import type { Store } from "../../store/store.js";
import type { RuleRef } from "./assignment-rows.js";

export interface ResourceTypeModel {
  identifier: string;
  /** idm_items.id: the `Id` the order files give the resource type. */
  itemId: number;
  sourceEntityType: string | undefined;
  targetEntityType: string | undefined;
  /** Every attribute as stored, for what a task reads beyond the entity types (thresholds, BlockProvisioning…). */
  attributes: Readonly<Partial<ResourceTypeAttributes>>;
  /** `file:line`, for messages. */
  at: string;
}

/** One side of a correlation rule: a Binding, an Expression, or both (a function applied to the Binding). */
export interface KeySource {
  binding: string | undefined;
  expression: string | undefined;
}

export interface CorrelationRuleModel {
  rule: RuleRef;
  resourceType: string;
  /** SourceMatchedConfidenceLevel: from 100 a match is automatic, below it a suggestion. */
  confidence: number;
  source: KeySource;
  target: KeySource;
}

export interface ClassificationRuleModel {
  rule: RuleRef;
  resourceType: string;
  /** ResourceTypeIdentificationConfidenceLevel: the most confident matching rule classifies a resource. */
  confidence: number;
  /** A C# (or any expression form) boolean on the target; absent: every target of the type matches. */
  targetExpression: string | undefined;
}

function at(item: LazyStoredItem): string {
  return item.source ? `${item.source.file}:${item.source.line}` : `${item.kind} ${item.identifier}`;
}

function ruleRef(item: LazyStoredItem): RuleRef {
  return { kind: item.kind, identifier: item.identifier, file: item.source?.file ?? null, line: item.source?.line ?? null };
}

/** A stored item's attributes as its schema types them (see the top of this file). */
function attributesOf<Attributes>(item: LazyStoredItem): Partial<Attributes> {
  return item.attributes as Partial<Attributes>;
}

/** A numeric attribute (stored typed, or as text by an element stored without a schema); `fallback` when absent or not a number. */
export function numberAttribute(value: AttributeValue | undefined, fallback: number): number {
  const text = attributeText(value);
  const n = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(n) ? n : fallback;
}

/**
 * A Binding as a path of properties from the element's entity type: the `EntityType:` prefix the
 * reference allows (`Directory_User:MainRecord.Login`) and the type prefix of a segment reached
 * through a base type (`Owner.User:FirstName`) name types, not properties, and are dropped.
 */
export function bindingPath(binding: string | undefined): string | undefined {
  if (binding === undefined || binding.trim() === "") return undefined;
  return binding.trim().split(".").map((segment) => segment.slice(segment.lastIndexOf(":") + 1)).join(".");
}

export async function readResourceTypes(store: Store): Promise<Map<string, ResourceTypeModel>> {
  const types = new Map<string, ResourceTypeModel>();
  for (const item of await readStoredItems(store, "ResourceType")) {
    const a = attributesOf<ResourceTypeAttributes>(item);
    types.set(item.identifier, {
      identifier: item.identifier, itemId: item.id, sourceEntityType: attributeText(a.SourceEntityType), targetEntityType: attributeText(a.TargetEntityType),
      attributes: a, at: at(item),
    });
  }
  return types;
}

/** Entity type → the connector of its EntityTypeMapping: the connector a resource type belongs to is its TargetEntityType's. */
export async function readMappedConnectors(store: Store): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const item of await readStoredItems(store, "EntityTypeMapping")) {
    const connector = attributeText(item.attributes.Connector);
    if (connector !== undefined) result.set(item.identifier, connector);
  }
  return result;
}

/** Rules in the order they are written (file, then line): what a task logs about them reads like the configuration. */
async function rulesInFileOrder(store: Store, kind: string): Promise<LazyStoredItem[]> {
  const position = (item: LazyStoredItem) => [item.source?.file ?? "", item.source?.line ?? 0] as const;
  return (await readStoredItems(store, kind)).sort((a, b) => {
    const [fa, la] = position(a);
    const [fb, lb] = position(b);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb;
  });
}

export async function readCorrelationRules(store: Store): Promise<CorrelationRuleModel[]> {
  return (await rulesInFileOrder(store, "ResourceCorrelationRule")).map((item) => {
    const a = attributesOf<ResourceCorrelationRuleAttributes>(item);
    return {
      rule: ruleRef(item), resourceType: attributeText(a.ResourceType) ?? "", confidence: numberAttribute(a.SourceMatchedConfidenceLevel, 0),
      source: { binding: bindingPath(attributeText(a.SourceBinding)), expression: attributeText(a.SourceExpression) },
      target: { binding: bindingPath(attributeText(a.TargetBinding)), expression: attributeText(a.TargetExpression) },
    };
  });
}

export async function readClassificationRules(store: Store): Promise<ClassificationRuleModel[]> {
  return (await rulesInFileOrder(store, "ResourceClassificationRule")).map((item) => {
    const a = attributesOf<ResourceClassificationRuleAttributes>(item);
    return {
      rule: ruleRef(item), resourceType: attributeText(a.ResourceType) ?? "",
      confidence: numberAttribute(a.ResourceTypeIdentificationConfidenceLevel, 0), targetExpression: attributeText(a.TargetExpression),
    };
  });
}

/** `file:line` of a rule, or its kind and identifier when it is not written in a file. */
export function ruleLocation(rule: RuleRef): string {
  return rule.file ? `${rule.file}:${rule.line ?? 1}` : `${rule.kind} ${rule.identifier}`;
}

/**
 * The deployed RoleMappings (reference model.md §C.9) compiled for BuildRoleModelTask: the resource
 * type and navigation property whose values become roles, the entity type of those values, the
 * conditions (role-mapping-conditions.ts), the WhereExpression and the Binding/Expression of the
 * role's identifier, display name and category, each compiled on the value's entity type. A mapping
 * that cannot run is refused with a message, never half-compiled.
 */
import { attributeText, isTrueAttribute, type AttributeValue } from "../../config/coerce-attribute.js";
import type { RoleMappingAttributes } from "../../config/generated/schema-types.js";
import type { ResourceObject } from "../expressions/compile-expressions.js";
import type { EntityModel } from "../resources/entity-model.js";
import type { LazyStoredItem } from "../stored-items.js";
import type { GeneratedRole } from "./generated-role-store.js";
import { parseOperator, type ConditionItem, type Conditions } from "./role-mapping-conditions.js";
import { bindingPath, type ResourceTypeModel } from "./role-model-items.js";
import { addNavigations, compileRuleValue, type RuleProgram } from "./rule-subjects.js";
import type { NavigationTree } from "../expressions/compile-expressions.js";

const COPIED = [
  "policy", "category", "approvalWorkflowType", "implicitApproval", "approvalRequired", "hideOnSimplifiedView",
  "commentOnApprove", "commentOnDecline", "commentOnDeleteGap", "commentOnKeepGap",
] as const satisfies readonly (keyof GeneratedRole)[];

type ChildAttributes = Record<string, AttributeValue> & { "@children"?: Record<string, ChildAttributes[]> };

export interface CompiledRoleMapping {
  identifier: string;
  /** `file:line` of the RoleMapping, for messages. */
  at: string;
  resourceType: ResourceTypeModel;
  /** The owners' entity type: the resource type's SourceEntityType. */
  ownerEntityType: string;
  /** The navigation property of the resource type's targets, bare. */
  property: string;
  /** The entity type the property reaches: its resources are the candidate values. */
  valueEntityType: string;
  conditions: Conditions;
  where: RuleProgram | undefined;
  roleIdentifier: RuleProgram | undefined;
  displayName: RuleProgram | undefined;
  category: RuleProgram | undefined;
  /** What the generated roles copy from the mapping (a computed category replaces `category`). */
  copied: Pick<GeneratedRole, (typeof COPIED)[number]>;
  /** The navigations the programs read from a value resource. */
  navigations: NavigationTree;
}

/** A property written `EntityType:Property` or bare, as its bare name; `expected` is the type the prefix must name. */
function bareProperty(written: string, expected: string): string | { error: string } {
  const colon = written.indexOf(":");
  if (colon === -1) return written;
  const type = written.slice(0, colon);
  if (type !== expected) return { error: `${written} names the EntityType ${type}, not ${expected}` };
  return written.slice(colon + 1);
}

function text(value: unknown): string | undefined {
  return attributeText(value as AttributeValue | undefined);
}

function rulesOf(item: LazyStoredItem): ChildAttributes[] {
  const group = (item.children as Record<string, unknown>).Rule;
  return Array.isArray(group) ? (group as ChildAttributes[]) : [];
}

/** Compiles a deployed RoleMapping; throws an Error whose message says why it cannot run. */
export function compileRoleMapping(item: LazyStoredItem, types: ReadonlyMap<string, ResourceTypeModel>, model: EntityModel): CompiledRoleMapping {
  const a = item.attributes as Partial<RoleMappingAttributes>;
  const at = item.source ? `${item.source.file}:${item.source.line}` : `RoleMapping ${item.identifier}`;
  const label = `RoleMapping ${item.identifier} (${at})`;
  const type = types.get(text(a.ResourceType) ?? "");
  if (!type) throw new Error(`${label}: ResourceType ${text(a.ResourceType) ?? "(none)"} is not deployed`);
  if (!type.targetEntityType || !type.sourceEntityType) throw new Error(`${label}: ResourceType ${type.identifier} has no SourceEntityType or TargetEntityType`);
  const property = bareProperty(text(a.Property) ?? "", type.targetEntityType);
  if (typeof property !== "string") throw new Error(`${label}: Property ${property.error}, the TargetEntityType of ResourceType ${type.identifier}`);
  const navigation = model.entityTypes.get(type.targetEntityType)?.properties.get(property)?.navigation;
  if (!navigation) throw new Error(`${label}: ${type.targetEntityType}:${property} is not a navigation property (no EntityAssociation has it)`);
  const valueType = navigation.target;
  const valueProperties = model.entityTypes.get(valueType)?.properties;
  if (!valueProperties) throw new Error(`${label}: ${type.targetEntityType}:${property} reaches ${valueType}, which is not deployed`);

  const conditions = rulesOf(item).map((rule, r) => (rule["@children"]?.Item ?? []).map((i, n): ConditionItem => {
    const where = `${label} Rule ${r + 1} Item ${n + 1}`;
    const name = bareProperty(text(i.Property) ?? "", valueType);
    if (typeof name !== "string") throw new Error(`${where}: Property ${name.error} that ${type.targetEntityType}:${property} reaches`);
    if (!valueProperties.has(name)) throw new Error(`${where}: ${valueType} has no Property ${name}`);
    const operator = parseOperator(text(i.Operator));
    if (operator === undefined) throw new Error(`${where}: Operator ${text(i.Operator)} is not a QueryComparisonOperator`);
    return { property: name, operator, value: text(i.Value) ?? "" };
  }));

  const navigations: NavigationTree = new Map();
  const program = (name: string, binding: string | undefined, expression: string | undefined, valueKind: "String" | "Bool") => {
    if (binding === undefined && expression === undefined) return undefined;
    const compiled = compileRuleValue(`${label} ${name}`, valueType, { binding: bindingPath(binding), expression }, valueKind, model);
    addNavigations(navigations, compiled.navigations);
    return compiled;
  };
  return {
    identifier: item.identifier, at, resourceType: type, ownerEntityType: type.sourceEntityType, property, valueEntityType: valueType, conditions,
    where: program("WhereExpression", undefined, text(a.WhereExpression), "Bool"),
    roleIdentifier: program("IdentifierBinding/Expression", text(a.IdentifierBinding), text(a.IdentifierExpression), "String"),
    displayName: program("DisplayNameBinding/Expression", text(a.DisplayNameBinding), text(a.DisplayNameExpression), "String"),
    category: program("CategoryIdentifierBinding/Expression", text(a.CategoryIdentifierBinding), text(a.CategoryIdentifierExpression), "String"),
    copied: {
      policy: text(a.RolePolicy) ?? text(a.Policy) ?? "",
      category: text(a.Category) ?? null,
      approvalWorkflowType: text(a.ApprovalWorkflowType) ?? "None",
      implicitApproval: text(a.ImplicitApproval) ?? "Inherited",
      approvalRequired: isTrueAttribute(a.ApprovalRequired),
      hideOnSimplifiedView: isTrueAttribute(a.HideOnSimplifiedView),
      commentOnApprove: text(a.CommentActivationOnApproveInReview) ?? "Inherited",
      commentOnDecline: text(a.CommentActivationOnDeclineInReview) ?? "Inherited",
      commentOnDeleteGap: text(a.CommentActivationOnDeleteGapInReconciliation) ?? "Inherited",
      commentOnKeepGap: text(a.CommentActivationOnKeepGapInReconciliation) ?? "Inherited",
    },
    navigations,
  };
}

/** A scalar of a value resource as the conditions read it; a navigation or an absent property reads as absent. */
export function scalarOf(resource: ResourceObject, property: string): string | number | boolean | undefined {
  const value = resource.get(property);
  if (value === undefined || typeof value === "object") return undefined;
  return typeof value === "bigint" ? value.toString() : value;
}

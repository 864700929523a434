/**
 * What the policy evaluation reads, already typed: the policy model (reference model.md §B.4, §C)
 * and, per owner, what the caller loaded about it. The engine is pure: whoever calls it loads the
 * model from the stored items, compiles the expressions and reads the database; the engine only
 * decides.
 *
 * Attribute names follow the product's, camel-cased (`IsDenied` → `isDenied`). Dimension-indexed
 * attributes (`D<n>`, `L<n>`, `B<n>`) become lists keyed by the dimension's `ColumnMapping`:
 * parameter-names.ts turns the product's spelling into them.
 */
import type { RuleType } from "../states.js";
import type { StoredAssignment } from "./assignments.js";

/** Where a rule was written, so that an explanation can point at it as `file:line`. */
export interface RuleSource {
  /** The element name: `SingleRoleRule`, `TypeRule`, `ScalarRule`, `ContextRule`, ... */
  kind: string;
  /** The item's identifier, or the key the deploy derived for an identifier-less rule. */
  identifier: string;
  file: string;
  line: number;
}

/** A value a rule computes or a target holds. Absent values are `null`, never empty strings. */
export type Value = string | number | boolean | Date;

/** `D<n>="value"` with its `L<n>` flag: the owner's context must have this value for dimension n (or, with L, a descendant of it). */
export interface DimensionCriterion {
  /** The dimension's ColumnMapping (0–127). */
  dimension: number;
  /** The key of the dimension value (the `IsKey` property of the dimension's entity type). */
  value: string;
  /** `L<n>`: also match the descendants of the value in a hierarchical dimension. */
  hierarchical: boolean;
}

/** §B.4. `parents` maps a value key to its parent's key (the ParentProperty, resolved by the caller). */
export interface Dimension {
  identifier: string;
  /** ColumnMapping. */
  column: number;
  entityType: string;
  isHierarchical: boolean;
  parents?: ReadonlyMap<string, string>;
  displayName?: string;
}

/** §C.8. The bindings and expressions are kept for explanations; the caller resolves them per context resource. */
export interface ContextRule {
  identifier: string;
  sourceEntityType: string;
  /** `B<n>`: the binding of each dimension, by ColumnMapping. */
  bindings: ReadonlyArray<{ dimension: number; binding: string }>;
  resourcesBinding?: string;
  resourcesStartBinding?: string;
  resourcesEndBinding?: string;
  excludeExpression?: string;
  riskFactorType?: "None" | "Max" | "Average";
  source: RuleSource;
}

export interface Role {
  identifier: string;
  entityType: string;
  policy: string;
  displayName?: string;
}

/** What role, type and navigation rules share: D/L criteria, the rule type, deny and priority. */
export interface CriteriaRule {
  criteria: readonly DimensionCriterion[];
  /** RuleType: Required assigns; RequestedAutomatically and Suggested only suggest. Default Required. */
  type: RuleType;
  isDenied: boolean;
  /** Smaller is stronger. Default 0. */
  priority: number;
  policy: string;
  source: RuleSource;
}

/** §C.5. `compositeRole`: the owner must already hold this composite role (the rule infers the single role). */
export interface SingleRoleRule extends CriteriaRule {
  role: string;
  compositeRole?: string;
}

/** §C.5. `parentRole`: the owner must already hold this composite role. */
export interface CompositeRoleRule extends CriteriaRule {
  role: string;
  parentRole?: string;
}

/** TimeOffsetReference of §C.6, with its two offsets in minutes. */
export interface TimeOffset {
  reference: "Default" | "Around" | "Before" | "After";
  beforeMinutes: number;
  afterMinutes: number;
}

export interface TypeRule extends CriteriaRule {
  singleRole?: string;
  timeOffset?: TimeOffset;
}

export interface NavigationRule extends CriteriaRule {
  property: string;
  /** The key of the resource put into the property. Exactly one of `resource` and `resourceFromDimension`. */
  resource?: string;
  /** A dimension identifier: one virtual rule per value of the dimension, the owner's value being the resource. */
  resourceFromDimension?: string;
  singleRole?: string;
  timeOffset?: TimeOffset;
}

/** A QueryRule: the caller matches the source side against the target type; `evaluate` returns the matched keys. */
export interface QueryRule {
  property: string;
  sourceBinding?: string;
  sourceExpression?: string;
  targetBinding?: string;
  targetExpression?: string;
  /** TargetMatchedConfidenceLevel: 0–99 needs review, 100–150 automatic. */
  confidence: number;
  timeOffset?: TimeOffset;
  policy: string;
  source: RuleSource;
}

export const COMPARISON_TYPES = ["CaseSensitive", "IgnoreCase", "IgnoreDiacritics", "Simplified", "Approximate", "Trim"] as const;
export type ComparisonType = (typeof COMPARISON_TYPES)[number];

export interface ScalarRule {
  property: string;
  binding?: string;
  expression?: string;
  singleRole?: string;
  /** false: provision only; the value is never read back nor compared. Default true. */
  isMapped: boolean;
  comparisonType: ComparisonType;
  timeOffset?: TimeOffset;
  policy: string;
  source: RuleSource;
}

export interface BinaryRule {
  property: string;
  binding?: string;
  singleRole?: string;
  timeOffset?: TimeOffset;
  policy: string;
  source: RuleSource;
}

/** §C.6, with the flags the evaluation and the reconciliation read. Defaults are the product's. */
export interface ResourceType {
  identifier: string;
  policy: string;
  sourceEntityType: string;
  targetEntityType: string;
  /** Default true: new orders wait in AwaitingApproval for a provisioning review. */
  blockProvisioning: boolean;
  /** Default true: without it a creation waits for a review. */
  allowAdd: boolean;
  /** Default true: without it a deletion waits for a review. */
  allowRemove: boolean;
  removeOrphans: boolean;
  correlateMultipleResources: boolean;
  suggestAllCorrelations: boolean;
  /** false: a manual change approved in reconciliation is kept and the policy value is questioned. */
  discardManualAssignments: boolean;
  /** Minutes an order may stay Transmitted or Executed before its row turns Errored; 0: no limit. */
  transmittedStateValidityPeriod: number;
  dependsOn?: string;
  dependsOnOwnerProperty?: string;
  typeRules: readonly TypeRule[];
  navigationRules: readonly NavigationRule[];
  queryRules: readonly QueryRule[];
  scalarRules: readonly ScalarRule[];
  binaryRules: readonly BinaryRule[];
  displayName?: string;
  source: RuleSource;
}

/** An item of a risk rule: the owner holds, through a resource of `resourceType`, this `property` value (`resource` for navigations). */
export interface RiskItem {
  resourceType: string;
  property?: string;
  resource?: string;
}

/** §C.10. A rule fires when all its items hold; the rules of a risk OR together. */
export interface Risk {
  identifier: string;
  entityType: string;
  riskType: "SoD" | "HighPrivilege";
  level: number;
  exemptionPolicy: "Warning" | "Blocking" | "ApprovalRequired";
  rules: ReadonlyArray<{ items: readonly RiskItem[]; source: RuleSource }>;
  source: RuleSource;
}

export interface PolicyModel {
  dimensions: readonly Dimension[];
  contextRules: readonly ContextRule[];
  singleRoles: readonly Role[];
  compositeRoles: readonly Role[];
  singleRoleRules: readonly SingleRoleRule[];
  compositeRoleRules: readonly CompositeRoleRule[];
  resourceTypes: readonly ResourceType[];
  risks: readonly Risk[];
}

/** Every rule `OwnerInput.evaluate` may be asked about. */
export type EvaluatedRule = ScalarRule | BinaryRule | QueryRule;

/** What the rule's expression may see besides the owner: the assignment's period and its context's dimension values. */
export interface EvaluationScope {
  resourceType: string;
  validFrom: Date | null;
  validTo: Date | null;
  dimensions: Readonly<Record<number, string>>;
}

/** A resource that carries a context (a record, a position): its dimension values and its validity, resolved by the caller. */
export interface ContextResource {
  /** Dimension value keys by ColumnMapping; a dimension the resource has no value for is absent. */
  dimensions: Readonly<Record<number, string>>;
  start: Date | null;
  end: Date | null;
  /** The ContextRule's ExcludeExpression held for this resource: it gives no context. */
  excluded?: boolean;
}

export interface TargetRef {
  id: string;
  key: string;
}

/** A target whose correlation key equals the owner's, with the confidence of the rule that matched. */
export interface CorrelationCandidate {
  target: TargetRef;
  confidence: number;
  rule: RuleSource;
}

/**
 * One owner (an identity), as the caller loaded it. `existing` holds its assignments as stored
 * (assignments.ts); `targets` the current values of every target resource its existing
 * assignments and candidates name: a target absent from it no longer exists.
 */
export interface OwnerInput {
  id: string;
  key: string;
  entityType: string;
  contextResources: readonly ContextResource[];
  /**
   * Values of a rule for this owner: a ScalarRule's or BinaryRule's Binding and/or Expression; for a
   * QueryRule, the keys of the target-side resources whose target binding equals the owner's source
   * side. Empty when the rule gives nothing.
   */
  evaluate(rule: EvaluatedRule, scope: EvaluationScope): readonly Value[];
  /** Correlation candidates by resource type identifier. */
  candidates: ReadonlyMap<string, readonly CorrelationCandidate[]>;
  /** The owner's own scalar values, for DependsOnOwnerProperty. */
  properties?: Readonly<Record<string, Value | null>>;
  existing: readonly StoredAssignment[];
  targets: TargetValues;
}

/** Current values of target resources by target id; a navigation property holds the keys of the resources it points to. */
export type TargetValues = ReadonlyMap<string, Readonly<Record<string, Value | readonly Value[] | null>>>;

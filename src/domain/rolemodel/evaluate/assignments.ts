/**
 * The rows the evaluation produces and the store keeps: assigned composite and single roles,
 * assigned resource types (owner → target), their scalar, navigation and binary values, and
 * identified risks; then the delta that turns the stored rows into the expected ones.
 *
 * A period is `[validFrom, validTo)`; `null` is open (since always, until further notice).
 */
import type { AssignmentOrigin, OrderChangeType, ProvisioningState, RuleType, WorkflowState } from "../states.js";
import type { ComparisonType, RuleSource, TargetRef, Value } from "./model.js";

export interface Period {
  validFrom: Date | null;
  validTo: Date | null;
}

interface Row extends Period {
  origin: AssignmentOrigin;
  workflowState: WorkflowState;
  /** The rule that produced the row; null for manual, found and pre-existing rows. */
  rule: RuleSource | null;
}

export type RoleKind = "compositeRole" | "singleRole";

export interface RoleAssignment extends Row {
  kind: RoleKind;
  role: string;
}

export interface Correlation {
  rule: RuleSource;
  confidence: number;
}

export interface ResourceTypeAssignment extends Row {
  kind: "resourceType";
  resourceType: string;
  /** null: no target yet; a creation order follows. */
  target: TargetRef | null;
  correlation: Correlation | null;
  provisioningState: ProvisioningState;
  /** What the next order does: Added (create), Deleted (deprovision), null (nothing). */
  changeType: OrderChangeType | null;
  /** Why no order may go yet although the row is pending: `DependsOn X`, `DependsOnOwnerProperty P`. */
  heldBack: string | null;
}

export type ValueKind = "scalar" | "navigation" | "binary";

export interface ValueAssignment extends Row {
  kind: ValueKind;
  resourceType: string;
  target: TargetRef | null;
  property: string;
  /** What the rules want. */
  policyValue: Value;
  /** What the target holds now (all the keys of a navigation property). */
  currentValue: Value | readonly Value[] | null;
  comparisonType: ComparisonType;
  isMapped: boolean;
  /** A QueryRule's TargetMatchedConfidenceLevel; null for the other rules. */
  confidence: number | null;
  provisioningState: ProvisioningState;
  /** Added (a value to add, or a scalar of a resource to create), Modified (a scalar to change), Deleted (a value to remove). */
  changeType: OrderChangeType | null;
  /** A manual value approved in reconciliation differs from the policy value and is kept (DiscardManualAssignments=false). */
  questioned: boolean;
}

export interface RiskAssignment extends Row {
  kind: "risk";
  risk: string;
  level: number;
}

export type Assignment = RoleAssignment | ResourceTypeAssignment | ValueAssignment | RiskAssignment;
export type StoredAssignment = Assignment & { id: string };

/** An expected row: its states are decided by reconcile. `storedId` names the stored row a kept row came from. */
interface Expected {
  storedId?: string;
}
export type ExpectedRole = RoleAssignment & Expected;
export type ExpectedRisk = RiskAssignment & Expected;
export type ExpectedResourceType = Omit<ResourceTypeAssignment, "provisioningState" | "changeType"> &
  Expected & {
    /** A correlation below the automatic level: the target is a suggestion to review. */
    needsReview: boolean;
  };
export type ExpectedValue = Omit<ValueAssignment, "provisioningState" | "changeType" | "currentValue"> & Expected;
export type ExpectedRow = ExpectedRole | ExpectedRisk | ExpectedResourceType | ExpectedValue;

/** A dimension-value set with its validity, as the context rule gave it. */
export interface Context extends Period {
  dimensions: Readonly<Record<number, string>>;
}

/** A role or resource type that a Suggested or RequestedAutomatically rule offers without assigning it. */
export interface Suggestion extends Period {
  kind: RoleKind | "resourceType";
  identifier: string;
  type: RuleType;
  rule: RuleSource;
}

export interface ExpectedAssignments {
  owner: { id: string; key: string; entityType: string };
  evaluatedAt: Date;
  contexts: Context[];
  roles: ExpectedRole[];
  resourceTypes: ExpectedResourceType[];
  values: ExpectedValue[];
  risks: ExpectedRisk[];
  suggestions: Suggestion[];
  /** What the product would accept but a user should look at (a property filled by navigation and query rules, ...). */
  warnings: string[];
}

export type DeleteReason = "declined" | "cancelled" | "never-started";

export type AssignmentChange =
  | { change: "insert"; row: Assignment }
  | { change: "update"; id: string; before: StoredAssignment; row: Assignment }
  /** The row ends at `validTo` and goes to history. */
  | { change: "historize"; id: string; row: StoredAssignment; validTo: Date }
  | { change: "delete"; id: string; row: StoredAssignment; reason: DeleteReason };

export interface AssignmentDelta {
  changes: AssignmentChange[];
  /** Stored rows left as they are. */
  kept: StoredAssignment[];
}

/**
 * The assignment store's rows in the role model's words: the stored rows (store/entities/
 * assignment-tables.ts, plain strings there) with their states, origins and kinds narrowed to
 * states.ts' names, and the rule that made a row as one reference instead of four columns.
 */
import type {
  StoredContextRow, StoredCorrelationKeyRow, StoredOrderRow, StoredProvenance, StoredResourceTypeRow, StoredRiskRow, StoredRoleRow, StoredValueRow,
} from "../../store/entities.js";
import type { ChangeState } from "../vocabulary.js";
import type { AssignmentOrigin, OrderChangeType, ProvisioningState, WorkflowState } from "./states.js";

/** Row with some columns' types replaced. */
type Typed<Row, Columns> = Omit<Row, keyof Columns> & Columns;

interface ProvenanceWords {
  origin: AssignmentOrigin;
  workflowState: WorkflowState;
}

export type Provenance = Typed<StoredProvenance, ProvenanceWords>;

export const ROLE_KINDS = ["single", "composite"] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];
export const VALUE_KINDS = ["scalar", "navigation", "binary"] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];
export const KEY_SIDES = ["owner", "target"] as const;
export type KeySide = (typeof KEY_SIDES)[number];
export const ORDER_DECISIONS = ["Approved", "Declined"] as const;
export type OrderDecision = (typeof ORDER_DECISIONS)[number];

export type ContextRow = Typed<StoredContextRow, ProvenanceWords>;
export type RoleRow = Typed<StoredRoleRow, ProvenanceWords & { kind: RoleKind }>;
export type ResourceTypeRow = Typed<StoredResourceTypeRow, ProvenanceWords & { provisioningState: ProvisioningState; changeType: OrderChangeType | null }>;
export type ValueRow = Typed<StoredValueRow, ProvenanceWords & { kind: ValueKind; provisioningState: ProvisioningState; changeType: OrderChangeType | null }>;
export type RiskRow = Typed<StoredRiskRow, ProvenanceWords>;
export type CorrelationKeyRow = Typed<StoredCorrelationKeyRow, { side: KeySide }>;
/** FulfillTask's record of an order (domain/provisioning/fulfil.ts): handed to a package, then its outcome (Ticket: open, closed by a person). */
export type FulfilState = "InFlight" | "Executed" | "Errored" | "Ticket";
export type OrderRow = Typed<StoredOrderRow, { changeType: OrderChangeType; state: ChangeState; decision: OrderDecision | null; fulfilState: FulfilState | null }>;

/** A row to insert: the store gives its id and names the job instance that wrote it (WriteContext). */
type New<Row> = Omit<Row, "id" | "updatedByJobInstance">;
export type NewContext = New<ContextRow>;
export type NewRole = New<RoleRow>;
export type NewValue = New<ValueRow>;
/** A value of a resource type assignment written in the same delta: its assignment's id is not known yet. */
export type NewValueOfType = Omit<NewValue, "assignedResourceTypeId">;
/** A new resource type assignment and its values (its id is reserved when it is written). */
export type NewResourceType = New<ResourceTypeRow> & { values?: NewValueOfType[] };
export type NewRisk = New<RiskRow>;
export type NewCorrelationKey = Omit<CorrelationKeyRow, "id">;
/** A new order: FulfillTask's columns stay null until it takes the order. */
export type NewOrder = Omit<OrderRow, "id" | "fulfilState" | "fulfilMessage" | "fulfilledAt" | "fulfilledByJobInstance">;

/** The rule that made an assignment: its element (SingleRoleRule, TypeRule, …), its identifier and where it is written. */
export interface RuleRef {
  kind: string;
  identifier: string;
  file?: string | null;
  line?: number | null;
}

type RuleColumns = Pick<StoredProvenance, "ruleKind" | "ruleIdentifier" | "ruleFile" | "ruleLine">;

/** A rule reference as the four provenance columns (all null for an assignment no rule made: manual, found). */
export function ruleColumns(rule: RuleRef | null | undefined): RuleColumns {
  if (!rule) return { ruleKind: null, ruleIdentifier: null, ruleFile: null, ruleLine: null };
  return { ruleKind: rule.kind, ruleIdentifier: rule.identifier, ruleFile: rule.file ?? null, ruleLine: rule.line ?? null };
}

/** The rule of a row, or null. */
export function ruleOf(row: RuleColumns): RuleRef | null {
  if (row.ruleKind === null || row.ruleIdentifier === null) return null;
  return { kind: row.ruleKind, identifier: row.ruleIdentifier, file: row.ruleFile, line: row.ruleLine };
}

/** `file:line` of a row's rule, as the CLI shows it; undefined when the rule is not written in a file. */
export function ruleAt(row: RuleColumns): string | undefined {
  return row.ruleFile === null ? undefined : `${row.ruleFile}:${row.ruleLine ?? 1}`;
}

/** Everything the store holds for one owner. */
export interface OwnerAssignments {
  contexts: ContextRow[];
  roles: RoleRow[];
  resourceTypes: ResourceTypeWithValues[];
  risks: RiskRow[];
}

export type ResourceTypeWithValues = ResourceTypeRow & { values: ValueRow[] };

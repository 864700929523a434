/**
 * The assignment store (migrations/0007-assignments.ts, where the reasons for its shape are): rows
 * as stored. States, origins and change types are plain strings here: the store imports only the
 * kernel, and domain/rolemodel/assignment-rows.ts narrows them to the role model's words.
 */
import { EntitySchema, type EntitySchemaColumnOptions } from "typeorm";
import type { ColumnTypes } from "../column-types.js";
import { column, ENTITY, idColumn as id, reference } from "./schema-helpers.js";

/** Where an assignment row comes from and for how long: the columns every assignment table has. */
export interface StoredProvenance {
  origin: string;
  ruleKind: string | null;
  ruleIdentifier: string | null;
  ruleFile: string | null;
  ruleLine: number | null;
  workflowState: string;
  validFrom: Date | null;
  validTo: Date | null;
  updatedByJobInstance: number | null;
}

export interface StoredContextRow extends StoredProvenance {
  id: number;
  ownerId: number;
  dimensions: string /*JSON*/;
}

export interface StoredRoleRow extends StoredProvenance {
  id: number;
  ownerId: number;
  role: string;
  kind: string;
  parameters: string /*JSON*/ | null;
}

export interface StoredResourceTypeRow extends StoredProvenance {
  id: number;
  ownerId: number | null;
  resourceType: string;
  targetId: number | null;
  correlationRule: string | null;
  confidence: number | null;
  provisioningState: string;
  changeType: string | null;
  heldBack: string | null;
  parameters: string /*JSON*/ | null;
}

export interface StoredValueRow extends StoredProvenance {
  id: number;
  assignedResourceTypeId: number;
  property: string;
  kind: string;
  provisioningState: string;
  changeType: string | null;
  confidence: number | null;
  questioned: boolean;
  policyValue: string | null;
  currentValue: string | null;
}

export interface StoredRiskRow extends StoredProvenance {
  id: number;
  ownerId: number;
  risk: string;
  ruleIndex: number;
}

export interface RiskScoreRow {
  id: number;
  ownerId: number;
  score: number;
  computedAt: Date;
  updatedByJobInstance: number | null;
}

export interface StoredCorrelationKeyRow {
  id: number;
  resourceId: number;
  entityType: string;
  resourceType: string;
  ruleIdentifier: string;
  side: string;
  keyValue: string;
}

export interface StoredOrderRow {
  id: number;
  assignedResourceTypeId: number;
  resourceType: string;
  connector: string;
  changeType: string;
  ownerId: number | null;
  targetId: number | null;
  state: string;
  orderFile: string | null;
  createdAt: Date;
  jobInstanceId: number;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  changes: string /*JSON*/;
  /** FulfillTask's record (migrations/0009): InFlight|Executed|Errored, null before it takes the order. */
  fulfilState: string | null;
  fulfilMessage: string | null;
  fulfilledAt: Date | null;
  fulfilledByJobInstance: number | null;
}

export interface AssignmentHistoryRow {
  id: number;
  family: string;
  rowId: number;
  ownerId: number | null;
  operation: string;
  archivedAt: Date;
  archivedByJobInstance: number | null;
  previous: string /*JSON*/;
}

export interface IdSequenceRow {
  name: string;
  nextId: number;
}

export function assignmentEntities(t: ColumnTypes): EntitySchema[] {
  const identifier = t.identifier(442);
  const provenance: Record<keyof StoredProvenance, EntitySchemaColumnOptions> = {
    origin: column("origin", t.string(16)),
    ruleKind: column("rule_kind", t.string(64), true),
    ruleIdentifier: column("rule_identifier", identifier, true),
    ruleFile: column("rule_file", t.string(1024), true),
    ruleLine: column("rule_line", t.int, true),
    workflowState: column("workflow_state", t.string(32)),
    validFrom: column("valid_from", t.timestamp, true),
    validTo: column("valid_to", t.timestamp, true),
    updatedByJobInstance: column("updated_by_job_instance", t.int, true),
  };
  const ownerIndex = (table: string) => ({ name: `IX_${table}_owner_id`, columns: ["ownerId"] });

  const context = new EntitySchema<StoredContextRow>({
    name: ENTITY.assignedContext,
    tableName: "idm_assigned_contexts",
    columns: { id: id(t, "idm_assigned_contexts"), ownerId: column("owner_id", t.int), ...provenance, dimensions: column("dimensions", t.text) },
    indices: [ownerIndex("idm_assigned_contexts")],
  });

  const role = new EntitySchema<StoredRoleRow>({
    name: ENTITY.assignedRole,
    tableName: "idm_assigned_roles",
    columns: {
      id: id(t, "idm_assigned_roles"), ownerId: column("owner_id", t.int), role: column("role", identifier), kind: column("kind", t.string(16)),
      ...provenance, parameters: column("parameters", t.text, true),
    },
    indices: [ownerIndex("idm_assigned_roles")],
  });

  const resourceType = new EntitySchema<StoredResourceTypeRow>({
    name: ENTITY.assignedResourceType,
    tableName: "idm_assigned_resource_types",
    columns: {
      id: { name: "id", ...t.int, primary: true, primaryKeyConstraintName: "PK_idm_assigned_resource_types" },
      ownerId: column("owner_id", t.int, true),
      resourceType: column("resource_type", identifier),
      targetId: column("target_id", t.int, true),
      correlationRule: column("correlation_rule", identifier, true),
      confidence: column("confidence", t.int, true),
      provisioningState: column("provisioning_state", t.string(32)),
      changeType: column("change_type", t.string(16), true),
      heldBack: column("held_back", t.string(256), true),
      ...provenance,
      parameters: column("parameters", t.text, true),
    },
    indices: [
      ownerIndex("idm_assigned_resource_types"),
      { name: "IX_idm_assigned_resource_types_target_id", columns: ["targetId"] },
      { name: "IX_idm_assigned_resource_types_type_state_id", columns: ["resourceType", "provisioningState", "id"] },
    ],
  });

  const value = new EntitySchema<StoredValueRow>({
    name: ENTITY.assignedValue,
    tableName: "idm_assigned_values",
    columns: {
      id: id(t, "idm_assigned_values"),
      assignedResourceTypeId: column("assigned_resource_type_id", t.int),
      property: column("property", identifier),
      kind: column("kind", t.string(16)),
      provisioningState: column("provisioning_state", t.string(32)),
      changeType: column("change_type", t.string(16), true),
      confidence: column("confidence", t.int, true),
      questioned: column("questioned", t.boolean),
      ...provenance,
      policyValue: column("policy_value", t.text, true),
      currentValue: column("current_value", t.text, true),
    },
    indices: [{ name: "IX_idm_assigned_values_assigned_resource_type_id", columns: ["assignedResourceTypeId"] }],
    foreignKeys: [reference("idm_assigned_values", "assignedResourceTypeId", "assigned_resource_type_id", ENTITY.assignedResourceType)],
  });

  const risk = new EntitySchema<StoredRiskRow>({
    name: ENTITY.identifiedRisk,
    tableName: "idm_identified_risks",
    columns: {
      id: id(t, "idm_identified_risks"), ownerId: column("owner_id", t.int), risk: column("risk", identifier), ruleIndex: column("rule_index", t.int), ...provenance,
    },
    indices: [ownerIndex("idm_identified_risks")],
  });

  const riskScore = new EntitySchema<RiskScoreRow>({
    name: ENTITY.riskScore,
    tableName: "idm_risk_scores",
    columns: {
      id: id(t, "idm_risk_scores"), ownerId: column("owner_id", t.int), score: column("score", t.int), computedAt: column("computed_at", t.timestamp),
      updatedByJobInstance: column("updated_by_job_instance", t.int, true),
    },
    indices: [{ name: "UX_idm_risk_scores_owner_id", columns: ["ownerId"], unique: true }],
  });

  const correlationKey = new EntitySchema<StoredCorrelationKeyRow>({
    name: ENTITY.correlationKey,
    tableName: "idm_correlation_keys",
    columns: {
      id: id(t, "idm_correlation_keys"),
      resourceId: column("resource_id", t.int),
      entityType: column("entity_type", t.identifier(407)),
      resourceType: column("resource_type", identifier),
      ruleIdentifier: column("rule_identifier", identifier),
      side: column("side", t.ascii(6)),
      keyValue: column("key_value", t.identifier(405)),
    },
    indices: [
      { name: "IX_idm_correlation_keys_type_side_key", columns: ["resourceType", "side", "keyValue"] },
      { name: "IX_idm_correlation_keys_resource_id", columns: ["resourceId"] },
    ],
    foreignKeys: [reference("idm_correlation_keys", "resourceId", "resource_id", ENTITY.resource, "CASCADE")],
  });

  const order = new EntitySchema<StoredOrderRow>({
    name: ENTITY.provisioningOrder,
    tableName: "idm_provisioning_orders",
    columns: {
      id: id(t, "idm_provisioning_orders"),
      assignedResourceTypeId: column("assigned_resource_type_id", t.int),
      resourceType: column("resource_type", identifier),
      connector: column("connector", identifier),
      changeType: column("change_type", t.string(16)),
      ownerId: column("owner_id", t.int, true),
      targetId: column("target_id", t.int, true),
      state: column("state", t.string(16)),
      orderFile: column("order_file", t.string(1024), true),
      createdAt: column("created_at", t.timestamp),
      jobInstanceId: column("job_instance_id", t.int),
      decision: column("decision", t.string(16), true),
      decidedBy: column("decided_by", t.string(256), true),
      decidedAt: column("decided_at", t.timestamp, true),
      decisionComment: column("decision_comment", t.text, true),
      changes: column("changes", t.text),
      fulfilState: column("fulfil_state", t.string(16), true),
      fulfilMessage: column("fulfil_message", t.text, true),
      fulfilledAt: column("fulfilled_at", t.timestamp, true),
      fulfilledByJobInstance: column("fulfilled_by_job_instance", t.int, true),
    },
    indices: [
      { name: "IX_idm_provisioning_orders_job_instance_id", columns: ["jobInstanceId", "id"] },
      { name: "IX_idm_provisioning_orders_type_state_id", columns: ["resourceType", "state", "id"] },
    ],
  });

  const history = new EntitySchema<AssignmentHistoryRow>({
    name: ENTITY.assignmentHistory,
    tableName: "idm_assignment_history",
    columns: {
      id: id(t, "idm_assignment_history"),
      family: column("family", t.string(32)),
      rowId: column("row_id", t.int),
      ownerId: column("owner_id", t.int, true),
      operation: column("operation", t.string(16)),
      archivedAt: column("archived_at", t.timestamp),
      archivedByJobInstance: column("archived_by_job_instance", t.int, true),
      previous: column("previous", t.text),
    },
    indices: [
      { name: "IX_idm_assignment_history_family_row_id", columns: ["family", "rowId"] },
      { name: "IX_idm_assignment_history_owner_id", columns: ["ownerId"] },
    ],
  });

  const sequence = new EntitySchema<IdSequenceRow>({
    name: ENTITY.idSequence,
    tableName: "idm_id_sequences",
    columns: {
      name: { ...column("name", t.string(64)), primary: true, primaryKeyConstraintName: "PK_idm_id_sequences" },
      nextId: column("next_id", t.int),
    },
  });

  return [context, role, resourceType, value, risk, riskScore, correlationKey, order, history, sequence];
}

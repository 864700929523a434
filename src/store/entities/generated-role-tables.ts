/**
 * The generated role model (migrations/0008-generated-role-model.ts, where the reasons for its shape
 * are): the single roles and navigation rules BuildRoleModelTask makes from the RoleMappings, as stored.
 */
import { EntitySchema } from "typeorm";
import type { ColumnTypes } from "../column-types.js";
import { column, ENTITY, idColumn as id, reference } from "./schema-helpers.js";

export interface GeneratedRoleRow {
  id: number;
  identifier: string;
  roleMapping: string;
  valueResourceId: number;
  entityType: string;
  policy: string;
  category: string | null;
  approvalWorkflowType: string;
  implicitApproval: string;
  approvalRequired: boolean;
  hideOnSimplifiedView: boolean;
  commentOnApprove: string;
  commentOnDecline: string;
  commentOnDeleteGap: string;
  commentOnKeepGap: string;
  generatedByJobInstance: number | null;
  displayName: string | null;
}

export interface GeneratedNavigationRuleRow {
  id: number;
  generatedRoleId: number;
  resourceType: string;
  property: string;
  valueResourceId: number;
  resourceKey: string;
}

export function generatedRoleEntities(t: ColumnTypes): EntitySchema[] {
  const identifier = t.identifier(442);
  const role = new EntitySchema<GeneratedRoleRow>({
    name: ENTITY.generatedRole,
    tableName: "idm_generated_roles",
    columns: {
      id: id(t, "idm_generated_roles"),
      identifier: column("identifier", identifier),
      roleMapping: column("role_mapping", identifier),
      valueResourceId: column("value_resource_id", t.int),
      entityType: column("entity_type", identifier),
      policy: column("policy", identifier),
      category: column("category", identifier, true),
      approvalWorkflowType: column("approval_workflow_type", t.string(32)),
      implicitApproval: column("implicit_approval", t.string(16)),
      approvalRequired: column("approval_required", t.boolean),
      hideOnSimplifiedView: column("hide_on_simplified_view", t.boolean),
      commentOnApprove: column("comment_on_approve", t.string(16)),
      commentOnDecline: column("comment_on_decline", t.string(16)),
      commentOnDeleteGap: column("comment_on_delete_gap", t.string(16)),
      commentOnKeepGap: column("comment_on_keep_gap", t.string(16)),
      generatedByJobInstance: column("generated_by_job_instance", t.int, true),
      displayName: column("display_name", t.text, true),
    },
    indices: [{ name: "UX_idm_generated_roles_identifier", columns: ["identifier"], unique: true }],
  });
  const rule = new EntitySchema<GeneratedNavigationRuleRow>({
    name: ENTITY.generatedNavigationRule,
    tableName: "idm_generated_navigation_rules",
    columns: {
      id: id(t, "idm_generated_navigation_rules"),
      generatedRoleId: column("generated_role_id", t.int),
      resourceType: column("resource_type", identifier),
      property: column("property", identifier),
      valueResourceId: column("value_resource_id", t.int),
      resourceKey: column("resource_key", t.text),
    },
    indices: [{ name: "IX_idm_generated_navigation_rules_generated_role_id", columns: ["generatedRoleId"] }],
    foreignKeys: [reference("idm_generated_navigation_rules", "generatedRoleId", "generated_role_id", ENTITY.generatedRole)],
  });
  return [role, rule];
}

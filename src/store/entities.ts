/**
 * Tables of the store (created by migrations/0001-initial-schema.ts; these schemas only map them):
 *
 * idm_deployments      the ledger: one row per deploy or rollback
 *   id int identity PK, kind ('deploy'|'rollback'), status ('applied'|'failed'), started_at, ended_at null,
 *   user_name, host, source_folder, configuration_hash (SHA-256 hex), inserted, updated, deleted (counts),
 *   plan_json (the plan as JSON), error null, rollback_of null → idm_deployments.id
 * idm_items            the deployed configuration items
 *   id int identity PK, kind nvarchar(64), identifier nvarchar(442) — unique (kind, identifier), compared
 *   exactly (binary collation on SQL Server) —, hash (SHA-256 hex), source_file nvarchar(1024) null,
 *   source_line / source_column int null, generated_by nvarchar(128) null (the scaffolding that generated
 *   the item), created_by / changed_by int null → idm_deployments.id (no foreign key: migrations/0011),
 *   attributes and children (JSON text; last in the table, so that SQLite reads the short columns
 *   without walking overflow pages); contributions null (migrations/0005: the files that made an overlaid
 *   item, JSON; added last, so the plan's key query leaves it out)
 * idm_item_revisions   what each deployment changed, for rollback and history
 *   id int identity PK, deployment_id → idm_deployments.id (indexed; no foreign key: migrations/0011), kind, identifier (indexed together),
 *   operation ('insert'|'update'|'delete'), before / after (item JSON, null when absent)
 * idm_leases           named leases (single-runner locks with expiry)
 *   name nvarchar(64) PK, owner (random id of the holder), host, pid, acquired_at, heartbeat_at, expires_at
 *
 * (migrations/0002-job-runs.ts)
 * idm_job_instances    one row per run of a job
 *   id PK, job (identifier), state, trigger_kind ('cli'|'scheduler'|'api'), user_name, host, pid, started_at,
 *   ended_at null, cancel_requested bit, forced bit, deployment_id null → idm_deployments.id (the configuration
 *   it runs), selection (JSON of the run's selection options) null, snapshot (JSON of the job as it started)
 * idm_task_instances   one row per task of a job instance, written Pending when the instance starts
 *   id PK, job_instance_id → idm_job_instances.id, task (identifier), task_type, level, launch_order, group_index,
 *   state, started_at / ended_at null, attempt (1, then +1 per resume), did_work bit, counters (JSON) null, error null,
 *   process_group null (migrations/0004: the child process group the task runs, as JSON {host, pgid, start}, while it runs)
 * idm_task_logs        log lines of a job instance, of one of its tasks or of the runner (task_instance_id null)
 *   id PK, job_instance_id, task_instance_id null, logged_at, level, message
 * idm_schedules        the scheduler's last decision per job: job PK, due_at (the cron time it handled),
 *   decided_at, outcome ('started'|'overlap'|'failed'), job_instance_id null
 *
 * (migrations/0003-resource-store.ts; the reasons for this design are there)
 * idm_resources        the current version of each resource, one row per resource, updated in place
 *   id PK (stable: links and history point at it), entity_type nvarchar(407), connector null, source_key nvarchar(443)
 *   — unique (entity_type, source_key), compared exactly and ordered by code point (BIN2; "C" on PostgreSQL) —,
 *   hash (SHA-256 hex of properties), valid_from, dirty bit, created_by_job_instance / changed_by_job_instance null,
 *   properties (canonical JSON object: property → string | number | boolean; dates as ISO 8601 strings),
 *   history_id null (its last archived version; 0012)
 * idm_resource_history the archived versions: resource_id (no foreign key), the resource's columns as they were,
 *   valid_to, changed_by_job_instance (wrote it), archived_by_job_instance (ended it), previous_id null (the
 *   version archived before it): each resource's versions are a chain from history_id (0012, no index)
 * idm_deleted_resources  resource_id PK, history_id: where a deleted resource's chain ends (0012)
 * idm_resource_links   current links: association, from_resource_id / to_resource_id → idm_resources.id — unique
 *   (association, from, to) —, valid_from, created_by_job_instance null
 * idm_resource_link_history  ended links: link_id, association, from / to ids, valid_from, valid_to, created_by /
 *   archived_by_job_instance
 * idm_resource_changes what a synchronization computed: job_instance_id, connector, entity_type, source_key,
 *   resource_id null, operation ('insert'|'update'|'delete'), state ('pending'|'blocked'|'applied'|'discarded'),
 *   before / after (properties JSON) null
 * idm_resource_link_changes  the same for links ('insert'|'delete'): association, both ends by entity type and source
 *   key, from_resource_id / to_resource_id / link_id null
 * idm_synchronization_history  one row per synchronization task instance (unique): connector, job_instance_id,
 *   mode ('Initial'|'Complete'|'Incremental'), state, started_at, ended_at null, resources_inserted / _updated /
 *   _deleted, links_inserted / _deleted, error null
 * No foreign key points at the job tables: pruning job instances leaves the resources they wrote.
 *
 * (migrations/0007-assignments.ts; the reasons for this design are there) every assignment row has the
 * provenance columns origin, rule_kind / rule_identifier / rule_file / rule_line null, workflow_state,
 * valid_from / valid_to null, updated_by_job_instance null
 * idm_assigned_contexts  owner_id, dimensions (JSON)
 * idm_assigned_roles     owner_id, role, kind ('single'|'composite'), parameters (JSON) null
 * idm_assigned_resource_types  id (reserved from idm_id_sequences), owner_id null, resource_type, target_id null,
 *   correlation_rule / confidence null, provisioning_state, change_type null, held_back null, parameters null
 * idm_assigned_values    assigned_resource_type_id → idm_assigned_resource_types.id, property, kind
 *   ('scalar'|'navigation'|'binary'), provisioning_state, change_type null, confidence null, questioned bit,
 *   policy_value / current_value null
 * idm_identified_risks   owner_id, risk, rule_index;  idm_risk_scores  owner_id (unique), score, computed_at
 * idm_correlation_keys   resource_id → idm_resources.id (cascade), entity_type, resource_type, rule_identifier,
 *   side ('owner'|'target'), key_value nvarchar(405)
 * idm_provisioning_orders  assigned_resource_type_id, resource_type, connector, change_type, owner_id / target_id
 *   null, state (held changes), order_file null, created_at, job_instance_id, decision / decided_by / decided_at /
 *   decision_comment null, changes (JSON), fulfil_state / fulfil_message / fulfilled_at / fulfilled_by_job_instance null
 * idm_assignment_history  family, row_id, owner_id null, operation ('update'|'end'|'delete'), archived_at,
 *   archived_by_job_instance null, previous (JSON)
 * idm_id_sequences       name PK, next_id
 *
 * (migrations/0008-generated-role-model.ts) what BuildRoleModelTask generates from the RoleMappings
 * idm_generated_roles    identifier (unique), role_mapping, value_resource_id, entity_type, policy, category null,
 *   the approval attributes copied from the mapping, generated_by_job_instance null, display_name null
 * idm_generated_navigation_rules  generated_role_id → idm_generated_roles.id, resource_type, property,
 *   value_resource_id, resource_key
 *
 * Column names are snake_case; `user` and `plan` become user_name and plan_json: USER is reserved in
 * PostgreSQL and SQL Server, PLAN in SQL Server, and raw SQL would otherwise have to quote them.
 */
import type { EntitySchema } from "typeorm";
import type { Dialect } from "./database-url.js";
import { DIALECTS } from "./dialects/index.js";
import { configurationEntities } from "./entities/configuration-tables.js";
import { assignmentEntities } from "./entities/assignment-tables.js";
import { generatedRoleEntities } from "./entities/generated-role-tables.js";
import { jobEntities } from "./entities/job-tables.js";
import { resourceEntities } from "./entities/resource-tables.js";

export { ENTITY } from "./entities/schema-helpers.js";
export type { DeploymentRow, ItemRow, LeaseRow, RevisionRow } from "./entities/configuration-tables.js";
export type { JobInstanceRow, ScheduleRow, TaskInstanceRow, TaskLogRow } from "./entities/job-tables.js";
export type {
  DeletedResourceRow, PropertyValue, ResourceChangeRow, ResourceHistoryRow, ResourceLinkChangeRow, ResourceLinkHistoryRow, ResourceLinkRow, ResourceRow, SynchronizationRow,
} from "./entities/resource-tables.js";
export type {
  AssignmentHistoryRow, IdSequenceRow, RiskScoreRow, StoredContextRow, StoredCorrelationKeyRow, StoredOrderRow, StoredProvenance, StoredResourceTypeRow,
  StoredRiskRow, StoredRoleRow, StoredValueRow,
} from "./entities/assignment-tables.js";
export type { GeneratedNavigationRuleRow, GeneratedRoleRow } from "./entities/generated-role-tables.js";

/** Every table's entity schema, with the dialect's column types. */
export function createEntities(dialect: Dialect): EntitySchema[] {
  const profile = DIALECTS[dialect];
  const t = profile.columnTypes;
  return [...configurationEntities(t), ...jobEntities(t), ...resourceEntities(t, profile), ...assignmentEntities(t), ...generatedRoleEntities(t)];
}

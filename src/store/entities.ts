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
 *   source_line / source_column int null, created_by / changed_by int null → idm_deployments.id,
 *   attributes and children (JSON text; last in the table, so that SQLite reads the short columns
 *   without walking overflow pages)
 * idm_item_revisions   what each deployment changed, for rollback and history
 *   id int identity PK, deployment_id → idm_deployments.id (indexed), kind, identifier (indexed together),
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
 *   state, started_at / ended_at null, attempt (1, then +1 per resume), did_work bit, counters (JSON) null, error null
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
 *   properties (canonical JSON object: property → string | number | boolean; dates as ISO 8601 strings)
 * idm_resource_history the archived versions: resource_id (no foreign key), the resource's columns as they were,
 *   valid_to, changed_by_job_instance (wrote it), archived_by_job_instance (ended it)
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
 * Column names are snake_case; `user` and `plan` become user_name and plan_json: USER is reserved in
 * PostgreSQL and SQL Server, PLAN in SQL Server, and raw SQL would otherwise have to quote them.
 */
import { EntitySchema, type EntitySchemaColumnOptions, type EntitySchemaOptions } from "typeorm";
import { columnTypes, type ColumnSpec } from "./column-types.js";
import type { Dialect } from "./database-url.js";
import type { ChangeState, JobState, SynchronizationMode, TaskState, Trigger } from "../domain/vocabulary.js";

export interface ItemRow {
  id: number;
  kind: string;
  identifier: string;
  attributes: string /*JSON*/;
  children: string /*JSON*/;
  hash: string;
  sourceFile: string | null;
  sourceLine: number | null;
  sourceColumn: number | null;
  createdBy: number | null;
  changedBy: number | null;
}

export interface DeploymentRow {
  id: number;
  kind: "deploy" | "rollback";
  status: "applied" | "failed";
  startedAt: Date;
  endedAt: Date | null;
  user: string;
  host: string;
  sourceFolder: string;
  configurationHash: string;
  inserted: number;
  updated: number;
  deleted: number;
  plan: string /*JSON*/;
  error: string | null;
  rollbackOf: number | null;
}

export interface RevisionRow {
  id: number;
  deploymentId: number;
  kind: string;
  identifier: string;
  operation: "insert" | "update" | "delete";
  before: string | null;
  after: string | null;
}

export interface LeaseRow {
  name: string;
  owner: string;
  host: string;
  pid: number;
  acquiredAt: Date;
  heartbeatAt: Date;
  expiresAt: Date;
}


export interface JobInstanceRow {
  id: number;
  job: string;
  state: JobState;
  trigger: Trigger;
  user: string;
  host: string;
  pid: number;
  startedAt: Date;
  endedAt: Date | null;
  cancelRequested: boolean;
  forced: boolean;
  deploymentId: number | null;
  selection: string /*JSON*/ | null;
  snapshot: string /*JSON*/;
}

export interface TaskInstanceRow {
  id: number;
  jobInstanceId: number;
  task: string;
  taskType: string;
  level: number;
  launchOrder: number;
  groupIndex: number;
  state: TaskState;
  startedAt: Date | null;
  endedAt: Date | null;
  attempt: number;
  didWork: boolean;
  counters: string /*JSON*/ | null;
  error: string | null;
}

export interface TaskLogRow {
  id: number;
  jobInstanceId: number;
  taskInstanceId: number | null;
  loggedAt: Date;
  level: string;
  message: string;
}

export interface ScheduleRow {
  job: string;
  dueAt: Date;
  decidedAt: Date;
  outcome: "started" | "overlap" | "failed";
  jobInstanceId: number | null;
}

/** Entity names, for `dataSource.getRepository<ItemRow>(ENTITY.item)`. */
export const ENTITY = {
  item: "Item", deployment: "Deployment", revision: "Revision", lease: "Lease",
  jobInstance: "JobInstance", taskInstance: "TaskInstance", taskLog: "TaskLog", schedule: "Schedule",
  resource: "Resource", resourceHistory: "ResourceHistory", resourceLink: "ResourceLink", resourceLinkHistory: "ResourceLinkHistory",
  resourceChange: "ResourceChange", resourceLinkChange: "ResourceLinkChange", synchronization: "Synchronization",
} as const;

type ForeignKey = NonNullable<EntitySchemaOptions<unknown>["foreignKeys"]>[number];

function column(name: string, spec: ColumnSpec, nullable = false): EntitySchemaColumnOptions {
  return { name, ...spec, nullable };
}

export function createEntities(dialect: Dialect): EntitySchema[] {
  const t = columnTypes(dialect);
  const id = (table: string): EntitySchemaColumnOptions => ({
    name: "id", ...t.int, primary: true, generated: "increment", primaryKeyConstraintName: `PK_${table}`,
  });
  // The migration's constraints, restated so that TypeORM's schema diff against a migrated database is empty.
  const reference = (table: string, property: string, column: string, target: string = ENTITY.deployment): ForeignKey => ({
    name: `FK_${table}_${column}`, target, columnNames: [property], referencedColumnNames: ["id"],
  });

  const item = new EntitySchema<ItemRow>({
    name: ENTITY.item,
    tableName: "idm_items",
    columns: {
      id: id("idm_items"),
      kind: column("kind", t.identifier(64)),
      identifier: column("identifier", t.identifier(442)),
      attributes: column("attributes", t.text),
      children: column("children", t.text),
      hash: column("hash", t.ascii(64)),
      sourceFile: column("source_file", t.string(1024), true),
      sourceLine: column("source_line", t.int, true),
      sourceColumn: column("source_column", t.int, true),
      createdBy: column("created_by", t.int, true),
      changedBy: column("changed_by", t.int, true),
    },
    indices: [{ name: "UX_idm_items_kind_identifier", columns: ["kind", "identifier"], unique: true }],
    foreignKeys: [reference("idm_items", "createdBy", "created_by"), reference("idm_items", "changedBy", "changed_by")],
  });

  const deployment = new EntitySchema<DeploymentRow>({
    name: ENTITY.deployment,
    tableName: "idm_deployments",
    columns: {
      id: id("idm_deployments"),
      kind: column("kind", t.string(16)),
      status: column("status", t.string(16)),
      startedAt: column("started_at", t.timestamp),
      endedAt: column("ended_at", t.timestamp, true),
      user: column("user_name", t.string(256)),
      host: column("host", t.string(256)),
      sourceFolder: column("source_folder", t.string(1024)),
      configurationHash: column("configuration_hash", t.ascii(64)),
      inserted: column("inserted", t.int),
      updated: column("updated", t.int),
      deleted: column("deleted", t.int),
      plan: column("plan_json", t.text),
      error: column("error", t.text, true),
      rollbackOf: column("rollback_of", t.int, true),
    },
    foreignKeys: [reference("idm_deployments", "rollbackOf", "rollback_of")],
  });

  const revision = new EntitySchema<RevisionRow>({
    name: ENTITY.revision,
    tableName: "idm_item_revisions",
    columns: {
      id: id("idm_item_revisions"),
      deploymentId: column("deployment_id", t.int),
      kind: column("kind", t.identifier(64)),
      identifier: column("identifier", t.identifier(442)),
      operation: column("operation", t.string(16)),
      before: column("before", t.text, true),
      after: column("after", t.text, true),
    },
    indices: [
      { name: "IX_idm_item_revisions_deployment_id", columns: ["deploymentId"] },
      { name: "IX_idm_item_revisions_kind_identifier", columns: ["kind", "identifier"] },
    ],
    foreignKeys: [reference("idm_item_revisions", "deploymentId", "deployment_id")],
  });

  const lease = new EntitySchema<LeaseRow>({
    name: ENTITY.lease,
    tableName: "idm_leases",
    columns: {
      name: { ...column("name", t.string(64)), primary: true, primaryKeyConstraintName: "PK_idm_leases" },
      owner: column("owner", t.ascii(64)),
      host: column("host", t.string(256)),
      pid: column("pid", t.int),
      acquiredAt: column("acquired_at", t.timestamp),
      heartbeatAt: column("heartbeat_at", t.timestamp),
      expiresAt: column("expires_at", t.timestamp),
    },
  });

  const jobInstance = new EntitySchema<JobInstanceRow>({
    name: ENTITY.jobInstance,
    tableName: "idm_job_instances",
    columns: {
      id: id("idm_job_instances"),
      job: column("job", t.identifier(442)),
      state: column("state", t.string(16)),
      trigger: column("trigger_kind", t.string(16)),
      user: column("user_name", t.string(256)),
      host: column("host", t.string(256)),
      pid: column("pid", t.int),
      startedAt: column("started_at", t.timestamp),
      endedAt: column("ended_at", t.timestamp, true),
      cancelRequested: column("cancel_requested", t.boolean),
      forced: column("forced", t.boolean),
      deploymentId: column("deployment_id", t.int, true),
      selection: column("selection", t.text, true),
      snapshot: column("snapshot", t.text),
    },
    indices: [
      { name: "IX_idm_job_instances_job_id", columns: ["job", "id"] },
      { name: "IX_idm_job_instances_started_at", columns: ["startedAt"] },
    ],
    foreignKeys: [reference("idm_job_instances", "deploymentId", "deployment_id")],
  });

  const taskInstance = new EntitySchema<TaskInstanceRow>({
    name: ENTITY.taskInstance,
    tableName: "idm_task_instances",
    columns: {
      id: id("idm_task_instances"),
      jobInstanceId: column("job_instance_id", t.int),
      task: column("task", t.identifier(442)),
      taskType: column("task_type", t.string(64)),
      level: column("level", t.int),
      launchOrder: column("launch_order", t.int),
      groupIndex: column("group_index", t.int),
      state: column("state", t.string(16)),
      startedAt: column("started_at", t.timestamp, true),
      endedAt: column("ended_at", t.timestamp, true),
      attempt: column("attempt", t.int),
      didWork: column("did_work", t.boolean),
      counters: column("counters", t.text, true),
      error: column("error", t.text, true),
    },
    indices: [{ name: "IX_idm_task_instances_job_instance_id", columns: ["jobInstanceId", "id"] }],
    foreignKeys: [reference("idm_task_instances", "jobInstanceId", "job_instance_id", ENTITY.jobInstance)],
  });

  const taskLog = new EntitySchema<TaskLogRow>({
    name: ENTITY.taskLog,
    tableName: "idm_task_logs",
    columns: {
      id: id("idm_task_logs"),
      jobInstanceId: column("job_instance_id", t.int),
      taskInstanceId: column("task_instance_id", t.int, true),
      loggedAt: column("logged_at", t.timestamp),
      level: column("level", t.string(16)),
      message: column("message", t.text),
    },
    indices: [{ name: "IX_idm_task_logs_job_instance_id", columns: ["jobInstanceId", "id"] }],
    foreignKeys: [
      reference("idm_task_logs", "jobInstanceId", "job_instance_id", ENTITY.jobInstance),
      reference("idm_task_logs", "taskInstanceId", "task_instance_id", ENTITY.taskInstance),
    ],
  });

  const schedule = new EntitySchema<ScheduleRow>({
    name: ENTITY.schedule,
    tableName: "idm_schedules",
    columns: {
      job: { ...column("job", t.identifier(442)), primary: true, primaryKeyConstraintName: "PK_idm_schedules" },
      dueAt: column("due_at", t.timestamp),
      decidedAt: column("decided_at", t.timestamp),
      outcome: column("outcome", t.string(16)),
      jobInstanceId: column("job_instance_id", t.int, true),
    },
  });

  return [item, deployment, revision, lease, jobInstance, taskInstance, taskLog, schedule, ...createResourceEntities(dialect)];
}

// The resource store (migrations/0003-resource-store.ts).

/** A property value as stored: dates are ISO 8601 strings, absent values are left out. */
export type PropertyValue = string | number | boolean;

export interface ResourceRow {
  id: number;
  entityType: string;
  connector: string | null;
  sourceKey: string;
  hash: string;
  validFrom: Date;
  dirty: boolean;
  createdByJobInstance: number | null;
  changedByJobInstance: number | null;
  properties: string /*JSON*/;
}

export interface ResourceHistoryRow {
  id: number;
  resourceId: number;
  entityType: string;
  connector: string | null;
  sourceKey: string;
  hash: string;
  validFrom: Date;
  validTo: Date;
  changedByJobInstance: number | null;
  archivedByJobInstance: number | null;
  properties: string /*JSON*/;
}

export interface ResourceLinkRow {
  id: number;
  association: string;
  fromResourceId: number;
  toResourceId: number;
  validFrom: Date;
  createdByJobInstance: number | null;
}

export interface ResourceLinkHistoryRow {
  id: number;
  linkId: number;
  association: string;
  fromResourceId: number;
  toResourceId: number;
  validFrom: Date;
  validTo: Date;
  createdByJobInstance: number | null;
  archivedByJobInstance: number | null;
}


export interface ResourceChangeRow {
  id: number;
  jobInstanceId: number;
  connector: string;
  entityType: string;
  sourceKey: string;
  resourceId: number | null;
  operation: "insert" | "update" | "delete";
  state: ChangeState;
  before: string /*JSON*/ | null;
  after: string /*JSON*/ | null;
}

export interface ResourceLinkChangeRow {
  id: number;
  jobInstanceId: number;
  connector: string;
  association: string;
  fromEntityType: string;
  fromSourceKey: string;
  toEntityType: string;
  toSourceKey: string;
  fromResourceId: number | null;
  toResourceId: number | null;
  linkId: number | null;
  operation: "insert" | "delete";
  state: ChangeState;
}


export interface SynchronizationRow {
  id: number;
  connector: string;
  taskInstanceId: number;
  jobInstanceId: number;
  mode: SynchronizationMode;
  state: TaskState;
  startedAt: Date;
  endedAt: Date | null;
  resourcesInserted: number;
  resourcesUpdated: number;
  resourcesDeleted: number;
  linksInserted: number;
  linksDeleted: number;
  error: string | null;
}

function createResourceEntities(dialect: Dialect): EntitySchema[] {
  const t = columnTypes(dialect);
  const id = (table: string): EntitySchemaColumnOptions => ({
    name: "id", ...t.int, primary: true, generated: "increment", primaryKeyConstraintName: `PK_${table}`,
  });
  const entityType = t.identifier(407);
  const sourceKey = t.sortedIdentifier(443);
  const identifier = t.identifier(442);

  const resource = new EntitySchema<ResourceRow>({
    name: ENTITY.resource,
    tableName: "idm_resources",
    columns: {
      id: id("idm_resources"),
      entityType: column("entity_type", entityType),
      connector: column("connector", identifier, true),
      sourceKey: column("source_key", sourceKey),
      hash: column("hash", t.ascii(64)),
      validFrom: column("valid_from", t.timestamp),
      dirty: column("dirty", t.boolean),
      createdByJobInstance: column("created_by_job_instance", t.int, true),
      changedByJobInstance: column("changed_by_job_instance", t.int, true),
      properties: column("properties", t.text),
    },
    indices: [
      { name: "UX_idm_resources_entity_type_source_key", columns: ["entityType", "sourceKey"], unique: true },
      { name: "IX_idm_resources_entity_type_dirty_id", columns: ["entityType", "dirty", "id"] },
    ],
  });

  const resourceHistory = new EntitySchema<ResourceHistoryRow>({
    name: ENTITY.resourceHistory,
    tableName: "idm_resource_history",
    columns: {
      id: id("idm_resource_history"),
      resourceId: column("resource_id", t.int),
      entityType: column("entity_type", entityType),
      connector: column("connector", identifier, true),
      sourceKey: column("source_key", sourceKey),
      hash: column("hash", t.ascii(64)),
      validFrom: column("valid_from", t.timestamp),
      validTo: column("valid_to", t.timestamp),
      changedByJobInstance: column("changed_by_job_instance", t.int, true),
      archivedByJobInstance: column("archived_by_job_instance", t.int, true),
      properties: column("properties", t.text),
    },
    indices: [{ name: "IX_idm_resource_history_resource_id", columns: ["resourceId", "validFrom"] }],
  });

  const link = (table: string, property: string, name: string): ForeignKey => ({
    name: `FK_${table}_${name}`, target: ENTITY.resource, columnNames: [property], referencedColumnNames: ["id"],
  });
  const resourceLink = new EntitySchema<ResourceLinkRow>({
    name: ENTITY.resourceLink,
    tableName: "idm_resource_links",
    columns: {
      id: id("idm_resource_links"),
      association: column("association", identifier),
      fromResourceId: column("from_resource_id", t.int),
      toResourceId: column("to_resource_id", t.int),
      validFrom: column("valid_from", t.timestamp),
      createdByJobInstance: column("created_by_job_instance", t.int, true),
    },
    indices: [
      { name: "UX_idm_resource_links_association_from_to", columns: ["association", "fromResourceId", "toResourceId"], unique: true },
      { name: "IX_idm_resource_links_from_resource_id", columns: ["fromResourceId"] },
      { name: "IX_idm_resource_links_to_resource_id", columns: ["toResourceId"] },
    ],
    foreignKeys: [
      link("idm_resource_links", "fromResourceId", "from_resource_id"),
      link("idm_resource_links", "toResourceId", "to_resource_id"),
    ],
  });

  const resourceLinkHistory = new EntitySchema<ResourceLinkHistoryRow>({
    name: ENTITY.resourceLinkHistory,
    tableName: "idm_resource_link_history",
    columns: {
      id: id("idm_resource_link_history"),
      linkId: column("link_id", t.int),
      association: column("association", identifier),
      fromResourceId: column("from_resource_id", t.int),
      toResourceId: column("to_resource_id", t.int),
      validFrom: column("valid_from", t.timestamp),
      validTo: column("valid_to", t.timestamp),
      createdByJobInstance: column("created_by_job_instance", t.int, true),
      archivedByJobInstance: column("archived_by_job_instance", t.int, true),
    },
    indices: [
      { name: "IX_idm_resource_link_history_from_resource_id", columns: ["fromResourceId"] },
      { name: "IX_idm_resource_link_history_to_resource_id", columns: ["toResourceId"] },
    ],
  });

  const resourceChange = new EntitySchema<ResourceChangeRow>({
    name: ENTITY.resourceChange,
    tableName: "idm_resource_changes",
    columns: {
      id: id("idm_resource_changes"),
      jobInstanceId: column("job_instance_id", t.int),
      connector: column("connector", identifier),
      entityType: column("entity_type", entityType),
      sourceKey: column("source_key", sourceKey),
      resourceId: column("resource_id", t.int, true),
      operation: column("operation", t.string(16)),
      state: column("state", t.string(16)),
      before: column("before", t.text, true),
      after: column("after", t.text, true),
    },
    indices: [{ name: "IX_idm_resource_changes_job_instance_id", columns: ["jobInstanceId", "id"] }],
  });

  const resourceLinkChange = new EntitySchema<ResourceLinkChangeRow>({
    name: ENTITY.resourceLinkChange,
    tableName: "idm_resource_link_changes",
    columns: {
      id: id("idm_resource_link_changes"),
      jobInstanceId: column("job_instance_id", t.int),
      connector: column("connector", identifier),
      association: column("association", identifier),
      fromEntityType: column("from_entity_type", entityType),
      fromSourceKey: column("from_source_key", sourceKey),
      toEntityType: column("to_entity_type", entityType),
      toSourceKey: column("to_source_key", sourceKey),
      fromResourceId: column("from_resource_id", t.int, true),
      toResourceId: column("to_resource_id", t.int, true),
      linkId: column("link_id", t.int, true),
      operation: column("operation", t.string(16)),
      state: column("state", t.string(16)),
    },
    indices: [{ name: "IX_idm_resource_link_changes_job_instance_id", columns: ["jobInstanceId", "id"] }],
  });

  const synchronization = new EntitySchema<SynchronizationRow>({
    name: ENTITY.synchronization,
    tableName: "idm_synchronization_history",
    columns: {
      id: id("idm_synchronization_history"),
      connector: column("connector", identifier),
      taskInstanceId: column("task_instance_id", t.int),
      jobInstanceId: column("job_instance_id", t.int),
      mode: column("mode", t.string(16)),
      state: column("state", t.string(16)),
      startedAt: column("started_at", t.timestamp),
      endedAt: column("ended_at", t.timestamp, true),
      resourcesInserted: column("resources_inserted", t.int),
      resourcesUpdated: column("resources_updated", t.int),
      resourcesDeleted: column("resources_deleted", t.int),
      linksInserted: column("links_inserted", t.int),
      linksDeleted: column("links_deleted", t.int),
      error: column("error", t.text, true),
    },
    indices: [
      { name: "UX_idm_synchronization_history_task_instance_id", columns: ["taskInstanceId"], unique: true },
      { name: "IX_idm_synchronization_history_connector_id", columns: ["connector", "id"] },
    ],
  });

  return [resource, resourceHistory, resourceLink, resourceLinkHistory, resourceChange, resourceLinkChange, synchronization];
}

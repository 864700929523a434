/** The resource store: resources, links, their history, the changes a synchronization computed (migrations/0003-resource-store.ts). */
import { EntitySchema } from "typeorm";
import type { ColumnTypes } from "../column-types.js";
import type { DialectProfile } from "../dialects/index.js";
import type { ChangeState, SynchronizationMode, TaskState } from "../../domain/vocabulary.js";
import { column, ENTITY, idColumn as id, reference } from "./schema-helpers.js";

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
  /** Its last archived version (idm_resource_history.id), null while it has none. */
  historyId: number | null;
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
  /** The resource's version archived before this one, null for its first. */
  previousId: number | null;
  properties: string /*JSON*/;
}

/** A deleted resource and its last archived version, where its history is found from. */
export interface DeletedResourceRow {
  resourceId: number;
  historyId: number;
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

/** The predicate of the partial index of dirty resources (IX_idm_resources_dirty, migration 0013). */
export function dirtyRowsPredicate(profile: DialectProfile): string {
  return `${profile.quoteIdentifier("dirty")} = ${profile.trueLiteral}`;
}

export function resourceEntities(t: ColumnTypes, profile: DialectProfile): EntitySchema[] {
  const entityType = t.identifier(407);
  const sourceKey = t.sortedIdentifier(443);
  const identifier = t.identifier(442);

  const resource = new EntitySchema<ResourceRow>({
    name: ENTITY.resource,
    tableName: "idm_resources",
    columns: {
      id: id(t, "idm_resources"),
      entityType: column("entity_type", entityType),
      connector: column("connector", identifier, true),
      sourceKey: column("source_key", sourceKey),
      hash: column("hash", t.ascii(64)),
      validFrom: column("valid_from", t.timestamp),
      dirty: column("dirty", t.boolean),
      createdByJobInstance: column("created_by_job_instance", t.int, true),
      changedByJobInstance: column("changed_by_job_instance", t.int, true),
      historyId: column("history_id", t.int, true),
      properties: column("properties", t.text),
    },
    indices: [
      { name: "UX_idm_resources_entity_type_source_key", columns: ["entityType", "sourceKey"], unique: true },
      { name: "IX_idm_resources_dirty", columns: ["entityType", "id"], where: dirtyRowsPredicate(profile) },
    ],
  });

  const resourceHistory = new EntitySchema<ResourceHistoryRow>({
    name: ENTITY.resourceHistory,
    tableName: "idm_resource_history",
    columns: {
      id: id(t, "idm_resource_history"),
      resourceId: column("resource_id", t.int),
      entityType: column("entity_type", entityType),
      connector: column("connector", identifier, true),
      sourceKey: column("source_key", sourceKey),
      hash: column("hash", t.ascii(64)),
      validFrom: column("valid_from", t.timestamp),
      validTo: column("valid_to", t.timestamp),
      changedByJobInstance: column("changed_by_job_instance", t.int, true),
      archivedByJobInstance: column("archived_by_job_instance", t.int, true),
      previousId: column("previous_id", t.int, true),
      properties: column("properties", t.text),
    },
  });

  const deletedResource = new EntitySchema<DeletedResourceRow>({
    name: ENTITY.deletedResource,
    tableName: "idm_deleted_resources",
    columns: {
      resourceId: { name: "resource_id", ...t.int, primary: true, primaryKeyConstraintName: "PK_idm_deleted_resources" },
      historyId: column("history_id", t.int),
    },
  });

  const link = (table: string, property: string, name: string) => reference(table, property, name, ENTITY.resource);
  const resourceLink = new EntitySchema<ResourceLinkRow>({
    name: ENTITY.resourceLink,
    tableName: "idm_resource_links",
    columns: {
      id: id(t, "idm_resource_links"),
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
      id: id(t, "idm_resource_link_history"),
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
      id: id(t, "idm_resource_changes"),
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
      id: id(t, "idm_resource_link_changes"),
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
      id: id(t, "idm_synchronization_history"),
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


  return [resource, resourceHistory, deletedResource, resourceLink, resourceLinkHistory, resourceChange, resourceLinkChange, synchronization];
}

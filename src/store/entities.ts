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
 * Column names are snake_case; `user` and `plan` become user_name and plan_json: USER is reserved in
 * PostgreSQL and SQL Server, PLAN in SQL Server, and raw SQL would otherwise have to quote them.
 */
import { EntitySchema, type EntitySchemaColumnOptions, type EntitySchemaOptions } from "typeorm";
import { columnTypes, type ColumnSpec } from "./column-types.js";
import type { Dialect } from "./database-url.js";

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

/** Entity names, for `dataSource.getRepository<ItemRow>(ENTITY.item)`. */
export const ENTITY = { item: "Item", deployment: "Deployment", revision: "Revision", lease: "Lease" } as const;

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
  const reference = (table: string, property: string, column: string): ForeignKey => ({
    name: `FK_${table}_${column}`, target: ENTITY.deployment, columnNames: [property], referencedColumnNames: ["id"],
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

  return [item, deployment, revision, lease];
}

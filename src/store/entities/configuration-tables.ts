/** The deployed configuration: items, the deployment ledger, revisions; and the leases (migrations/0001-initial-schema.ts). */
import { EntitySchema } from "typeorm";
import type { ColumnTypes } from "../column-types.js";
import { column, ENTITY, idColumn as id, reference } from "./schema-helpers.js";

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
  /** JSON [{file, line, column, mode}] of an overlaid item (migrations/0005); null otherwise. */
  contributions: string | null;
  /** The scaffolding element that generated the item (migration 0006); null for hand-written items. */
  generatedBy: string | null;
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
  /** SourceFingerprint of the folder a whole-folder deploy stored; null once any later deploy writes items. */
  sourceFingerprint: string | null;
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

export function configurationEntities(t: ColumnTypes): EntitySchema[] {
  const item = new EntitySchema<ItemRow>({
    name: ENTITY.item,
    tableName: "idm_items",
    columns: {
      id: id(t, "idm_items"),
      kind: column("kind", t.identifier(64)),
      identifier: column("identifier", t.identifier(442)),
      attributes: column("attributes", t.text),
      children: column("children", t.text),
      hash: column("hash", t.ascii(64)),
      sourceFile: column("source_file", t.string(1024), true),
      sourceLine: column("source_line", t.int, true),
      sourceColumn: column("source_column", t.int, true),
      contributions: column("contributions", t.text, true),
      generatedBy: column("generated_by", t.string(128), true),
      createdBy: column("created_by", t.int, true),
      changedBy: column("changed_by", t.int, true),
    },
    indices: [{ name: "UX_idm_items_kind_identifier", columns: ["kind", "identifier"], unique: true }],
  });

  const deployment = new EntitySchema<DeploymentRow>({
    name: ENTITY.deployment,
    tableName: "idm_deployments",
    columns: {
      id: id(t, "idm_deployments"),
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
      sourceFingerprint: column("source_fingerprint", t.ascii(64), true),
      error: column("error", t.text, true),
      rollbackOf: column("rollback_of", t.int, true),
    },
    foreignKeys: [reference("idm_deployments", "rollbackOf", "rollback_of")],
  });

  const revision = new EntitySchema<RevisionRow>({
    name: ENTITY.revision,
    tableName: "idm_item_revisions",
    columns: {
      id: id(t, "idm_item_revisions"),
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

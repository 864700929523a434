/** Every migration, in order. A new one is appended here and never edits an older one. */
import type { MigrationInterface } from "typeorm";
import { InitialSchema } from "./0001-initial-schema.js";
import { JobRuns } from "./0002-job-runs.js";
import { ResourceTables } from "./0003-resource-store.js";
import { TaskProcessGroups } from "./0004-task-process-groups.js";
import { ItemContributions } from "./0005-item-contributions.js";
import { ItemGeneratedBy } from "./0006-item-generated-by.js";
import { AssignmentTables } from "./0007-assignments.js";
import { GeneratedRoleModel } from "./0008-generated-role-model.js";
import { OrderFulfilment } from "./0009-order-fulfilment.js";
import { DeploymentSourceFingerprint } from "./0010-deployment-source-fingerprint.js";
import { LedgerReferences } from "./0011-ledger-references.js";
import { ResourceHistoryChain } from "./0012-resource-history-chain.js";
import { DirtyResourcesIndex } from "./0013-dirty-resources-index.js";

export const MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema, JobRuns, ResourceTables, TaskProcessGroups, ItemContributions, ItemGeneratedBy, AssignmentTables, GeneratedRoleModel, OrderFulfilment, DeploymentSourceFingerprint, LedgerReferences, ResourceHistoryChain, DirtyResourcesIndex];

export const MIGRATIONS_TABLE = "idm_migrations";

/** "0001-initial-schema-1767225600000" → "0001-initial-schema": the timestamp is for TypeORM only. */
export function migrationDisplayName(name: string): string {
  return name.replace(/-\d{13}$/, "");
}

/**
 * What the entity schemas of every table family share: the entity names, a column of a ColumnSpec,
 * the identity primary key and the foreign keys (named as the migrations name them).
 */
import type { EntitySchemaColumnOptions, EntitySchemaOptions } from "typeorm";
import type { ColumnSpec, ColumnTypes } from "../column-types.js";

/** Entity names, for `dataSource.getRepository<ItemRow>(ENTITY.item)`. */
export const ENTITY = {
  item: "Item", deployment: "Deployment", revision: "Revision", lease: "Lease",
  jobInstance: "JobInstance", taskInstance: "TaskInstance", taskLog: "TaskLog", schedule: "Schedule",
  resource: "Resource", resourceHistory: "ResourceHistory", deletedResource: "DeletedResource", resourceLink: "ResourceLink", resourceLinkHistory: "ResourceLinkHistory",
  resourceChange: "ResourceChange", resourceLinkChange: "ResourceLinkChange", synchronization: "Synchronization",
  assignedContext: "AssignedContext", assignedRole: "AssignedRole", assignedResourceType: "AssignedResourceType", assignedValue: "AssignedValue",
  identifiedRisk: "IdentifiedRisk", riskScore: "RiskScore", correlationKey: "CorrelationKey", provisioningOrder: "ProvisioningOrder",
  assignmentHistory: "AssignmentHistory", idSequence: "IdSequence",
  generatedRole: "GeneratedRole", generatedNavigationRule: "GeneratedNavigationRule",
} as const;

type ForeignKey = NonNullable<EntitySchemaOptions<unknown>["foreignKeys"]>[number];

export function column(name: string, spec: ColumnSpec, nullable = false): EntitySchemaColumnOptions {
  return { name, ...spec, nullable };
}

/** The identity primary key `id` of a table. */
export function idColumn(t: ColumnTypes, table: string): EntitySchemaColumnOptions {
  return { name: "id", ...t.int, primary: true, generated: "increment", primaryKeyConstraintName: `PK_${table}` };
}

/** The migration's constraints, restated so that TypeORM's schema diff against a migrated database is empty. */
export function reference(table: string, property: string, column: string, target: string = ENTITY.deployment, onDelete?: "CASCADE"): ForeignKey {
  return { name: `FK_${table}_${column}`, target, columnNames: [property], referencedColumnNames: ["id"], ...(onDelete === undefined ? {} : { onDelete }) };
}

/**
 * The assignment store: what the role model computes for each identity (its contexts, roles,
 * resource types with their values, risks), the correlation keys it matches owners and targets
 * with, the provisioning orders it sends, and the previous versions of what it rewrote. Frozen like 0001.
 *
 * Every assignment row says where it comes from and for how long (the provenance columns):
 *   origin (rule|inferred|manual|pre-existing|found), rule_kind / rule_identifier / rule_file / rule_line null
 *   (the rule that made it: its element, its identifier, where it is written), workflow_state (by name, see
 *   domain/rolemodel/states.ts), valid_from / valid_to null (null: unbounded), updated_by_job_instance null.
 *
 * idm_assigned_contexts        owner_id, dimensions (JSON), + provenance (the ContextRule); indexed by owner
 * idm_assigned_roles           owner_id, role, kind (single|composite), parameters (JSON) null, + provenance
 * idm_assigned_resource_types  id (reserved from idm_id_sequences, not generated: a batch inserts resource types
 *   and their values together, and portable multi-row INSERTs cannot say which id each row got), owner_id null
 *   (a found account has no owner until correlation or reconciliation gives it one), resource_type, target_id null
 *   (no account yet: a creation), correlation_rule / confidence null, parameters null, provisioning_state,
 *   change_type null (the change a Pending row waits for: Added|Modified|Deleted), held_back null (why no
 *   order may go yet although the row is Pending: `DependsOn X`), + provenance;
 *   (owner_id), (target_id), and (resource_type, provisioning_state, id) for the order generation's keyset reads
 * idm_assigned_values          assigned_resource_type_id → idm_assigned_resource_types.id, property, kind
 *   (scalar|navigation|binary), policy_value / current_value null (text; a navigation's value is the target
 *   resource id), provisioning_state, change_type null (Added: a value to add; Modified: a scalar to change;
 *   Deleted: a value to remove), confidence null (a QueryRule's), questioned (a manual value kept against
 *   the policy), + provenance; indexed by resource type assignment
 * idm_identified_risks         owner_id, risk, rule_index, + provenance
 * idm_risk_scores              owner_id (unique), score, computed_at, updated_by_job_instance null
 * idm_correlation_keys         resource_id → idm_resources.id ON DELETE CASCADE (keys are derived: a deleted
 *   resource has none), entity_type, resource_type, rule_identifier, side (owner|target), key_value.
 *   (resource_type, side, key_value) serves the join owner key = target key. SQL Server's 1,700-byte limit
 *   on a nonclustered index key: 2 × 442 (resource_type) + 6 (side, varchar) + 2 × 405 = 1,700, so a key
 *   holds at most 405 characters. (resource_id) serves the replacement of a resource's keys and the cascade.
 * idm_provisioning_orders      assigned_resource_type_id, resource_type, connector, change_type, owner_id null,
 *   target_id null, changes (JSON), state (held changes: pending|blocked|applied|discarded, see
 *   domain/blocked-changes.ts; applied = written to an order file), order_file null, created_at, job_instance_id,
 *   decision / decided_by / decided_at / decision_comment null (the review of a blocked order);
 *   (job_instance_id, id) and (resource_type, state, id)
 * idm_assignment_history       one table for every family: family, row_id, owner_id null, operation
 *   (update|end|delete: the version an update replaced, the last version of a row that expired, with its
 *   end, or of a row removed), archived_at, archived_by_job_instance null, previous (the version replaced, as JSON). History
 *   is read per owner or per row (an audit, `idm why`), never joined by column, so one table keeps the
 *   families' shapes in one place instead of a second copy of each table's DDL.
 * idm_id_sequences             name PK, next_id: ids reserved by blocks (idm_assigned_resource_types)
 *
 * Names avoid SQL Server's reserved words (FILE, RULE, KEY) so that raw SQL needs no care beyond quoting.
 * No foreign key points at the job tables, and the assignments none at idm_resources: a resource
 * deleted by a synchronization leaves its assignments for the next role model run to end and historize.
 */
import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from "typeorm";
import { columnTypes, dialectOfDriver, type ColumnSpec } from "../column-types.js";

function column(name: string, spec: ColumnSpec, isNullable = false): TableColumnOptions {
  return { name, ...spec, isNullable };
}

/** The sequence rows this migration creates, and their first id. */
export const ID_SEQUENCES = ["idm_assigned_resource_types"] as const;

export class AssignmentTables implements MigrationInterface {
  readonly name = "0007-assignments-1767657600000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    const generatedId = (table: string): TableColumnOptions => ({
      name: "id", ...t.int, isPrimary: true, isGenerated: true, generationStrategy: "increment", primaryKeyConstraintName: `PK_${table}`,
    });
    const identifier = t.identifier(442);
    const provenance = (): TableColumnOptions[] => [
      column("origin", t.string(16)),
      column("rule_kind", t.string(64), true),
      column("rule_identifier", identifier, true),
      column("rule_file", t.string(1024), true),
      column("rule_line", t.int, true),
      column("workflow_state", t.string(32)),
      column("valid_from", t.timestamp, true),
      column("valid_to", t.timestamp, true),
      column("updated_by_job_instance", t.int, true),
    ];
    const ownerIndex = (table: string) => new TableIndex({ name: `IX_${table}_owner_id`, columnNames: ["owner_id"] });

    await queryRunner.createTable(new Table({
      name: "idm_assigned_contexts",
      columns: [generatedId("idm_assigned_contexts"), column("owner_id", t.int), ...provenance(), column("dimensions", t.text)],
      indices: [ownerIndex("idm_assigned_contexts")],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_assigned_roles",
      columns: [
        generatedId("idm_assigned_roles"), column("owner_id", t.int), column("role", identifier), column("kind", t.string(16)),
        ...provenance(), column("parameters", t.text, true),
      ],
      indices: [ownerIndex("idm_assigned_roles")],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_assigned_resource_types",
      columns: [
        { name: "id", ...t.int, isPrimary: true, primaryKeyConstraintName: "PK_idm_assigned_resource_types" },
        column("owner_id", t.int, true),
        column("resource_type", identifier),
        column("target_id", t.int, true),
        column("correlation_rule", identifier, true),
        column("confidence", t.int, true),
        column("provisioning_state", t.string(32)),
        column("change_type", t.string(16), true),
        column("held_back", t.string(256), true),
        ...provenance(),
        column("parameters", t.text, true),
      ],
      indices: [
        ownerIndex("idm_assigned_resource_types"),
        new TableIndex({ name: "IX_idm_assigned_resource_types_target_id", columnNames: ["target_id"] }),
        new TableIndex({ name: "IX_idm_assigned_resource_types_type_state_id", columnNames: ["resource_type", "provisioning_state", "id"] }),
      ],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_assigned_values",
      columns: [
        generatedId("idm_assigned_values"),
        column("assigned_resource_type_id", t.int),
        column("property", identifier),
        column("kind", t.string(16)),
        column("provisioning_state", t.string(32)),
        column("change_type", t.string(16), true),
        column("confidence", t.int, true),
        column("questioned", t.boolean),
        ...provenance(),
        column("policy_value", t.text, true),
        column("current_value", t.text, true),
      ],
      indices: [new TableIndex({ name: "IX_idm_assigned_values_assigned_resource_type_id", columnNames: ["assigned_resource_type_id"] })],
      // No ON DELETE action: a resource type assignment's values are historized and deleted before it.
      foreignKeys: [new TableForeignKey({
        name: "FK_idm_assigned_values_assigned_resource_type_id", columnNames: ["assigned_resource_type_id"],
        referencedTableName: "idm_assigned_resource_types", referencedColumnNames: ["id"],
      })],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_identified_risks",
      columns: [generatedId("idm_identified_risks"), column("owner_id", t.int), column("risk", identifier), column("rule_index", t.int), ...provenance()],
      indices: [ownerIndex("idm_identified_risks")],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_risk_scores",
      columns: [
        generatedId("idm_risk_scores"), column("owner_id", t.int), column("score", t.int), column("computed_at", t.timestamp),
        column("updated_by_job_instance", t.int, true),
      ],
      indices: [new TableIndex({ name: "UX_idm_risk_scores_owner_id", columnNames: ["owner_id"], isUnique: true })],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_correlation_keys",
      columns: [
        generatedId("idm_correlation_keys"),
        column("resource_id", t.int),
        column("entity_type", t.identifier(407)),
        column("resource_type", identifier),
        column("rule_identifier", identifier),
        column("side", t.ascii(6)),
        column("key_value", t.identifier(405)),
      ],
      indices: [
        new TableIndex({ name: "IX_idm_correlation_keys_type_side_key", columnNames: ["resource_type", "side", "key_value"] }),
        new TableIndex({ name: "IX_idm_correlation_keys_resource_id", columnNames: ["resource_id"] }),
      ],
      foreignKeys: [new TableForeignKey({
        name: "FK_idm_correlation_keys_resource_id", columnNames: ["resource_id"], referencedTableName: "idm_resources", referencedColumnNames: ["id"], onDelete: "CASCADE",
      })],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_provisioning_orders",
      columns: [
        generatedId("idm_provisioning_orders"),
        column("assigned_resource_type_id", t.int),
        column("resource_type", identifier),
        column("connector", identifier),
        column("change_type", t.string(16)),
        column("owner_id", t.int, true),
        column("target_id", t.int, true),
        column("state", t.string(16)),
        column("order_file", t.string(1024), true),
        column("created_at", t.timestamp),
        column("job_instance_id", t.int),
        column("decision", t.string(16), true),
        column("decided_by", t.string(256), true),
        column("decided_at", t.timestamp, true),
        column("decision_comment", t.text, true),
        column("changes", t.text),
      ],
      indices: [
        new TableIndex({ name: "IX_idm_provisioning_orders_job_instance_id", columnNames: ["job_instance_id", "id"] }),
        new TableIndex({ name: "IX_idm_provisioning_orders_type_state_id", columnNames: ["resource_type", "state", "id"] }),
      ],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_assignment_history",
      columns: [
        generatedId("idm_assignment_history"),
        column("family", t.string(32)),
        column("row_id", t.int),
        column("owner_id", t.int, true),
        column("operation", t.string(16)),
        column("archived_at", t.timestamp),
        column("archived_by_job_instance", t.int, true),
        column("previous", t.text),
      ],
      indices: [
        new TableIndex({ name: "IX_idm_assignment_history_family_row_id", columnNames: ["family", "row_id"] }),
        new TableIndex({ name: "IX_idm_assignment_history_owner_id", columnNames: ["owner_id"] }),
      ],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_id_sequences",
      columns: [{ name: "name", ...t.string(64), isPrimary: true, primaryKeyConstraintName: "PK_idm_id_sequences" }, column("next_id", t.int)],
    }));
    // Constants only: no configuration value reaches this statement.
    const escape = (name: string) => queryRunner.connection.driver.escape(name);
    for (const name of ID_SEQUENCES) {
      await queryRunner.query(`INSERT INTO ${escape("idm_id_sequences")} (${escape("name")}, ${escape("next_id")}) VALUES ('${name}', 1)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "idm_id_sequences", "idm_assignment_history", "idm_provisioning_orders", "idm_correlation_keys", "idm_risk_scores",
      "idm_identified_risks", "idm_assigned_values", "idm_assigned_resource_types", "idm_assigned_roles", "idm_assigned_contexts",
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}

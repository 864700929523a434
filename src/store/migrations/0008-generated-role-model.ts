/**
 * The role model BuildRoleModelTask generates from the RoleMappings (reference model.md §C.9): its
 * single roles (State Generated) and the NavigationRule of each. They are not idm_items: deploy diffs
 * the configuration folder against idm_items and would delete what the folder does not hold, so a
 * deploy would remove every generated role. The policy loader merges these rows into the model.
 *
 * idm_generated_roles  identifier (unique: one role per identifier, whichever mapping made it), role_mapping
 *   (the RoleMapping that made it), value_resource_id (the resource, e.g. the AD group, it stands for; no
 *   foreign key: a resource deleted by a synchronization leaves the role for the next run to remove),
 *   entity_type (the owners': the mapping's ResourceType's SourceEntityType), policy, category null, the
 *   approval attributes copied from the mapping (approval_workflow_type, implicit_approval, approval_required,
 *   hide_on_simplified_view, the four comment activations), generated_by_job_instance null, display_name null
 * idm_generated_navigation_rules  generated_role_id → idm_generated_roles.id, resource_type, property (the
 *   navigation property, bare), value_resource_id, resource_key (the key a NavigationRule's Resource names:
 *   the value resource's first IsKey property, else its source key), indexed by role
 */
import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from "typeorm";
import { columnTypes, dialectOfDriver, type ColumnSpec } from "../column-types.js";

function column(name: string, spec: ColumnSpec, isNullable = false): TableColumnOptions {
  return { name, ...spec, isNullable };
}

export class GeneratedRoleModel implements MigrationInterface {
  readonly name = "0008-generated-role-model-1767744000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    const generatedId = (table: string): TableColumnOptions => ({
      name: "id", ...t.int, isPrimary: true, isGenerated: true, generationStrategy: "increment", primaryKeyConstraintName: `PK_${table}`,
    });
    const identifier = t.identifier(442);

    await queryRunner.createTable(new Table({
      name: "idm_generated_roles",
      columns: [
        generatedId("idm_generated_roles"),
        column("identifier", identifier),
        column("role_mapping", identifier),
        column("value_resource_id", t.int),
        column("entity_type", identifier),
        column("policy", identifier),
        column("category", identifier, true),
        column("approval_workflow_type", t.string(32)),
        column("implicit_approval", t.string(16)),
        column("approval_required", t.boolean),
        column("hide_on_simplified_view", t.boolean),
        column("comment_on_approve", t.string(16)),
        column("comment_on_decline", t.string(16)),
        column("comment_on_delete_gap", t.string(16)),
        column("comment_on_keep_gap", t.string(16)),
        column("generated_by_job_instance", t.int, true),
        column("display_name", t.text, true),
      ],
      indices: [new TableIndex({ name: "UX_idm_generated_roles_identifier", columnNames: ["identifier"], isUnique: true })],
    }));

    await queryRunner.createTable(new Table({
      name: "idm_generated_navigation_rules",
      columns: [
        generatedId("idm_generated_navigation_rules"),
        column("generated_role_id", t.int),
        column("resource_type", identifier),
        column("property", identifier),
        column("value_resource_id", t.int),
        column("resource_key", t.text),
      ],
      indices: [new TableIndex({ name: "IX_idm_generated_navigation_rules_generated_role_id", columnNames: ["generated_role_id"] })],
      // No ON DELETE action: the store deletes a role's rule before the role, in one transaction.
      foreignKeys: [new TableForeignKey({
        name: "FK_idm_generated_navigation_rules_generated_role_id", columnNames: ["generated_role_id"],
        referencedTableName: "idm_generated_roles", referencedColumnNames: ["id"],
      })],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable("idm_generated_navigation_rules", true);
    await queryRunner.dropTable("idm_generated_roles", true);
  }
}

/**
 * The four tables of entities.ts. Frozen: a later change is a new migration, never an edit here.
 * Indexes and foreign keys are part of each Table so that the whole DDL can be generated without a
 * connection (the SQL Server snapshot test), and every constraint has a readable, fixed name.
 */
import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from "typeorm";
import { columnTypes, dialectOfDriver, type ColumnSpec } from "../column-types.js";

function column(name: string, spec: ColumnSpec, isNullable = false): TableColumnOptions {
  return { name, ...spec, isNullable };
}

// No ON DELETE actions: SQL Server refuses SET NULL/CASCADE on self references and on two paths
// to one table (created_by, changed_by), and the ledger is never pruned by cascade anyway.
function reference(table: string, column: string): TableForeignKey {
  return new TableForeignKey({
    name: `FK_${table}_${column}`,
    columnNames: [column],
    referencedTableName: "idm_deployments",
    referencedColumnNames: ["id"],
  });
}

export class InitialSchema implements MigrationInterface {
  // TypeORM orders migrations by the 13-digit timestamp that ends the name.
  readonly name = "0001-initial-schema-1767225600000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    const id = (table: string): TableColumnOptions => ({
      name: "id", ...t.int, isPrimary: true, isGenerated: true, generationStrategy: "increment", primaryKeyConstraintName: `PK_${table}`,
    });

    await queryRunner.createTable(
      new Table({
        name: "idm_deployments",
        columns: [
          id("idm_deployments"),
          column("kind", t.string(16)),
          column("status", t.string(16)),
          column("started_at", t.timestamp),
          column("ended_at", t.timestamp, true),
          column("user_name", t.string(256)),
          column("host", t.string(256)),
          column("source_folder", t.string(1024)),
          column("configuration_hash", t.ascii(64)),
          column("inserted", t.int),
          column("updated", t.int),
          column("deleted", t.int),
          column("plan_json", t.text),
          column("error", t.text, true),
          column("rollback_of", t.int, true),
        ],
        foreignKeys: [reference("idm_deployments", "rollback_of")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_items",
        columns: [
          id("idm_items"),
          column("kind", t.identifier(64)),
          column("identifier", t.identifier(442)),
          column("hash", t.ascii(64)),
          column("source_file", t.string(1024), true),
          column("source_line", t.int, true),
          column("source_column", t.int, true),
          column("created_by", t.int, true),
          column("changed_by", t.int, true),
          // The large JSON columns come last: SQLite then reads a plan's keys and hashes without
          // walking each row's overflow pages.
          column("attributes", t.text),
          column("children", t.text),
        ],
        indices: [new TableIndex({ name: "UX_idm_items_kind_identifier", columnNames: ["kind", "identifier"], isUnique: true })],
        foreignKeys: [reference("idm_items", "created_by"), reference("idm_items", "changed_by")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_item_revisions",
        columns: [
          id("idm_item_revisions"),
          column("deployment_id", t.int),
          column("kind", t.identifier(64)),
          column("identifier", t.identifier(442)),
          column("operation", t.string(16)),
          column("before", t.text, true),
          column("after", t.text, true),
        ],
        indices: [
          new TableIndex({ name: "IX_idm_item_revisions_deployment_id", columnNames: ["deployment_id"] }),
          new TableIndex({ name: "IX_idm_item_revisions_kind_identifier", columnNames: ["kind", "identifier"] }),
        ],
        foreignKeys: [reference("idm_item_revisions", "deployment_id")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_leases",
        columns: [
          { ...column("name", t.string(64)), isPrimary: true, primaryKeyConstraintName: "PK_idm_leases" },
          column("owner", t.ascii(64)),
          column("host", t.string(256)),
          column("pid", t.int),
          column("acquired_at", t.timestamp),
          column("heartbeat_at", t.timestamp),
          column("expires_at", t.timestamp),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["idm_leases", "idm_item_revisions", "idm_items", "idm_deployments"]) {
      await queryRunner.dropTable(table, true);
    }
  }
}

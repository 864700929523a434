/**
 * idm_items.generated_by: the scaffolding element that generated an item (a job or task of
 * CreateConnectorSynchroComplete...), so that plan and show say where it comes from and export
 * writes the scaffolding instead of its output. Nullable: hand-written items, and rows written before.
 */
import { TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { columnTypes, dialectOfDriver } from "../column-types.js";

export class ItemGeneratedBy implements MigrationInterface {
  readonly name = "0006-item-generated-by-1767571200000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    await queryRunner.addColumn("idm_items", new TableColumn({ name: "generated_by", ...t.string(128), isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("idm_items", "generated_by");
  }
}

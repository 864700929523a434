/**
 * idm_items.contributions: for an item that overlays made (a module's item changed by the
 * configuration with ConsolidationMode), the files that contributed to it, base first, as JSON
 * [{file, line, column, mode}]. Null for an item written once. Not part of the item's hash: `idm show`
 * reads it, nothing compares it but the plan, which records a change of contributors as a move.
 */
import { TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { columnTypes, dialectOfDriver } from "../column-types.js";

export class ItemContributions implements MigrationInterface {
  readonly name = "0005-item-contributions-1767571200000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    await queryRunner.addColumn("idm_items", new TableColumn({ name: "contributions", ...t.text, isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("idm_items", "contributions");
  }
}

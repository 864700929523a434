/**
 * The index of dirty resources holds the dirty rows only: (entity_type, id) WHERE dirty is true,
 * instead of (entity_type, dirty, id) over every row. An incremental synchronization marks the rows it
 * changes dirty, and a Dirty-mode task's end clears them: with every row indexed, each mark moved an
 * entry to a random page of an index as large as the table (some 40% of the pages a 1% run wrote at
 * a million resources); now it adds an entry to an index as small as the marks. A Complete
 * synchronization, which writes its rows clean, maintains no index entry for them at all.
 *
 * Its queries say the literal predicate (resource-queries.ts), which is what lets the databases use
 * it. SQL Server's filtered index needs QUOTED_IDENTIFIER and ANSI_NULLS on, tedious's defaults.
 */
import { TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";
import { profileOfDriver } from "../dialects/index.js";
import { dirtyRowsPredicate } from "../entities/resource-tables.js";

const TABLE = "idm_resources";
const FULL_INDEX = new TableIndex({ name: "IX_idm_resources_entity_type_dirty_id", columnNames: ["entity_type", "dirty", "id"] });

export class DirtyResourcesIndex implements MigrationInterface {
  readonly name = "0013-dirty-resources-index-1768176000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const profile = profileOfDriver(queryRunner.connection.driver);
    await queryRunner.dropIndex(TABLE, FULL_INDEX.name!);
    await queryRunner.createIndex(TABLE, new TableIndex({ name: "IX_idm_resources_dirty", columnNames: ["entity_type", "id"], where: dirtyRowsPredicate(profile) }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(TABLE, "IX_idm_resources_dirty");
    await queryRunner.createIndex(TABLE, FULL_INDEX);
  }
}

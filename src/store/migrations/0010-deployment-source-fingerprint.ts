/**
 * idm_deployments.source_fingerprint: the SourceFingerprint (config/source-fingerprint.ts) of the
 * folder a whole-folder deploy stored, so that deploying the same files again skips building and
 * comparing the items (deploy/apply.ts). Nullable: scoped deploys, rollbacks, rows written before,
 * and every row once a later deploy writes items.
 */
import { TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { columnTypes, dialectOfDriver } from "../column-types.js";

export class DeploymentSourceFingerprint implements MigrationInterface {
  readonly name = "0010-deployment-source-fingerprint-1767916800000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    await queryRunner.addColumn("idm_deployments", new TableColumn({ name: "source_fingerprint", ...t.ascii(64), isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("idm_deployments", "source_fingerprint");
  }
}

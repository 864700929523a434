/**
 * What FulfillTask (domain/provisioning/fulfil.ts) records of each provisioning order it applies, on
 * idm_provisioning_orders: fulfil_state null (InFlight: handed to a package whose outcome is not
 * recorded yet, Executed, Errored; null: not taken yet), fulfil_message null (why it errored, or
 * "already applied"), fulfilled_at null, fulfilled_by_job_instance null. All nullable: orders written
 * before this migration, and those still Transmitted, have no outcome. InFlight is committed before a
 * package is called, so that a run killed in between tells the next run which orders may already be
 * in the target system (it hands them to the package again, whose idempotence decides).
 * The orders still to fulfil are read by (resource_type, state, id), the index 0007 made.
 */
import { TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { columnTypes, dialectOfDriver } from "../column-types.js";

const TABLE = "idm_provisioning_orders";

export class OrderFulfilment implements MigrationInterface {
  readonly name = "0009-order-fulfilment-1767830400000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    await queryRunner.addColumns(TABLE, [
      new TableColumn({ name: "fulfil_state", ...t.string(16), isNullable: true }),
      new TableColumn({ name: "fulfil_message", ...t.text, isNullable: true }),
      new TableColumn({ name: "fulfilled_at", ...t.timestamp, isNullable: true }),
      new TableColumn({ name: "fulfilled_by_job_instance", ...t.int, isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ["fulfilled_by_job_instance", "fulfilled_at", "fulfil_message", "fulfil_state"]) await queryRunner.dropColumn(TABLE, name);
  }
}

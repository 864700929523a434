/**
 * idm_task_instances.process_group: the process group of the child a running task started (host, pgid
 * and the leader's start time, as JSON), cleared when the child ends. A runner killed with SIGKILL
 * leaves its scripts running in their own groups; the run that takes over the job ends them first, so
 * that two instances of one job never overlap. Nullable: rows written before it have none.
 */
import { TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { columnTypes, dialectOfDriver } from "../column-types.js";

export class TaskProcessGroups implements MigrationInterface {
  readonly name = "0004-task-process-groups-1767484800000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    await queryRunner.addColumn("idm_task_instances", new TableColumn({ name: "process_group", ...t.string(512), isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn("idm_task_instances", "process_group");
  }
}

/**
 * The tables of running jobs: job instances (with the snapshot of the job they run), task instances,
 * task logs, and the scheduler's last decision per job. Frozen like 0001.
 */
import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from "typeorm";
import { columnTypes, dialectOfDriver, type ColumnSpec } from "../column-types.js";

function column(name: string, spec: ColumnSpec, isNullable = false): TableColumnOptions {
  return { name, ...spec, isNullable };
}

// No ON DELETE CASCADE: SQL Server refuses two cascade paths to idm_task_logs; pruning deletes children first.
function reference(table: string, column: string, target: string): TableForeignKey {
  return new TableForeignKey({ name: `FK_${table}_${column}`, columnNames: [column], referencedTableName: target, referencedColumnNames: ["id"] });
}

export class JobRuns implements MigrationInterface {
  readonly name = "0002-job-runs-1767312000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOfDriver(queryRunner.connection.options.type));
    const id = (table: string): TableColumnOptions => ({
      name: "id", ...t.int, isPrimary: true, isGenerated: true, generationStrategy: "increment", primaryKeyConstraintName: `PK_${table}`,
    });

    await queryRunner.createTable(
      new Table({
        name: "idm_job_instances",
        columns: [
          id("idm_job_instances"),
          column("job", t.identifier(442)),
          column("state", t.string(16)),
          column("trigger_kind", t.string(16)),
          column("user_name", t.string(256)),
          column("host", t.string(256)),
          column("pid", t.int),
          column("started_at", t.timestamp),
          column("ended_at", t.timestamp, true),
          column("cancel_requested", t.boolean),
          column("forced", t.boolean),
          column("deployment_id", t.int, true),
          column("selection", t.text, true),
          column("snapshot", t.text),
        ],
        indices: [
          new TableIndex({ name: "IX_idm_job_instances_job_id", columnNames: ["job", "id"] }),
          new TableIndex({ name: "IX_idm_job_instances_started_at", columnNames: ["started_at"] }),
        ],
        foreignKeys: [reference("idm_job_instances", "deployment_id", "idm_deployments")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_task_instances",
        columns: [
          id("idm_task_instances"),
          column("job_instance_id", t.int),
          column("task", t.identifier(442)),
          column("task_type", t.string(64)),
          column("level", t.int),
          column("launch_order", t.int),
          column("group_index", t.int),
          column("state", t.string(16)),
          column("started_at", t.timestamp, true),
          column("ended_at", t.timestamp, true),
          column("attempt", t.int),
          column("did_work", t.boolean),
          column("counters", t.text, true),
          column("error", t.text, true),
        ],
        indices: [new TableIndex({ name: "IX_idm_task_instances_job_instance_id", columnNames: ["job_instance_id", "id"] })],
        foreignKeys: [reference("idm_task_instances", "job_instance_id", "idm_job_instances")],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_task_logs",
        columns: [
          id("idm_task_logs"),
          column("job_instance_id", t.int),
          column("task_instance_id", t.int, true),
          column("logged_at", t.timestamp),
          column("level", t.string(16)),
          column("message", t.text),
        ],
        indices: [new TableIndex({ name: "IX_idm_task_logs_job_instance_id", columnNames: ["job_instance_id", "id"] })],
        foreignKeys: [
          reference("idm_task_logs", "job_instance_id", "idm_job_instances"),
          reference("idm_task_logs", "task_instance_id", "idm_task_instances"),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: "idm_schedules",
        columns: [
          { ...column("job", t.identifier(442)), isPrimary: true, primaryKeyConstraintName: "PK_idm_schedules" },
          column("due_at", t.timestamp),
          column("decided_at", t.timestamp),
          column("outcome", t.string(16)),
          column("job_instance_id", t.int, true),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["idm_schedules", "idm_task_logs", "idm_task_instances", "idm_job_instances"]) {
      await queryRunner.dropTable(table, true);
    }
  }
}

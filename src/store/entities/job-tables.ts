/** Job runs: job and task instances, their log lines, the scheduler's decisions (migrations/0002-job-runs.ts). */
import { EntitySchema } from "typeorm";
import type { ColumnTypes } from "../column-types.js";
import type { JobState, TaskState, Trigger } from "../../domain/vocabulary.js";
import { column, ENTITY, idColumn as id, reference } from "./schema-helpers.js";

export interface JobInstanceRow {
  id: number;
  job: string;
  state: JobState;
  trigger: Trigger;
  user: string;
  host: string;
  pid: number;
  startedAt: Date;
  endedAt: Date | null;
  cancelRequested: boolean;
  forced: boolean;
  deploymentId: number | null;
  selection: string /*JSON*/ | null;
  snapshot: string /*JSON*/;
}

export interface TaskInstanceRow {
  id: number;
  jobInstanceId: number;
  task: string;
  taskType: string;
  level: number;
  launchOrder: number;
  groupIndex: number;
  state: TaskState;
  startedAt: Date | null;
  endedAt: Date | null;
  attempt: number;
  didWork: boolean;
  counters: string /*JSON*/ | null;
  error: string | null;
  /** The process group of the child the task runs, while it runs (JSON: host, pgid, start; migrations/0004). */
  processGroup: string /*JSON*/ | null;
}

export interface TaskLogRow {
  id: number;
  jobInstanceId: number;
  taskInstanceId: number | null;
  loggedAt: Date;
  level: string;
  message: string;
}

export interface ScheduleRow {
  job: string;
  dueAt: Date;
  decidedAt: Date;
  outcome: "started" | "overlap" | "failed";
  jobInstanceId: number | null;
}

export function jobEntities(t: ColumnTypes): EntitySchema[] {
  const jobInstance = new EntitySchema<JobInstanceRow>({
    name: ENTITY.jobInstance,
    tableName: "idm_job_instances",
    columns: {
      id: id(t, "idm_job_instances"),
      job: column("job", t.identifier(442)),
      state: column("state", t.string(16)),
      trigger: column("trigger_kind", t.string(16)),
      user: column("user_name", t.string(256)),
      host: column("host", t.string(256)),
      pid: column("pid", t.int),
      startedAt: column("started_at", t.timestamp),
      endedAt: column("ended_at", t.timestamp, true),
      cancelRequested: column("cancel_requested", t.boolean),
      forced: column("forced", t.boolean),
      deploymentId: column("deployment_id", t.int, true),
      selection: column("selection", t.text, true),
      snapshot: column("snapshot", t.text),
    },
    indices: [
      { name: "IX_idm_job_instances_job_id", columns: ["job", "id"] },
      { name: "IX_idm_job_instances_started_at", columns: ["startedAt"] },
    ],
    foreignKeys: [reference("idm_job_instances", "deploymentId", "deployment_id")],
  });

  const taskInstance = new EntitySchema<TaskInstanceRow>({
    name: ENTITY.taskInstance,
    tableName: "idm_task_instances",
    columns: {
      id: id(t, "idm_task_instances"),
      jobInstanceId: column("job_instance_id", t.int),
      task: column("task", t.identifier(442)),
      taskType: column("task_type", t.string(64)),
      level: column("level", t.int),
      launchOrder: column("launch_order", t.int),
      groupIndex: column("group_index", t.int),
      state: column("state", t.string(16)),
      startedAt: column("started_at", t.timestamp, true),
      endedAt: column("ended_at", t.timestamp, true),
      attempt: column("attempt", t.int),
      didWork: column("did_work", t.boolean),
      counters: column("counters", t.text, true),
      error: column("error", t.text, true),
      processGroup: column("process_group", t.string(512), true),
    },
    indices: [{ name: "IX_idm_task_instances_job_instance_id", columns: ["jobInstanceId", "id"] }],
    foreignKeys: [reference("idm_task_instances", "jobInstanceId", "job_instance_id", ENTITY.jobInstance)],
  });

  const taskLog = new EntitySchema<TaskLogRow>({
    name: ENTITY.taskLog,
    tableName: "idm_task_logs",
    columns: {
      id: id(t, "idm_task_logs"),
      jobInstanceId: column("job_instance_id", t.int),
      taskInstanceId: column("task_instance_id", t.int, true),
      loggedAt: column("logged_at", t.timestamp),
      level: column("level", t.string(16)),
      message: column("message", t.text),
    },
    indices: [{ name: "IX_idm_task_logs_job_instance_id", columns: ["jobInstanceId", "id"] }],
    foreignKeys: [
      reference("idm_task_logs", "jobInstanceId", "job_instance_id", ENTITY.jobInstance),
      reference("idm_task_logs", "taskInstanceId", "task_instance_id", ENTITY.taskInstance),
    ],
  });

  const schedule = new EntitySchema<ScheduleRow>({
    name: ENTITY.schedule,
    tableName: "idm_schedules",
    columns: {
      job: { ...column("job", t.identifier(442)), primary: true, primaryKeyConstraintName: "PK_idm_schedules" },
      dueAt: column("due_at", t.timestamp),
      decidedAt: column("decided_at", t.timestamp),
      outcome: column("outcome", t.string(16)),
      jobInstanceId: column("job_instance_id", t.int, true),
    },
  });

  return [jobInstance, taskInstance, taskLog, schedule];
}

/**
 * Every statement the runner sends, as QueryBuilders or driver-quoted statements: the runner runs
 * them and the SQL Server snapshot test prints them, so what is reviewed offline is what runs.
 */
import { In, IsNull, LessThan, Not, type DeleteQueryBuilder, type EntityManager, type InsertQueryBuilder, type ObjectLiteral, type SelectQueryBuilder, type UpdateQueryBuilder } from "typeorm";
import { ENTITY, type JobInstanceRow, type ScheduleRow, type TaskInstanceRow, type TaskLogRow } from "./entities.js";
import { bulkInsert, updateById, type Statement } from "./statements.js";

export function insertJobInstance(m: EntityManager, row: Omit<JobInstanceRow, "id">): InsertQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().insert().into(ENTITY.jobInstance).values(row);
}

export function updateJobInstance(m: EntityManager, id: number, set: Partial<Omit<JobInstanceRow, "id">>): UpdateQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().update(ENTITY.jobInstance).set(set).where({ id }).updateEntity(false);
}

export function selectJobInstance(m: EntityManager, id: number): SelectQueryBuilder<JobInstanceRow> {
  return m.createQueryBuilder<JobInstanceRow>(ENTITY.jobInstance, "j").where({ id });
}

/** The flag `idm cancel` sets, read by the runner every half second. */
export function selectCancelRequested(m: EntityManager, id: number): SelectQueryBuilder<JobInstanceRow> {
  return m.createQueryBuilder<JobInstanceRow>(ENTITY.jobInstance, "j").select("j.cancelRequested").where({ id });
}

/** Who runs the job (or ran it, when its runner died): without the snapshots, the largest column. */
export function selectRunningInstances(m: EntityManager, job: string): SelectQueryBuilder<JobInstanceRow> {
  return m.createQueryBuilder<JobInstanceRow>(ENTITY.jobInstance, "j")
    .select(["j.id", "j.host", "j.pid", "j.startedAt"])
    .where({ job, state: "InProgress" })
    .orderBy("j.id", "DESC");
}

/** Instances without their snapshots, newest first. */
export function selectInstances(m: EntityManager, job: string | undefined, limit: number): SelectQueryBuilder<JobInstanceRow> {
  const query = m.createQueryBuilder<JobInstanceRow>(ENTITY.jobInstance, "j")
    .select(["j.id", "j.job", "j.state", "j.trigger", "j.user", "j.host", "j.pid", "j.startedAt", "j.endedAt", "j.cancelRequested", "j.forced", "j.deploymentId"])
    .orderBy("j.id", "DESC")
    .take(limit);
  return job === undefined ? query : query.where({ job });
}

/** The latest instance of each job (for `idm jobs`). */
export function selectLastInstances(m: EntityManager): SelectQueryBuilder<JobInstanceRow> {
  const latest = m.createQueryBuilder().subQuery().select("MAX(x.id)").from(ENTITY.jobInstance, "x").groupBy("x.job").getQuery();
  return m.createQueryBuilder<JobInstanceRow>(ENTITY.jobInstance, "j").select(["j.id", "j.job", "j.state", "j.startedAt", "j.endedAt"]).where(`j.id IN ${latest}`);
}

/** Written Pending: no process group yet (a column left out is NULL). */
export function insertTaskInstances(m: EntityManager, rows: Omit<TaskInstanceRow, "id" | "processGroup">[]): Statement {
  return bulkInsert(m, ENTITY.taskInstance, rows);
}

export function selectTaskInstances(m: EntityManager, jobInstanceId: number): SelectQueryBuilder<TaskInstanceRow> {
  return m.createQueryBuilder<TaskInstanceRow>(ENTITY.taskInstance, "t").where({ jobInstanceId }).orderBy("t.id");
}

/** Two per task (started, ended): bound values, so that the prepared statement is reused. */
export function updateTaskInstance(m: EntityManager, id: number, set: Partial<Omit<TaskInstanceRow, "id">>): Statement {
  return updateById(m, ENTITY.taskInstance, id, set);
}

/** Marks the running tasks of dead instances: a new runner found their lease expired. */
export function interruptTaskInstances(m: EntityManager, jobInstanceIds: number[], endedAt: Date): UpdateQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().update(ENTITY.taskInstance).set({ state: "Interrupted", endedAt })
    .where({ jobInstanceId: In(jobInstanceIds), state: "InProgress" }).updateEntity(false);
}

/** The process groups that tasks of these instances recorded and did not clear: what their dead runners left running. */
export function selectRecordedProcessGroups(m: EntityManager, jobInstanceIds: number[]): SelectQueryBuilder<TaskInstanceRow> {
  return m.createQueryBuilder<TaskInstanceRow>(ENTITY.taskInstance, "t")
    .select(["t.id", "t.jobInstanceId", "t.task", "t.processGroup"])
    .where({ jobInstanceId: In(jobInstanceIds), processGroup: Not(IsNull()) })
    .orderBy("t.id");
}

/** Forgets the process groups that were ended or found gone. */
export function clearProcessGroups(m: EntityManager, taskInstanceIds: number[]): UpdateQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().update(ENTITY.taskInstance).set({ processGroup: null }).where({ id: In(taskInstanceIds) }).updateEntity(false);
}

export function interruptJobInstances(m: EntityManager, ids: number[], endedAt: Date): UpdateQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().update(ENTITY.jobInstance).set({ state: "Interrupted", endedAt })
    .where({ id: In(ids), state: "InProgress" }).updateEntity(false);
}

export function insertTaskLogs(m: EntityManager, rows: Omit<TaskLogRow, "id">[]): Statement {
  return bulkInsert(m, ENTITY.taskLog, rows);
}

/** Log lines after `afterId` (for --follow), optionally of one task instance. */
export function selectTaskLogs(m: EntityManager, jobInstanceId: number, afterId: number, taskInstanceId?: number): SelectQueryBuilder<TaskLogRow> {
  const query = m.createQueryBuilder<TaskLogRow>(ENTITY.taskLog, "l").where("l.jobInstanceId = :jobInstanceId AND l.id > :afterId", { jobInstanceId, afterId });
  return (taskInstanceId === undefined ? query : query.andWhere("l.taskInstanceId = :taskInstanceId", { taskInstanceId })).orderBy("l.id");
}

/** Ended instances that started before `before`: what `idm history prune` removes. */
export function selectPrunableInstances(m: EntityManager, before: Date): SelectQueryBuilder<JobInstanceRow> {
  return m.createQueryBuilder<JobInstanceRow>(ENTITY.jobInstance, "j").select("j.id").where({ startedAt: LessThan(before) }).andWhere("j.state <> 'InProgress'");
}

export function deleteByJobInstance(m: EntityManager, entity: typeof ENTITY.taskLog | typeof ENTITY.taskInstance, ids: number[]): DeleteQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().delete().from(entity).where({ jobInstanceId: In(ids) });
}

export function deleteJobInstances(m: EntityManager, ids: number[]): DeleteQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().delete().from(ENTITY.jobInstance).where({ id: In(ids) });
}

export function selectSchedules(m: EntityManager): SelectQueryBuilder<ScheduleRow> {
  return m.createQueryBuilder<ScheduleRow>(ENTITY.schedule, "s");
}

export function insertSchedule(m: EntityManager, row: ScheduleRow): InsertQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().insert().into(ENTITY.schedule).values(row).updateEntity(false);
}

export function updateSchedule(m: EntityManager, row: ScheduleRow): UpdateQueryBuilder<ObjectLiteral> {
  const { job, ...set } = row;
  return m.createQueryBuilder().update(ENTITY.schedule).set(set).where({ job }).updateEntity(false);
}

/**
 * The store's own consistency repair (the reference's "data inconsistencies" cleanup, for the
 * tables idm-toolkit owns), run unless NoNormalizationCheck:
 *
 * - log lines whose task instance no longer exists, then task instances and log lines whose job
 *   instance no longer exists, are deleted (foreign keys forbid them, but not on a database restored in
 *   parts or edited by hand with constraints off);
 * - job instances left InProgress by a runner that died (their job's lease, `job:<identifier>`, is absent
 *   or expired) are marked Interrupted with their InProgress tasks, as the next run of the job would
 *   do, after the process groups their tasks left running on this host are ended (processes/dead-runner-groups.ts);
 *   never the instance this task runs in.
 *
 * Every statement is a QueryBuilder: the SQL Server snapshot prints what runs.
 */
import { In, Not, type DeleteQueryBuilder, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from "typeorm";
import { deleteByJobInstance, interruptJobInstances, interruptTaskInstances } from "../../store/job-instance-queries.js";
import { ENTITY, type JobInstanceRow } from "../../store/entities.js";
import { goneHolder, readLease } from "../../store/lease.js";
import { chunks } from "../../store/statements.js";
import type { MaintenanceRun } from "./run.js";
import { jobLeaseName } from "../../store/job-lease.js";
import { endGroupsOfDeadRunners } from "../processes/dead-runner-groups.js";

/** Ids per IN list: SQL Server binds at most 2,100 parameters. */
const CHUNK = 1000;

/** Job instance ids that task instances refer to but that no longer exist. */
export function selectMissingJobInstancesOfTasks(m: EntityManager): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.taskInstance, "t").select("t.jobInstanceId", "jobInstanceId").distinct(true)
    .leftJoin(ENTITY.jobInstance, "j", "j.id = t.jobInstanceId").where("j.id IS NULL");
}

/** Job instance ids that log lines refer to but that no longer exist. */
export function selectMissingJobInstancesOfLogs(m: EntityManager): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.taskLog, "l").select("l.jobInstanceId", "jobInstanceId").distinct(true)
    .leftJoin(ENTITY.jobInstance, "j", "j.id = l.jobInstanceId").where("j.id IS NULL");
}

/** Task instance ids that log lines refer to but that no longer exist. */
export function selectMissingTaskInstancesOfLogs(m: EntityManager): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.taskLog, "l").select("l.taskInstanceId", "taskInstanceId").distinct(true)
    .leftJoin(ENTITY.taskInstance, "t", "t.id = l.taskInstanceId")
    .where("l.taskInstanceId IS NOT NULL AND t.id IS NULL");
}

/** Task instances whose job instance no longer exists but that log lines of another job instance refer to. */
export function selectOrphanTaskInstancesOfLogs(m: EntityManager): SelectQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder(ENTITY.taskLog, "l").select("l.taskInstanceId", "taskInstanceId").distinct(true)
    .innerJoin(ENTITY.taskInstance, "t", "t.id = l.taskInstanceId")
    .leftJoin(ENTITY.jobInstance, "j", "j.id = t.jobInstanceId")
    .where("j.id IS NULL");
}

export function deleteLogsOfTaskInstances(m: EntityManager, taskInstanceIds: number[]): DeleteQueryBuilder<ObjectLiteral> {
  return m.createQueryBuilder().delete().from(ENTITY.taskLog).where({ taskInstanceId: In(taskInstanceIds) });
}

/** The InProgress instances of every job but the one this task runs in. */
export function selectOtherInProgressInstances(m: EntityManager, exceptId: number): SelectQueryBuilder<JobInstanceRow> {
  return m.createQueryBuilder<JobInstanceRow>(ENTITY.jobInstance, "j").select(["j.id", "j.job", "j.startedAt", "j.host", "j.pid"])
    .where({ state: "InProgress", id: Not(exceptId) }).orderBy("j.id");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function idList(ids: number[]): string {
  return ids.length <= 10 ? ids.join(", ") : `${ids.slice(0, 10).join(", ")} and ${ids.length - 10} more`;
}

export async function repairConsistency(run: MaintenanceRun): Promise<void> {
  const { session } = run;
  const m = session.manager;
  const exec = (query: { execute(): Promise<{ affected?: number | null }> }) => session.guard(async () => (await query.execute()).affected ?? 0);
  const ids = async (query: SelectQueryBuilder<ObjectLiteral>, column: string) =>
    (await session.guard(() => query.getRawMany<Record<string, unknown>>())).map((r) => Number(r[column])).sort((a, b) => a - b);

  const strayTasks = await ids(selectMissingTaskInstancesOfLogs(m), "taskInstanceId");
  if (strayTasks.length > 0) {
    let logs = 0;
    for (const chunk of chunks(strayTasks, CHUNK)) logs += await exec(deleteLogsOfTaskInstances(m, chunk));
    run.log("Warning", `deleted ${plural(logs, "log line")} of task instances that no longer exist (${idList(strayTasks)})`);
    run.count("rowsRepaired", logs);
  }

  const missingJobs = [...new Set([
    ...(await ids(selectMissingJobInstancesOfTasks(m), "jobInstanceId")),
    ...(await ids(selectMissingJobInstancesOfLogs(m), "jobInstanceId")),
  ])].sort((a, b) => a - b);
  if (missingJobs.length > 0) {
    let logs = 0;
    for (const chunk of chunks(missingJobs, CHUNK)) logs += await exec(deleteByJobInstance(m, ENTITY.taskLog, chunk));
    // Lines that name another job instance than their task's: the task instances cannot go while they refer to them.
    for (const chunk of chunks(await ids(selectOrphanTaskInstancesOfLogs(m), "taskInstanceId"), CHUNK)) logs += await exec(deleteLogsOfTaskInstances(m, chunk));
    let tasks = 0;
    for (const chunk of chunks(missingJobs, CHUNK)) tasks += await exec(deleteByJobInstance(m, ENTITY.taskInstance, chunk));
    run.log("Warning", `deleted ${plural(tasks, "task instance")} and ${plural(logs, "log line")} of job instances that no longer exist (${idList(missingJobs)})`);
    run.count("rowsRepaired", tasks + logs);
  }

  const running = await session.guard(() => selectOtherInProgressInstances(m, run.context.job.instanceId).getMany());
  if (running.length === 0) return;
  const leases = new Map<string, Awaited<ReturnType<typeof readLease>>>();
  for (const instance of running) {
    if (!leases.has(instance.job)) leases.set(instance.job, await session.guard(() => readLease(run.context.store, jobLeaseName(instance.job))));
    const now = new Date();
    const why = goneHolder(jobLeaseName(instance.job), leases.get(instance.job), now);
    if (why === undefined) continue;
    // Not under guard: its wait for the groups to end is no statement that a cancel could stop.
    session.throwIfAborted();
    await endGroupsOfDeadRunners(m, [instance], (level, message) => run.log(level, message));
    const tasks = await exec(interruptTaskInstances(m, [instance.id], now));
    const jobs = await exec(interruptJobInstances(m, [instance.id], now));
    if (jobs === 0 && tasks === 0) continue;
    run.log("Warning", `job instance ${instance.id} of ${instance.job}, started ${instance.startedAt.toISOString()}, was InProgress with no live runner (${why}): marked Interrupted with ${plural(tasks, "running task")}`);
    run.count("rowsRepaired", jobs + tasks);
  }
}

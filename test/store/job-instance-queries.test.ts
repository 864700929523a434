/**
 * SQL Server cannot run here: the T-SQL of every statement the runner, the history commands and the
 * scheduler send is generated offline through TypeORM's mssql driver, by the functions they run.
 */
import { describe, expect, it } from "vitest";
import {
  deleteByJobInstance, deleteJobInstances, insertJobInstance, insertSchedule, insertTaskInstances, insertTaskLogs, interruptJobInstances,
  interruptTaskInstances, clearProcessGroups, selectCancelRequested, selectRecordedProcessGroups, selectInstances, selectJobInstance, selectLastInstances, selectPrunableInstances,
  selectRunningInstances, selectSchedules, selectTaskInstances, selectTaskLogs, updateJobInstance, updateSchedule, updateTaskInstance,
} from "../../src/store/job-instance-queries.js";
import { ENTITY, type TaskInstanceRow } from "../../src/store/entities.js";
import { offlineMssqlStore } from "../../src/store/store.js";
import { statement } from "../helpers/sql-statement.js";


describe("runner statements on SQL Server (offline)", () => {
  it("match the reviewed T-SQL snapshot", async () => {
    const { dataSource } = await offlineMssqlStore();
    const m = dataSource.manager;
    const at = new Date("2026-01-02T03:04:05.678Z");
    const task: Omit<TaskInstanceRow, "id" | "processGroup"> = {
      jobInstanceId: 7, task: "T", taskType: "InvokeExpressionTask", level: 0, launchOrder: 1, groupIndex: 0, state: "Pending",
      startedAt: null, endedAt: null, attempt: 0, didWork: false, counters: null, error: null,
    };
    const sql = [
      statement("start a job instance", insertJobInstance(m, {
        job: "J", state: "InProgress", trigger: "cli", user: "u", host: "h", pid: 1, startedAt: at, endedAt: null,
        cancelRequested: false, forced: false, deploymentId: 3, selection: null, snapshot: "{}",
      })),
      statement("its task instances, Pending (two rows of a batch)", insertTaskInstances(m, [task, { ...task, task: "U", launchOrder: 2 }])),
      statement("read them back", selectTaskInstances(m, 7)),
      statement("a task starts", updateTaskInstance(m, 11, { state: "InProgress", attempt: 1, startedAt: at, endedAt: null, error: null })),
      statement("its script's process group is recorded (and set to NULL when the script ends)", updateTaskInstance(m, 11, { processGroup: '{"host":"h","pgid":4242,"start":"b/1"}' })),
      statement("a task ends", updateTaskInstance(m, 11, { state: "Succeeded", endedAt: at, didWork: true, counters: '{"rows":1}', error: null, processGroup: null })),
      statement("log lines", insertTaskLogs(m, [{ jobInstanceId: 7, taskInstanceId: 11, loggedAt: at, level: "Information", message: "m" }])),
      statement("look for idm cancel's flag", selectCancelRequested(m, 7)),
      statement("idm cancel", updateJobInstance(m, 7, { cancelRequested: true })),
      statement("the job instance ends", updateJobInstance(m, 7, { state: "Succeeded", endedAt: at })),
      statement("one instance", selectJobInstance(m, 7)),
      statement("instances still InProgress (dead runners, overlap)", selectRunningInstances(m, "J")),
      statement("process groups dead runners left", selectRecordedProcessGroups(m, [5, 6])),
      statement("forget the ones ended or gone", clearProcessGroups(m, [12, 13])),
      statement("mark dead runners' tasks Interrupted", interruptTaskInstances(m, [5, 6], at)),
      statement("mark dead runners' instances Interrupted", interruptJobInstances(m, [5, 6], at)),
      statement("idm instances", selectInstances(m, "J", 50)),
      statement("idm jobs: each job's last instance", selectLastInstances(m)),
      statement("idm logs --follow", selectTaskLogs(m, 7, 100, 11)),
      statement("prune: ended instances before the retention", selectPrunableInstances(m, at)),
      statement("prune: their logs", deleteByJobInstance(m, ENTITY.taskLog, [1, 2])),
      statement("prune: their tasks", deleteByJobInstance(m, ENTITY.taskInstance, [1, 2])),
      statement("prune: the instances", deleteJobInstances(m, [1, 2])),
      statement("scheduler: decisions", selectSchedules(m)),
      statement("scheduler: first decision for a job", insertSchedule(m, { job: "J", dueAt: at, decidedAt: at, outcome: "started", jobInstanceId: 7 })),
      statement("scheduler: next decisions", updateSchedule(m, { job: "J", dueAt: at, decidedAt: at, outcome: "overlap", jobInstanceId: 7 })),
    ].join("\n");
    await expect(sql).toMatchFileSnapshot("./snapshots/mssql-runner.sql");
    expect(sql).not.toMatch(/\bLIMIT\b|\bRETURNING\b|`/);
  });
});

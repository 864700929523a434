-- start a job instance (13 parameters)
INSERT INTO "idm_job_instances"("job", "state", "trigger_kind", "user_name", "host", "pid", "started_at", "ended_at", "cancel_requested", "forced", "deployment_id", "selection", "snapshot") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12);

-- its task instances, Pending (two rows of a batch) (26 parameters)
INSERT INTO "idm_task_instances" ("job_instance_id", "task", "task_type", "level", "launch_order", "group_index", "state", "started_at", "ended_at", "attempt", "did_work", "counters", "error") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12), (@13, @14, @15, @16, @17, @18, @19, @20, @21, @22, @23, @24, @25);

-- read them back (1 parameters)
SELECT "t"."id" AS "t_id", "t"."job_instance_id" AS "t_job_instance_id", "t"."task" AS "t_task", "t"."task_type" AS "t_task_type", "t"."level" AS "t_level", "t"."launch_order" AS "t_launch_order", "t"."group_index" AS "t_group_index", "t"."state" AS "t_state", "t"."started_at" AS "t_started_at", "t"."ended_at" AS "t_ended_at", "t"."attempt" AS "t_attempt", "t"."did_work" AS "t_did_work", "t"."counters" AS "t_counters", "t"."error" AS "t_error", "t"."process_group" AS "t_process_group" FROM "idm_task_instances" "t" WHERE "t"."job_instance_id" = @0 ORDER BY "t"."id" ASC;

-- a task starts (6 parameters)
UPDATE "idm_task_instances" SET "state" = @0, "started_at" = @1, "ended_at" = @2, "attempt" = @3, "error" = @4 WHERE "id" = @5;

-- its script's process group is recorded (and set to NULL when the script ends) (2 parameters)
UPDATE "idm_task_instances" SET "process_group" = @0 WHERE "id" = @1;

-- a task ends (7 parameters)
UPDATE "idm_task_instances" SET "state" = @0, "ended_at" = @1, "did_work" = @2, "counters" = @3, "error" = @4, "process_group" = @5 WHERE "id" = @6;

-- log lines (5 parameters)
INSERT INTO "idm_task_logs" ("job_instance_id", "task_instance_id", "logged_at", "level", "message") VALUES (@0, @1, @2, @3, @4);

-- look for idm cancel's flag (1 parameters)
SELECT "j"."cancel_requested" AS "j_cancel_requested" FROM "idm_job_instances" "j" WHERE "j"."id" = @0;

-- idm cancel (2 parameters)
UPDATE "idm_job_instances" SET "cancel_requested" = @0 WHERE "id" = @1;

-- the job instance ends (3 parameters)
UPDATE "idm_job_instances" SET "state" = @0, "ended_at" = @1 WHERE "id" = @2;

-- one instance (1 parameters)
SELECT "j"."id" AS "j_id", "j"."job" AS "j_job", "j"."state" AS "j_state", "j"."trigger_kind" AS "j_trigger_kind", "j"."user_name" AS "j_user_name", "j"."host" AS "j_host", "j"."pid" AS "j_pid", "j"."started_at" AS "j_started_at", "j"."ended_at" AS "j_ended_at", "j"."cancel_requested" AS "j_cancel_requested", "j"."forced" AS "j_forced", "j"."deployment_id" AS "j_deployment_id", "j"."selection" AS "j_selection", "j"."snapshot" AS "j_snapshot" FROM "idm_job_instances" "j" WHERE "j"."id" = @0;

-- instances still InProgress (dead runners, overlap) (2 parameters)
SELECT "j"."id" AS "j_id", "j"."host" AS "j_host", "j"."pid" AS "j_pid", "j"."started_at" AS "j_started_at" FROM "idm_job_instances" "j" WHERE ("j"."job" = @0 AND "j"."state" = @1) ORDER BY "j_id" DESC;

-- process groups dead runners left (2 parameters)
SELECT "t"."id" AS "t_id", "t"."job_instance_id" AS "t_job_instance_id", "t"."task" AS "t_task", "t"."process_group" AS "t_process_group" FROM "idm_task_instances" "t" WHERE ("t"."job_instance_id" IN (@0, @1) AND NOT("t"."process_group" IS NULL)) ORDER BY "t_id" ASC;

-- forget the ones ended or gone (3 parameters)
UPDATE "idm_task_instances" SET "process_group" = @0 WHERE "id" IN (@1, @2);

-- mark dead runners' tasks Interrupted (5 parameters)
UPDATE "idm_task_instances" SET "state" = @0, "ended_at" = @1 WHERE ("job_instance_id" IN (@2, @3) AND "state" = @4);

-- mark dead runners' instances Interrupted (5 parameters)
UPDATE "idm_job_instances" SET "state" = @0, "ended_at" = @1 WHERE ("id" IN (@2, @3) AND "state" = @4);

-- idm instances (1 parameters)
SELECT "j"."id" AS "j_id", "j"."job" AS "j_job", "j"."state" AS "j_state", "j"."trigger_kind" AS "j_trigger_kind", "j"."user_name" AS "j_user_name", "j"."host" AS "j_host", "j"."pid" AS "j_pid", "j"."started_at" AS "j_started_at", "j"."ended_at" AS "j_ended_at", "j"."cancel_requested" AS "j_cancel_requested", "j"."forced" AS "j_forced", "j"."deployment_id" AS "j_deployment_id" FROM "idm_job_instances" "j" WHERE "j"."job" = @0 ORDER BY "j_id" DESC OFFSET 0 ROWS FETCH NEXT 50 ROWS ONLY;

-- idm jobs: each job's last instance (0 parameters)
SELECT "j"."id" AS "j_id", "j"."job" AS "j_job", "j"."state" AS "j_state", "j"."started_at" AS "j_started_at", "j"."ended_at" AS "j_ended_at" FROM "idm_job_instances" "j" WHERE "j"."id" IN (SELECT MAX("x"."id") FROM "idm_job_instances" "x" GROUP BY "x"."job");

-- idm logs --follow (3 parameters)
SELECT "l"."id" AS "l_id", "l"."job_instance_id" AS "l_job_instance_id", "l"."task_instance_id" AS "l_task_instance_id", "l"."logged_at" AS "l_logged_at", "l"."level" AS "l_level", "l"."message" AS "l_message" FROM "idm_task_logs" "l" WHERE "l"."job_instance_id" = @0 AND "l"."id" > @1 AND "l"."task_instance_id" = @2 ORDER BY "l"."id" ASC;

-- prune: ended instances before the retention (1 parameters)
SELECT "j"."id" AS "j_id" FROM "idm_job_instances" "j" WHERE "j"."started_at" < @0 AND "j"."state" <> 'InProgress';

-- prune: their logs (2 parameters)
DELETE FROM "idm_task_logs" WHERE "job_instance_id" IN (@0, @1);

-- prune: their tasks (2 parameters)
DELETE FROM "idm_task_instances" WHERE "job_instance_id" IN (@0, @1);

-- prune: the instances (2 parameters)
DELETE FROM "idm_job_instances" WHERE "id" IN (@0, @1);

-- scheduler: decisions (0 parameters)
SELECT "s"."job" AS "s_job", "s"."due_at" AS "s_due_at", "s"."decided_at" AS "s_decided_at", "s"."outcome" AS "s_outcome", "s"."job_instance_id" AS "s_job_instance_id" FROM "idm_schedules" "s";

-- scheduler: first decision for a job (5 parameters)
INSERT INTO "idm_schedules"("job", "due_at", "decided_at", "outcome", "job_instance_id") VALUES (@0, @1, @2, @3, @4);

-- scheduler: next decisions (5 parameters)
UPDATE "idm_schedules" SET "due_at" = @0, "decided_at" = @1, "outcome" = @2, "job_instance_id" = @3 WHERE "job" = @4;

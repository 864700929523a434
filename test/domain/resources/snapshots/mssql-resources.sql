-- Initial: resources in bulk (two rows of a batch) (18 parameters)
INSERT INTO "idm_resources" ("entity_type", "connector", "source_key", "hash", "valid_from", "dirty", "created_by_job_instance", "changed_by_job_instance", "properties") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8), (@9, @10, @11, @12, @13, @14, @15, @16, @17);

-- Complete diff: a page of keys and hashes, first page (1 parameters)
SELECT "r"."id" AS "r_id", "r"."source_key" AS "r_source_key", "r"."hash" AS "r_hash" FROM "idm_resources" "r" WHERE "r"."entity_type" = @0 ORDER BY "r_source_key" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- Complete diff: the next page, after the last key read (2 parameters)
SELECT "r"."id" AS "r_id", "r"."source_key" AS "r_source_key", "r"."hash" AS "r_hash" FROM "idm_resources" "r" WHERE "r"."entity_type" = @0 AND "r"."source_key" > @1 ORDER BY "r_source_key" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- a page of whole resources (2 parameters)
SELECT "r"."id" AS "r_id", "r"."entity_type" AS "r_entity_type", "r"."connector" AS "r_connector", "r"."source_key" AS "r_source_key", "r"."hash" AS "r_hash", "r"."valid_from" AS "r_valid_from", "r"."dirty" AS "r_dirty", "r"."created_by_job_instance" AS "r_created_by_job_instance", "r"."changed_by_job_instance" AS "r_changed_by_job_instance", "r"."history_id" AS "r_history_id", "r"."properties" AS "r_properties" FROM "idm_resources" "r" WHERE "r"."entity_type" = @0 AND "r"."source_key" > @1 ORDER BY "r"."source_key" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- resources by id (the before of changed ones) (2 parameters)
SELECT "r"."id" AS "r_id", "r"."entity_type" AS "r_entity_type", "r"."connector" AS "r_connector", "r"."source_key" AS "r_source_key", "r"."hash" AS "r_hash", "r"."valid_from" AS "r_valid_from", "r"."dirty" AS "r_dirty", "r"."created_by_job_instance" AS "r_created_by_job_instance", "r"."changed_by_job_instance" AS "r_changed_by_job_instance", "r"."history_id" AS "r_history_id", "r"."properties" AS "r_properties" FROM "idm_resources" "r" WHERE "r"."id" IN (@0, @1) ORDER BY "r"."id" ASC;

-- stored properties by id (a new version keeps the computed ones) (2 parameters)
SELECT "r"."id" AS "id", "r"."properties" AS "properties" FROM "idm_resources" "r" WHERE "r"."id" IN (@0, @1);

-- source keys by id (the ends of stored links) (2 parameters)
SELECT "r"."id" AS "r_id", "r"."source_key" AS "r_source_key" FROM "idm_resources" "r" WHERE "r"."id" IN (@0, @1) ORDER BY "r_id" ASC;

-- source keys to ids (links) (3 parameters)
SELECT "id" AS "id", "source_key" AS "sourceKey", "hash" AS "hash" FROM "idm_resources" WHERE "entity_type" = @0 AND "source_key" IN (@1, @2);

-- current resources per entity type (thresholds, Initial's empty check) (2 parameters)
SELECT "r"."entity_type" AS "entityType", COUNT(*) AS "count" FROM "idm_resources" "r" WHERE "r"."entity_type" IN (@0, @1) GROUP BY "r"."entity_type";

-- archive the current versions (4 parameters)
INSERT INTO "idm_resource_history" ("resource_id", "entity_type", "connector", "source_key", "hash", "valid_from", "changed_by_job_instance", "properties", "previous_id", "valid_to", "archived_by_job_instance") OUTPUT INSERTED."id", INSERTED."resource_id" SELECT "id", "entity_type", "connector", "source_key", "hash", "valid_from", "changed_by_job_instance", "properties", "history_id", @0, @1 FROM "idm_resources" WHERE "id" IN (@2, @3);

-- write new versions (17 parameters)
UPDATE "idm_resources" SET "properties" = CASE "id" WHEN @0 THEN @1 WHEN @2 THEN @3 END, "hash" = CASE "id" WHEN @4 THEN @5 WHEN @6 THEN @7 END, "history_id" = CAST(CASE "id" WHEN @8 THEN @9 WHEN @10 THEN @11 END AS int), "valid_from" = @12, "changed_by_job_instance" = @13, "dirty" = @14 WHERE "id" IN (@15, @16);

-- write new versions without history (IgnoreHistorization) (7 parameters)
UPDATE "idm_resources" SET "properties" = CASE "id" WHEN @0 THEN @1 END, "hash" = CASE "id" WHEN @2 THEN @3 END, "valid_from" = @4, "changed_by_job_instance" = @5 WHERE "id" IN (@6);

-- where the histories of resources being deleted end (4 parameters)
INSERT INTO "idm_deleted_resources" ("resource_id", "history_id") VALUES (@0, @1), (@2, @3);

-- the same, for resources deleted without history (2 parameters)
INSERT INTO "idm_deleted_resources" ("resource_id", "history_id") SELECT "id", "history_id" FROM "idm_resources" WHERE "id" IN (@0, @1) AND "history_id" IS NOT NULL;

-- delete resources (archived, links ended) (2 parameters)
DELETE FROM "idm_resources" WHERE "id" IN (@0, @1);

-- a resource's history: the chain of its versions' ids (2 parameters)
WITH "chain" ("id") AS (SELECT "history_id" FROM "idm_resources" WHERE "id" = @0 AND "history_id" IS NOT NULL UNION ALL SELECT "history_id" FROM "idm_deleted_resources" WHERE "resource_id" = @1 UNION ALL SELECT "previous_id" FROM "idm_resource_history" JOIN "chain" ON "idm_resource_history"."id" = "chain"."id" WHERE "previous_id" < "idm_resource_history"."id") SELECT "id" FROM "chain";

-- a resource's history: the versions (2 parameters)
SELECT "h"."id" AS "h_id", "h"."resource_id" AS "h_resource_id", "h"."entity_type" AS "h_entity_type", "h"."connector" AS "h_connector", "h"."source_key" AS "h_source_key", "h"."hash" AS "h_hash", "h"."valid_from" AS "h_valid_from", "h"."valid_to" AS "h_valid_to", "h"."changed_by_job_instance" AS "h_changed_by_job_instance", "h"."archived_by_job_instance" AS "h_archived_by_job_instance", "h"."previous_id" AS "h_previous_id", "h"."properties" AS "h_properties" FROM "idm_resource_history" "h" WHERE "h"."id" IN (@0, @1);

-- mark dirty (3 parameters)
UPDATE "idm_resources" SET "dirty" = @0 WHERE "id" IN (@1, @2);

-- clear an entity type's dirty marks (2 parameters)
UPDATE "idm_resources" SET "dirty" = @0 WHERE "entity_type" = @1 AND "dirty" = 1;

-- clear some dirty marks (3 parameters)
UPDATE "idm_resources" SET "dirty" = @0 WHERE "entity_type" = @1 AND "dirty" = 1 AND "id" IN (@2);

-- a page of dirty resources (2 parameters)
SELECT "r"."id" AS "r_id", "r"."entity_type" AS "r_entity_type", "r"."connector" AS "r_connector", "r"."source_key" AS "r_source_key", "r"."hash" AS "r_hash", "r"."valid_from" AS "r_valid_from", "r"."dirty" AS "r_dirty", "r"."created_by_job_instance" AS "r_created_by_job_instance", "r"."changed_by_job_instance" AS "r_changed_by_job_instance", "r"."history_id" AS "r_history_id", "r"."properties" AS "r_properties" FROM "idm_resources" "r" WHERE "r"."entity_type" = @0 AND "r"."dirty" = 1 AND "r"."id" > @1 ORDER BY "r"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- links in bulk (5 parameters)
INSERT INTO "idm_resource_links" ("association", "from_resource_id", "to_resource_id", "valid_from", "created_by_job_instance") VALUES (@0, @1, @2, @3, @4);

-- an association's links, first page (1 parameters)
SELECT "l"."id" AS "l_id", "l"."association" AS "l_association", "l"."from_resource_id" AS "l_from_resource_id", "l"."to_resource_id" AS "l_to_resource_id", "l"."valid_from" AS "l_valid_from", "l"."created_by_job_instance" AS "l_created_by_job_instance" FROM "idm_resource_links" "l" WHERE "l"."association" = @0 ORDER BY "l"."from_resource_id" ASC, "l"."to_resource_id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- an association's links, after (from, to) (3 parameters)
SELECT "l"."id" AS "l_id", "l"."association" AS "l_association", "l"."from_resource_id" AS "l_from_resource_id", "l"."to_resource_id" AS "l_to_resource_id", "l"."valid_from" AS "l_valid_from", "l"."created_by_job_instance" AS "l_created_by_job_instance" FROM "idm_resource_links" "l" WHERE "l"."association" = @0 AND ("l"."from_resource_id" > @1 OR ("l"."from_resource_id" = @1 AND "l"."to_resource_id" > @2)) ORDER BY "l"."from_resource_id" ASC, "l"."to_resource_id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- the links of resources about to be deleted (4 parameters)
SELECT "l"."id" AS "l_id", "l"."association" AS "l_association", "l"."from_resource_id" AS "l_from_resource_id", "l"."to_resource_id" AS "l_to_resource_id", "l"."valid_from" AS "l_valid_from", "l"."created_by_job_instance" AS "l_created_by_job_instance" FROM "idm_resource_links" "l" WHERE "l"."from_resource_id" IN (@0, @1) OR "l"."to_resource_id" IN (@2, @3) ORDER BY "l"."id" ASC;

-- archive links (3 parameters)
INSERT INTO "idm_resource_link_history" ("link_id", "association", "from_resource_id", "to_resource_id", "valid_from", "created_by_job_instance", "valid_to", "archived_by_job_instance") SELECT "id", "association", "from_resource_id", "to_resource_id", "valid_from", "created_by_job_instance", @0, @1 FROM "idm_resource_links" WHERE "id" IN (@2);

-- delete links (1 parameters)
DELETE FROM "idm_resource_links" WHERE "id" IN (@0);

-- a resource's ended links (1 parameters)
SELECT "h"."id" AS "h_id", "h"."link_id" AS "h_link_id", "h"."association" AS "h_association", "h"."from_resource_id" AS "h_from_resource_id", "h"."to_resource_id" AS "h_to_resource_id", "h"."valid_from" AS "h_valid_from", "h"."valid_to" AS "h_valid_to", "h"."created_by_job_instance" AS "h_created_by_job_instance", "h"."archived_by_job_instance" AS "h_archived_by_job_instance" FROM "idm_resource_link_history" "h" WHERE "h"."from_resource_id" = @0 ORDER BY "h"."valid_from" ASC, "h"."id" ASC;

-- resource changes in bulk (9 parameters)
INSERT INTO "idm_resource_changes" ("job_instance_id", "connector", "entity_type", "source_key", "resource_id", "operation", "state", "before", "after") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8);

-- link changes in bulk (12 parameters)
INSERT INTO "idm_resource_link_changes" ("job_instance_id", "connector", "association", "from_entity_type", "from_source_key", "to_entity_type", "to_source_key", "from_resource_id", "to_resource_id", "link_id", "operation", "state") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11);

-- idm sync changes: a page of a job instance's resource changes (4 parameters)
SELECT "c"."id" AS "c_id", "c"."job_instance_id" AS "c_job_instance_id", "c"."connector" AS "c_connector", "c"."entity_type" AS "c_entity_type", "c"."source_key" AS "c_source_key", "c"."resource_id" AS "c_resource_id", "c"."operation" AS "c_operation", "c"."state" AS "c_state", "c"."before" AS "c_before", "c"."after" AS "c_after" FROM "idm_resource_changes" "c" WHERE "c"."job_instance_id" = @0 AND "c"."id" > @1 AND "c"."connector" = @2 AND "c"."state" = @3 ORDER BY "c"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- a page of link changes (2 parameters)
SELECT "c"."id" AS "c_id", "c"."job_instance_id" AS "c_job_instance_id", "c"."connector" AS "c_connector", "c"."association" AS "c_association", "c"."from_entity_type" AS "c_from_entity_type", "c"."from_source_key" AS "c_from_source_key", "c"."to_entity_type" AS "c_to_entity_type", "c"."to_source_key" AS "c_to_source_key", "c"."from_resource_id" AS "c_from_resource_id", "c"."to_resource_id" AS "c_to_resource_id", "c"."link_id" AS "c_link_id", "c"."operation" AS "c_operation", "c"."state" AS "c_state" FROM "idm_resource_link_changes" "c" WHERE "c"."job_instance_id" = @0 AND "c"."id" > @1 ORDER BY "c"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- thresholds: resource changes per entity type and operation (3 parameters)
SELECT "c"."entity_type" AS "entityType", "c"."operation" AS "operation", COUNT(*) AS "count" FROM "idm_resource_changes" "c" WHERE "c"."job_instance_id" = @0 AND "c"."connector" = @1 AND "c"."state" = @2 GROUP BY "c"."entity_type", "c"."operation";

-- thresholds: link changes per association and operation (3 parameters)
SELECT "c"."association" AS "association", "c"."operation" AS "operation", COUNT(*) AS "count" FROM "idm_resource_link_changes" "c" WHERE "c"."job_instance_id" = @0 AND "c"."connector" = @1 AND "c"."state" = @2 GROUP BY "c"."association", "c"."operation";

-- a synchronization's changes blocked (4 parameters)
UPDATE "idm_resource_changes" SET "state" = @0 WHERE "job_instance_id" = @1 AND "connector" = @2 AND "state" = @3;

-- a batch of link changes applied (3 parameters)
UPDATE "idm_resource_link_changes" SET "state" = @0 WHERE "id" IN (@1, @2);

-- delete a synchronization's changes (2 parameters)
DELETE FROM "idm_resource_changes" WHERE "job_instance_id" = @0 AND "connector" = @1;

-- a synchronization starts (13 parameters)
INSERT INTO "idm_synchronization_history"("connector", "task_instance_id", "job_instance_id", "mode", "state", "started_at", "ended_at", "resources_inserted", "resources_updated", "resources_deleted", "links_inserted", "links_deleted", "error") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12);

-- a synchronization ends (4 parameters)
UPDATE "idm_synchronization_history" SET "state" = @0, "ended_at" = @1, "resources_inserted" = @2 WHERE "id" = @3;

-- a connector's synchronizations, newest first (1 parameters)
SELECT "s"."id" AS "s_id", "s"."connector" AS "s_connector", "s"."task_instance_id" AS "s_task_instance_id", "s"."job_instance_id" AS "s_job_instance_id", "s"."mode" AS "s_mode", "s"."state" AS "s_state", "s"."started_at" AS "s_started_at", "s"."ended_at" AS "s_ended_at", "s"."resources_inserted" AS "s_resources_inserted", "s"."resources_updated" AS "s_resources_updated", "s"."resources_deleted" AS "s_resources_deleted", "s"."links_inserted" AS "s_links_inserted", "s"."links_deleted" AS "s_links_deleted", "s"."error" AS "s_error" FROM "idm_synchronization_history" "s" WHERE "s"."connector" = @0 ORDER BY "s"."id" DESC OFFSET 0 ROWS FETCH NEXT 20 ROWS ONLY;

-- the synchronization of a task instance (1 parameters)
SELECT "s"."id" AS "s_id", "s"."connector" AS "s_connector", "s"."task_instance_id" AS "s_task_instance_id", "s"."job_instance_id" AS "s_job_instance_id", "s"."mode" AS "s_mode", "s"."state" AS "s_state", "s"."started_at" AS "s_started_at", "s"."ended_at" AS "s_ended_at", "s"."resources_inserted" AS "s_resources_inserted", "s"."resources_updated" AS "s_resources_updated", "s"."resources_deleted" AS "s_resources_deleted", "s"."links_inserted" AS "s_links_inserted", "s"."links_deleted" AS "s_links_deleted", "s"."error" AS "s_error" FROM "idm_synchronization_history" "s" WHERE "s"."task_instance_id" = @0;

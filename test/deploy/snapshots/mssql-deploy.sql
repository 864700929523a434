-- read every stored item in one query (0 parameters)
SELECT "i"."id" AS "i_id", "i"."kind" AS "i_kind", "i"."identifier" AS "i_identifier", "i"."attributes" AS "i_attributes", "i"."children" AS "i_children", "i"."hash" AS "i_hash", "i"."source_file" AS "i_source_file", "i"."source_line" AS "i_source_line", "i"."source_column" AS "i_source_column", "i"."contributions" AS "i_contributions", "i"."generated_by" AS "i_generated_by", "i"."created_by" AS "i_created_by", "i"."changed_by" AS "i_changed_by" FROM "idm_items" "i" ORDER BY "i"."id" ASC;

-- the newest deployment's state and source fingerprint (0 parameters)
SELECT "d"."id" AS "d_id", "d"."configuration_hash" AS "d_configuration_hash", "d"."source_fingerprint" AS "d_source_fingerprint" FROM "idm_deployments" "d" ORDER BY "d_id" DESC OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY;

-- no earlier deployment describes the items any more (1 parameters)
UPDATE "idm_deployments" SET "source_fingerprint" = @0 WHERE "source_fingerprint" IS NOT NULL;

-- open the ledger entry (15 parameters)
INSERT INTO "idm_deployments"("kind", "status", "started_at", "ended_at", "user_name", "host", "source_folder", "configuration_hash", "inserted", "updated", "deleted", "plan_json", "source_fingerprint", "error", "rollback_of") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12, @13, @14);

-- insert items (two rows of a batch) (24 parameters)
INSERT INTO "idm_items" ("kind", "identifier", "attributes", "children", "hash", "source_file", "source_line", "source_column", "generated_by", "contributions", "created_by", "changed_by") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11), (@12, @13, @14, @15, @16, @17, @18, @19, @20, @21, @22, @23);

-- update one item (5 parameters)
UPDATE "idm_items" SET "attributes" = @0, "children" = @1, "hash" = @2, "changed_by" = @3 WHERE "id" = @4;

-- move one item (source only) (4 parameters)
UPDATE "idm_items" SET "source_file" = @0, "source_line" = @1, "source_column" = @2 WHERE "id" = @3;

-- delete items (3 parameters)
DELETE FROM "idm_items" WHERE "id" IN (@0, @1, @2);

-- insert revisions (12 parameters)
INSERT INTO "idm_item_revisions" ("deployment_id", "kind", "identifier", "operation", "before", "after") VALUES (@0, @1, @2, @3, @4, @5), (@6, @7, @8, @9, @10, @11);

-- close the ledger entry (2 parameters)
UPDATE "idm_deployments" SET "ended_at" = @0 WHERE "id" = @1;

-- list deployments (0 parameters)
SELECT "d"."id" AS "d_id", "d"."kind" AS "d_kind", "d"."status" AS "d_status", "d"."started_at" AS "d_started_at", "d"."ended_at" AS "d_ended_at", "d"."user_name" AS "d_user_name", "d"."host" AS "d_host", "d"."source_folder" AS "d_source_folder", "d"."configuration_hash" AS "d_configuration_hash", "d"."inserted" AS "d_inserted", "d"."updated" AS "d_updated", "d"."deleted" AS "d_deleted", "d"."source_fingerprint" AS "d_source_fingerprint", "d"."error" AS "d_error", "d"."rollback_of" AS "d_rollback_of" FROM "idm_deployments" "d" ORDER BY "d_id" DESC;

-- revisions, oldest first (rollback) (0 parameters)
SELECT "r"."id" AS "r_id", "r"."deployment_id" AS "r_deployment_id", "r"."kind" AS "r_kind", "r"."identifier" AS "r_identifier", "r"."operation" AS "r_operation", "r"."before" AS "r_before", "r"."after" AS "r_after" FROM "idm_item_revisions" "r" ORDER BY "r"."id" ASC;

-- the generated roles (0 parameters)
SELECT "r"."id" AS "r_id", "r"."identifier" AS "r_identifier", "r"."role_mapping" AS "r_role_mapping", "r"."value_resource_id" AS "r_value_resource_id", "r"."entity_type" AS "r_entity_type", "r"."policy" AS "r_policy", "r"."category" AS "r_category", "r"."approval_workflow_type" AS "r_approval_workflow_type", "r"."implicit_approval" AS "r_implicit_approval", "r"."approval_required" AS "r_approval_required", "r"."hide_on_simplified_view" AS "r_hide_on_simplified_view", "r"."comment_on_approve" AS "r_comment_on_approve", "r"."comment_on_decline" AS "r_comment_on_decline", "r"."comment_on_delete_gap" AS "r_comment_on_delete_gap", "r"."comment_on_keep_gap" AS "r_comment_on_keep_gap", "r"."generated_by_job_instance" AS "r_generated_by_job_instance", "r"."display_name" AS "r_display_name" FROM "idm_generated_roles" "r" ORDER BY "r"."identifier" ASC;

-- their navigation rules (0 parameters)
SELECT "n"."id" AS "n_id", "n"."generated_role_id" AS "n_generated_role_id", "n"."resource_type" AS "n_resource_type", "n"."property" AS "n_property", "n"."value_resource_id" AS "n_value_resource_id", "n"."resource_key" AS "n_resource_key" FROM "idm_generated_navigation_rules" "n" ORDER BY "n"."generated_role_id" ASC;

-- roles in bulk (16 parameters)
INSERT INTO "idm_generated_roles" ("identifier", "role_mapping", "value_resource_id", "entity_type", "policy", "category", "approval_workflow_type", "implicit_approval", "approval_required", "hide_on_simplified_view", "comment_on_approve", "comment_on_decline", "comment_on_delete_gap", "comment_on_keep_gap", "display_name", "generated_by_job_instance") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12, @13, @14, @15);

-- the ids of the roles just inserted (2 parameters)
SELECT "r"."id" AS "r_id", "r"."identifier" AS "r_identifier" FROM "idm_generated_roles" "r" WHERE "r"."identifier" IN (@0, @1);

-- their rules in bulk (5 parameters)
INSERT INTO "idm_generated_navigation_rules" ("generated_role_id", "resource_type", "property", "value_resource_id", "resource_key") VALUES (@0, @1, @2, @3, @4);

-- a role rewritten (16 parameters)
UPDATE "idm_generated_roles" SET "role_mapping" = @0, "value_resource_id" = @1, "entity_type" = @2, "policy" = @3, "category" = @4, "approval_workflow_type" = @5, "implicit_approval" = @6, "approval_required" = @7, "hide_on_simplified_view" = @8, "comment_on_approve" = @9, "comment_on_decline" = @10, "comment_on_delete_gap" = @11, "comment_on_keep_gap" = @12, "display_name" = @13, "generated_by_job_instance" = @14 WHERE "id" = @15;

-- the rules of roles deleted or rewritten (2 parameters)
DELETE FROM "idm_generated_navigation_rules" WHERE "generated_role_id" IN (@0, @1);

-- roles deleted (2 parameters)
DELETE FROM "idm_generated_roles" WHERE "id" IN (@0, @1);

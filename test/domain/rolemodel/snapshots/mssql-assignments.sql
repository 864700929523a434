-- roles in bulk (two rows of a batch) (26 parameters)
INSERT INTO "idm_assigned_roles" ("owner_id", "role", "kind", "origin", "rule_kind", "rule_identifier", "rule_file", "rule_line", "workflow_state", "valid_from", "valid_to", "parameters", "updated_by_job_instance") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12), (@13, @14, @15, @16, @17, @18, @19, @20, @21, @22, @23, @24, @25);

-- resource types in bulk, with their reserved ids (19 parameters)
INSERT INTO "idm_assigned_resource_types" ("id", "owner_id", "resource_type", "target_id", "correlation_rule", "confidence", "provisioning_state", "change_type", "held_back", "origin", "rule_kind", "rule_identifier", "rule_file", "rule_line", "workflow_state", "valid_from", "valid_to", "parameters", "updated_by_job_instance") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12, @13, @14, @15, @16, @17, @18);

-- values in bulk (36 parameters)
INSERT INTO "idm_assigned_values" ("property", "kind", "provisioning_state", "change_type", "confidence", "questioned", "origin", "rule_kind", "rule_identifier", "rule_file", "rule_line", "workflow_state", "valid_from", "valid_to", "policy_value", "current_value", "assigned_resource_type_id", "updated_by_job_instance") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12, @13, @14, @15, @16, @17), (@18, @19, @20, @21, @22, @23, @24, @25, @26, @27, @28, @29, @30, @31, @32, @33, @34, @35);

-- an owner batch's roles (2 parameters)
SELECT "a"."id" AS "a_id", "a"."owner_id" AS "a_owner_id", "a"."role" AS "a_role", "a"."kind" AS "a_kind", "a"."origin" AS "a_origin", "a"."rule_kind" AS "a_rule_kind", "a"."rule_identifier" AS "a_rule_identifier", "a"."rule_file" AS "a_rule_file", "a"."rule_line" AS "a_rule_line", "a"."workflow_state" AS "a_workflow_state", "a"."valid_from" AS "a_valid_from", "a"."valid_to" AS "a_valid_to", "a"."updated_by_job_instance" AS "a_updated_by_job_instance", "a"."parameters" AS "a_parameters" FROM "idm_assigned_roles" "a" WHERE "a"."owner_id" IN (@0, @1) ORDER BY "a"."id" ASC;

-- rows by id (the versions about to be historized) (2 parameters)
SELECT "a"."id" AS "a_id", "a"."owner_id" AS "a_owner_id", "a"."origin" AS "a_origin", "a"."rule_kind" AS "a_rule_kind", "a"."rule_identifier" AS "a_rule_identifier", "a"."rule_file" AS "a_rule_file", "a"."rule_line" AS "a_rule_line", "a"."workflow_state" AS "a_workflow_state", "a"."valid_from" AS "a_valid_from", "a"."valid_to" AS "a_valid_to", "a"."updated_by_job_instance" AS "a_updated_by_job_instance", "a"."dimensions" AS "a_dimensions" FROM "idm_assigned_contexts" "a" WHERE "a"."id" IN (@0, @1) ORDER BY "a"."id" ASC;

-- the values of resource type assignments (2 parameters)
SELECT "v"."id" AS "v_id", "v"."assigned_resource_type_id" AS "v_assigned_resource_type_id", "v"."property" AS "v_property", "v"."kind" AS "v_kind", "v"."provisioning_state" AS "v_provisioning_state", "v"."change_type" AS "v_change_type", "v"."confidence" AS "v_confidence", "v"."questioned" AS "v_questioned", "v"."origin" AS "v_origin", "v"."rule_kind" AS "v_rule_kind", "v"."rule_identifier" AS "v_rule_identifier", "v"."rule_file" AS "v_rule_file", "v"."rule_line" AS "v_rule_line", "v"."workflow_state" AS "v_workflow_state", "v"."valid_from" AS "v_valid_from", "v"."valid_to" AS "v_valid_to", "v"."updated_by_job_instance" AS "v_updated_by_job_instance", "v"."policy_value" AS "v_policy_value", "v"."current_value" AS "v_current_value" FROM "idm_assigned_values" "v" WHERE "v"."assigned_resource_type_id" IN (@0, @1) ORDER BY "v"."id" ASC;

-- assignments by target (classification: owned or found) (2 parameters)
SELECT "a"."id" AS "a_id", "a"."owner_id" AS "a_owner_id", "a"."resource_type" AS "a_resource_type", "a"."target_id" AS "a_target_id", "a"."correlation_rule" AS "a_correlation_rule", "a"."confidence" AS "a_confidence", "a"."provisioning_state" AS "a_provisioning_state", "a"."change_type" AS "a_change_type", "a"."held_back" AS "a_held_back", "a"."origin" AS "a_origin", "a"."rule_kind" AS "a_rule_kind", "a"."rule_identifier" AS "a_rule_identifier", "a"."rule_file" AS "a_rule_file", "a"."rule_line" AS "a_rule_line", "a"."workflow_state" AS "a_workflow_state", "a"."valid_from" AS "a_valid_from", "a"."valid_to" AS "a_valid_to", "a"."updated_by_job_instance" AS "a_updated_by_job_instance", "a"."parameters" AS "a_parameters" FROM "idm_assigned_resource_types" "a" WHERE "a"."target_id" IN (@0, @1) ORDER BY "a"."id" ASC;

-- a page of a resource type's pending assignments (3 parameters)
SELECT "a"."id" AS "a_id", "a"."owner_id" AS "a_owner_id", "a"."resource_type" AS "a_resource_type", "a"."target_id" AS "a_target_id", "a"."correlation_rule" AS "a_correlation_rule", "a"."confidence" AS "a_confidence", "a"."provisioning_state" AS "a_provisioning_state", "a"."change_type" AS "a_change_type", "a"."held_back" AS "a_held_back", "a"."origin" AS "a_origin", "a"."rule_kind" AS "a_rule_kind", "a"."rule_identifier" AS "a_rule_identifier", "a"."rule_file" AS "a_rule_file", "a"."rule_line" AS "a_rule_line", "a"."workflow_state" AS "a_workflow_state", "a"."valid_from" AS "a_valid_from", "a"."valid_to" AS "a_valid_to", "a"."updated_by_job_instance" AS "a_updated_by_job_instance", "a"."parameters" AS "a_parameters" FROM "idm_assigned_resource_types" "a" WHERE "a"."resource_type" = @0 AND "a"."provisioning_state" = @1 AND "a"."id" > @2 ORDER BY "a"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- pending assignments per resource type (thresholds) (3 parameters)
SELECT "a"."resource_type" AS "resourceType", COUNT(*) AS "count" FROM "idm_assigned_resource_types" "a" WHERE "a"."resource_type" IN (@0, @1) AND "a"."provisioning_state" = @2 GROUP BY "a"."resource_type";

-- the orders pending assignments would make, per change type (provisioning thresholds) (2 parameters)
SELECT "a"."change_type" AS "changeType", CASE WHEN "a"."target_id" IS NULL THEN 1 ELSE 0 END AS "creation", COUNT(*) AS "count" FROM "idm_assigned_resource_types" "a" WHERE "a"."resource_type" = @0 AND "a"."provisioning_state" = @1 AND "a"."held_back" IS NULL GROUP BY "a"."change_type", CASE WHEN "a"."target_id" IS NULL THEN 1 ELSE 0 END;

-- a page of owner-less found assignments (3 parameters)
SELECT "a"."id" AS "a_id", "a"."target_id" AS "a_target_id" FROM "idm_assigned_resource_types" "a" WHERE "a"."owner_id" IS NULL AND "a"."origin" = @0 AND "a"."resource_type" IN (@1) AND "a"."id" > @2 ORDER BY "a_id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- rows moved to the same values (5 parameters)
UPDATE "idm_assigned_roles" SET "valid_to" = @0, "workflow_state" = @1, "updated_by_job_instance" = @2 WHERE "id" IN (@3, @4);

-- resource type assignments transmitted (4 parameters)
UPDATE "idm_assigned_resource_types" SET "provisioning_state" = @0 WHERE "id" IN (@1, @2) AND "provisioning_state" = @3;

-- their values transmitted (4 parameters)
UPDATE "idm_assigned_values" SET "provisioning_state" = @0 WHERE "assigned_resource_type_id" IN (@1, @2) AND "provisioning_state" = @3;

-- delete rows (2 parameters)
DELETE FROM "idm_assigned_values" WHERE "id" IN (@0, @1);

-- history in bulk (7 parameters)
INSERT INTO "idm_assignment_history" ("family", "row_id", "owner_id", "operation", "archived_at", "archived_by_job_instance", "previous") VALUES (@0, @1, @2, @3, @4, @5, @6);

-- a row's history (2 parameters)
SELECT "h"."id" AS "h_id", "h"."family" AS "h_family", "h"."row_id" AS "h_row_id", "h"."owner_id" AS "h_owner_id", "h"."operation" AS "h_operation", "h"."archived_at" AS "h_archived_at", "h"."archived_by_job_instance" AS "h_archived_by_job_instance", "h"."previous" AS "h_previous" FROM "idm_assignment_history" "h" WHERE "h"."family" = @0 AND "h"."row_id" = @1 ORDER BY "h"."id" ASC;

-- an owner's history (1 parameters)
SELECT "h"."id" AS "h_id", "h"."family" AS "h_family", "h"."row_id" AS "h_row_id", "h"."owner_id" AS "h_owner_id", "h"."operation" AS "h_operation", "h"."archived_at" AS "h_archived_at", "h"."archived_by_job_instance" AS "h_archived_by_job_instance", "h"."previous" AS "h_previous" FROM "idm_assignment_history" "h" WHERE "h"."owner_id" = @0 ORDER BY "h"."id" ASC;

-- risk scores replaced: delete (2 parameters)
DELETE FROM "idm_risk_scores" WHERE "owner_id" IN (@0, @1);

-- risk scores replaced: insert (4 parameters)
INSERT INTO "idm_risk_scores" ("owner_id", "score", "computed_at", "updated_by_job_instance") VALUES (@0, @1, @2, @3);

-- risk scores of owners (2 parameters)
SELECT "s"."id" AS "s_id", "s"."owner_id" AS "s_owner_id", "s"."score" AS "s_score", "s"."computed_at" AS "s_computed_at", "s"."updated_by_job_instance" AS "s_updated_by_job_instance" FROM "idm_risk_scores" "s" WHERE "s"."owner_id" IN (@0, @1) ORDER BY "s"."owner_id" ASC;

-- reserve ids: advance the sequence (its row stays locked until commit) (2 parameters)
UPDATE "idm_id_sequences" SET "next_id" = "next_id" + @0 WHERE "name" = @1;

-- reserve ids: read where it stands (1 parameters)
SELECT "s"."name" AS "s_name", "s"."next_id" AS "s_next_id" FROM "idm_id_sequences" "s" WHERE "s"."name" = @0;

-- correlation keys in bulk (6 parameters)
INSERT INTO "idm_correlation_keys" ("resource_id", "entity_type", "resource_type", "rule_identifier", "side", "key_value") VALUES (@0, @1, @2, @3, @4, @5);

-- the keys of resources replaced: delete (2 parameters)
DELETE FROM "idm_correlation_keys" WHERE "resource_id" IN (@0, @1);

-- the keys of resources (2 parameters)
SELECT "k"."id" AS "k_id", "k"."resource_id" AS "k_resource_id", "k"."entity_type" AS "k_entity_type", "k"."resource_type" AS "k_resource_type", "k"."rule_identifier" AS "k_rule_identifier", "k"."side" AS "k_side", "k"."key_value" AS "k_key_value" FROM "idm_correlation_keys" "k" WHERE "k"."resource_id" IN (@0, @1) ORDER BY "k"."resource_id" ASC, "k"."id" ASC;

-- the rules that have keys (0 parameters)
SELECT DISTINCT "k"."resource_type" AS "resourceType", "k"."rule_identifier" AS "ruleIdentifier" FROM "idm_correlation_keys" "k";

-- the keys of a rule no longer deployed (2 parameters)
DELETE FROM "idm_correlation_keys" WHERE "resource_type" = @0 AND "rule_identifier" = @1;

-- correlation: owner keys joined with target keys (5 parameters)
SELECT "o"."resource_id" AS "ownerId", "o"."rule_identifier" AS "ruleIdentifier", "t"."resource_id" AS "targetId" FROM "idm_correlation_keys" "o" INNER JOIN "idm_correlation_keys" "t" ON "t"."resource_type" = "o"."resource_type" AND "t"."side" = @0 AND "t"."key_value" = "o"."key_value" AND "t"."rule_identifier" = "o"."rule_identifier" WHERE "o"."resource_type" = @1 AND "o"."side" = @2 AND "o"."resource_id" IN (@3, @4) ORDER BY "o"."resource_id" ASC, "t"."resource_id" ASC, "o"."rule_identifier" ASC;

-- orders in bulk (15 parameters)
INSERT INTO "idm_provisioning_orders" ("assigned_resource_type_id", "resource_type", "connector", "change_type", "owner_id", "target_id", "state", "order_file", "created_at", "job_instance_id", "decision", "decided_by", "decided_at", "decision_comment", "changes") VALUES (@0, @1, @2, @3, @4, @5, @6, @7, @8, @9, @10, @11, @12, @13, @14);

-- a page of orders, filtered (3 parameters)
SELECT "o"."id" AS "o_id", "o"."assigned_resource_type_id" AS "o_assigned_resource_type_id", "o"."resource_type" AS "o_resource_type", "o"."connector" AS "o_connector", "o"."change_type" AS "o_change_type", "o"."owner_id" AS "o_owner_id", "o"."target_id" AS "o_target_id", "o"."state" AS "o_state", "o"."order_file" AS "o_order_file", "o"."created_at" AS "o_created_at", "o"."job_instance_id" AS "o_job_instance_id", "o"."decision" AS "o_decision", "o"."decided_by" AS "o_decided_by", "o"."decided_at" AS "o_decided_at", "o"."decision_comment" AS "o_decision_comment", "o"."changes" AS "o_changes", "o"."fulfil_state" AS "o_fulfil_state", "o"."fulfil_message" AS "o_fulfil_message", "o"."fulfilled_at" AS "o_fulfilled_at", "o"."fulfilled_by_job_instance" AS "o_fulfilled_by_job_instance" FROM "idm_provisioning_orders" "o" WHERE "o"."id" > @0 AND "o"."resource_type" = @1 AND "o"."state" = @2 ORDER BY "o"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- the times of the orders of assignments (2 parameters)
SELECT "o"."id" AS "o_id", "o"."assigned_resource_type_id" AS "o_assigned_resource_type_id", "o"."created_at" AS "o_created_at", "o"."fulfilled_at" AS "o_fulfilled_at" FROM "idm_provisioning_orders" "o" WHERE "o"."assigned_resource_type_id" IN (@0, @1) ORDER BY "o_id" ASC;

-- orders written to a file (4 parameters)
UPDATE "idm_provisioning_orders" SET "order_file" = @0, "state" = @1 WHERE "id" IN (@2, @3);

-- the review of blocked orders (5 parameters)
UPDATE "idm_provisioning_orders" SET "decision" = @0, "decided_by" = @1, "decided_at" = @2, "decision_comment" = @3 WHERE "id" IN (@4);

-- approved orders to release (4 parameters)
SELECT "o"."id" AS "o_id", "o"."assigned_resource_type_id" AS "o_assigned_resource_type_id", "o"."resource_type" AS "o_resource_type", "o"."connector" AS "o_connector", "o"."change_type" AS "o_change_type", "o"."owner_id" AS "o_owner_id", "o"."target_id" AS "o_target_id", "o"."state" AS "o_state", "o"."order_file" AS "o_order_file", "o"."created_at" AS "o_created_at", "o"."job_instance_id" AS "o_job_instance_id", "o"."decision" AS "o_decision", "o"."decided_by" AS "o_decided_by", "o"."decided_at" AS "o_decided_at", "o"."decision_comment" AS "o_decision_comment", "o"."changes" AS "o_changes", "o"."fulfil_state" AS "o_fulfil_state", "o"."fulfil_message" AS "o_fulfil_message", "o"."fulfilled_at" AS "o_fulfilled_at", "o"."fulfilled_by_job_instance" AS "o_fulfilled_by_job_instance" FROM "idm_provisioning_orders" "o" WHERE "o"."id" > @0 AND "o"."resource_type" = @1 AND "o"."state" = @2 AND "o"."decision" = @3 ORDER BY "o"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- orders by id, and a review's orders of assignments (5 parameters)
SELECT "o"."id" AS "o_id", "o"."assigned_resource_type_id" AS "o_assigned_resource_type_id", "o"."resource_type" AS "o_resource_type", "o"."connector" AS "o_connector", "o"."change_type" AS "o_change_type", "o"."owner_id" AS "o_owner_id", "o"."target_id" AS "o_target_id", "o"."state" AS "o_state", "o"."order_file" AS "o_order_file", "o"."created_at" AS "o_created_at", "o"."job_instance_id" AS "o_job_instance_id", "o"."decision" AS "o_decision", "o"."decided_by" AS "o_decided_by", "o"."decided_at" AS "o_decided_at", "o"."decision_comment" AS "o_decision_comment", "o"."changes" AS "o_changes", "o"."fulfil_state" AS "o_fulfil_state", "o"."fulfil_message" AS "o_fulfil_message", "o"."fulfilled_at" AS "o_fulfilled_at", "o"."fulfilled_by_job_instance" AS "o_fulfilled_by_job_instance" FROM "idm_provisioning_orders" "o" WHERE "o"."id" > @0 AND "o"."job_instance_id" = @1 AND "o"."decision" IS NULL AND "o"."id" IN (@2, @3) AND "o"."assigned_resource_type_id" IN (@4) ORDER BY "o"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- orders a review declined (3 parameters)
UPDATE "idm_provisioning_orders" SET "state" = @0 WHERE "id" IN (@1, @2);

-- a page of the orders to fulfil (5 parameters)
SELECT "o"."id" AS "o_id", "o"."assigned_resource_type_id" AS "o_assigned_resource_type_id", "o"."resource_type" AS "o_resource_type", "o"."connector" AS "o_connector", "o"."change_type" AS "o_change_type", "o"."owner_id" AS "o_owner_id", "o"."order_file" AS "o_order_file", "o"."fulfil_state" AS "o_fulfil_state", "o"."fulfil_message" AS "o_fulfil_message" FROM "idm_provisioning_orders" "o" WHERE "o"."id" > @0 AND "o"."state" = @1 AND "o"."resource_type" IN (@2, @3) AND ("o"."fulfil_state" IS NULL OR "o"."fulfil_state" = @4) ORDER BY "o_id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- the orders of a file (its results) (3 parameters)
SELECT "o"."id" AS "o_id", "o"."assigned_resource_type_id" AS "o_assigned_resource_type_id", "o"."resource_type" AS "o_resource_type", "o"."connector" AS "o_connector", "o"."change_type" AS "o_change_type", "o"."owner_id" AS "o_owner_id", "o"."order_file" AS "o_order_file", "o"."fulfil_state" AS "o_fulfil_state", "o"."fulfil_message" AS "o_fulfil_message" FROM "idm_provisioning_orders" "o" WHERE "o"."resource_type" IN (@0) AND "o"."state" = @1 AND "o"."order_file" = @2 ORDER BY "o_id" ASC;

-- orders handed to a package (4 parameters)
UPDATE "idm_provisioning_orders" SET "fulfil_state" = @0, "fulfil_message" = @1 WHERE "id" IN (@2, @3);

-- orders it did not reach (3 parameters)
UPDATE "idm_provisioning_orders" SET "fulfil_state" = @0, "fulfil_message" = @1 WHERE "id" IN (@2);

-- an outcome (7 parameters)
UPDATE "idm_provisioning_orders" SET "fulfil_state" = CASE "id" WHEN @0 THEN @1 END, "fulfil_message" = CASE "id" WHEN @2 THEN @3 END, "fulfilled_at" = @4, "fulfilled_by_job_instance" = @5 WHERE "id" IN (@6);

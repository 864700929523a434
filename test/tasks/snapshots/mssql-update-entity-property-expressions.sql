-- the links of a batch through one navigation (from side) (4 parameters)
SELECT "l"."from_resource_id" AS "l_from_resource_id", "l"."to_resource_id" AS "l_to_resource_id" FROM "idm_resource_links" "l" WHERE "l"."association" = @0 AND "l"."from_resource_id" IN (@1, @2, @3);

-- the links of a batch through one navigation (to side) (3 parameters)
SELECT "l"."from_resource_id" AS "l_from_resource_id", "l"."to_resource_id" AS "l_to_resource_id" FROM "idm_resource_links" "l" WHERE "l"."association" = @0 AND "l"."to_resource_id" IN (@1, @2);

-- a page of resources to recompute, by keyset (2 parameters)
SELECT "r"."id" AS "r_id", "r"."source_key" AS "r_source_key", "r"."properties" AS "r_properties" FROM "idm_resources" "r" WHERE "r"."entity_type" = @0 AND "r"."source_key" > @1 ORDER BY "r_source_key" ASC OFFSET 0 ROWS FETCH NEXT 10000 ROWS ONLY;

-- a Dirty batch (2 parameters)
SELECT "r"."id" AS "r_id", "r"."source_key" AS "r_source_key", "r"."properties" AS "r_properties" FROM "idm_resources" "r" WHERE "r"."id" IN (@0, @1) ORDER BY "r_id" ASC;

-- a page of dirty ids (2 parameters)
SELECT "r"."id" AS "r_id" FROM "idm_resources" "r" WHERE "r"."entity_type" = @0 AND "r"."dirty" = 1 AND "r"."id" > @1 ORDER BY "r_id" ASC OFFSET 0 ROWS FETCH NEXT 10000 ROWS ONLY;

-- new versions with computed values (hash unchanged) (8 parameters)
UPDATE "idm_resources" SET "properties" = CASE "id" WHEN @0 THEN @1 WHEN @2 THEN @3 END, "valid_from" = @4, "changed_by_job_instance" = @5 WHERE "id" IN (@6, @7);

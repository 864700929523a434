-- a page of the resource type assignments to requalify (7 parameters)
SELECT "a"."id" AS "id" FROM "idm_assigned_resource_types" "a" WHERE "a"."owner_id" IS NOT NULL AND "a"."id" > @0 AND ("a"."origin" = @1 OR ("a"."origin" IN (@2, @3) AND "a"."change_type" = @4 AND "a"."provisioning_state" IN (@5, @6))) ORDER BY "a"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- a page of the navigation values to requalify (8 parameters)
SELECT "v"."id" AS "id" FROM "idm_assigned_values" "v" INNER JOIN "idm_assigned_resource_types" "a" ON "a"."id" = "v"."assigned_resource_type_id" WHERE "v"."kind" = @0 AND "a"."owner_id" IS NOT NULL AND "v"."id" > @1 AND ("v"."origin" = @2 OR ("v"."origin" IN (@3, @4) AND "v"."change_type" = @5 AND "v"."provisioning_state" IN (@6, @7))) ORDER BY "v"."id" ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

-- of a configured query's ids, the resource type assignments to requalify (3 parameters)
SELECT "a"."id" AS "id" FROM "idm_assigned_resource_types" "a" WHERE "a"."id" IN (@0, @1) AND "a"."origin" <> @2 ORDER BY "a"."id" ASC;

-- of a configured query's ids, the scalar values to requalify (4 parameters)
SELECT "v"."id" AS "id" FROM "idm_assigned_values" "v" WHERE "v"."kind" = @0 AND "v"."id" IN (@1, @2) AND "v"."origin" <> @3 ORDER BY "v"."id" ASC;

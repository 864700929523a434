-- the id that ends the next range of applied resource changes (2 parameters)
SELECT "c"."id" AS "id" FROM "idm_resource_changes" "c" WHERE "c"."state" = @0 AND "c"."id" > @1 ORDER BY "c"."id" ASC OFFSET 49999 ROWS FETCH NEXT 1 ROWS ONLY;

-- claim a range of applied resource changes (4 parameters)
UPDATE "idm_resource_changes" SET "state" = @0 WHERE "state" = @1 AND "id" > @2 AND "id" <= @3;

-- flag the resources a range of claimed resource changes names (5 parameters)
UPDATE "idm_resources" SET "dirty" = @0 WHERE "dirty" = @1 AND "id" IN (SELECT r."id" FROM "idm_resource_changes" c INNER JOIN "idm_resources" r ON r."entity_type" = c."entity_type" AND r."source_key" = c."source_key" WHERE c."state" = @2 AND c."id" > @3 AND c."id" <= @4);

-- delete the claimed resource changes of the range (3 parameters)
DELETE FROM "idm_resource_changes" WHERE "state" = @0 AND "id" > @1 AND "id" <= @2;

-- the id that ends the next range of applied link changes (2 parameters)
SELECT "c"."id" AS "id" FROM "idm_resource_link_changes" "c" WHERE "c"."state" = @0 AND "c"."id" > @1 ORDER BY "c"."id" ASC OFFSET 49999 ROWS FETCH NEXT 1 ROWS ONLY;

-- claim the last range of applied link changes (no upper bound) (3 parameters)
UPDATE "idm_resource_link_changes" SET "state" = @0 WHERE "state" = @1 AND "id" > @2;

-- flag both ends of a range of claimed link changes (6 parameters)
UPDATE "idm_resources" SET "dirty" = @0 WHERE "dirty" = @1 AND "id" IN (SELECT r."id" FROM "idm_resource_link_changes" c INNER JOIN "idm_resources" r ON r."entity_type" = c."from_entity_type" AND r."source_key" = c."from_source_key" WHERE c."state" = @2 AND c."id" > @3 UNION ALL SELECT r."id" FROM "idm_resource_link_changes" c INNER JOIN "idm_resources" r ON r."entity_type" = c."to_entity_type" AND r."source_key" = c."to_source_key" WHERE c."state" = @4 AND c."id" > @5);

-- delete the claimed link changes of the range (2 parameters)
DELETE FROM "idm_resource_link_changes" WHERE "state" = @0 AND "id" > @1;

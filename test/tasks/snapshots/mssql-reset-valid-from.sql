-- the id that ends the next range of archived versions (1 parameters)
SELECT "h"."id" AS "id" FROM "idm_resource_history" "h" WHERE "h"."id" > @0 ORDER BY "h"."id" ASC OFFSET 19999 ROWS FETCH NEXT 1 ROWS ONLY;

-- reset the first archived versions of a range (4 parameters)
UPDATE "idm_resource_history" SET "valid_from" = @0 WHERE "id" > @1 AND "id" <= @2 AND "valid_from" <> @3 AND "previous_id" IS NULL;

-- the id that ends the next range of current resources (1 parameters)
SELECT "r"."id" AS "id" FROM "idm_resources" "r" WHERE "r"."id" > @0 ORDER BY "r"."id" ASC OFFSET 19999 ROWS FETCH NEXT 1 ROWS ONLY;

-- reset the resources without archived versions of the last range (no upper bound) (3 parameters)
UPDATE "idm_resources" SET "valid_from" = @0 WHERE "id" > @1 AND "valid_from" <> @2 AND "history_id" IS NULL;

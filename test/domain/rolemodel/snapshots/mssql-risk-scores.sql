-- a page of the owners of an entity type holding risks (2 parameters)
SELECT "r"."owner_id" AS "ownerId" FROM "idm_identified_risks" "r" INNER JOIN "idm_resources" "o" ON "o"."id" = "r"."owner_id" WHERE "o"."entity_type" = @0 AND "r"."owner_id" > @1 GROUP BY "r"."owner_id" ORDER BY "r"."owner_id" ASC OFFSET 0 ROWS FETCH NEXT 5000 ROWS ONLY;

-- a page of the owners with a score and no risk left (2 parameters)
SELECT "s"."owner_id" AS "ownerId" FROM "idm_risk_scores" "s" INNER JOIN "idm_resources" "o" ON "o"."id" = "s"."owner_id" WHERE "o"."entity_type" = @0 AND "s"."owner_id" > @1 AND NOT EXISTS (SELECT 1 FROM "idm_identified_risks" "r" WHERE "r"."owner_id" = "s"."owner_id") ORDER BY "s"."owner_id" ASC OFFSET 0 ROWS FETCH NEXT 5000 ROWS ONLY;

-- Dirty: owners whose risks a job instance wrote (2 parameters)
SELECT "r"."owner_id" AS "ownerId" FROM "idm_identified_risks" "r" INNER JOIN "idm_resources" "o" ON "o"."id" = "r"."owner_id" WHERE "o"."entity_type" = @0 AND "r"."updated_by_job_instance" = @1 GROUP BY "r"."owner_id";

-- Dirty: owners whose risks a job instance archived (3 parameters)
SELECT "h"."owner_id" AS "ownerId" FROM "idm_assignment_history" "h" INNER JOIN "idm_resources" "o" ON "o"."id" = "h"."owner_id" WHERE "h"."family" = @0 AND "o"."entity_type" = @1 AND "h"."archived_by_job_instance" = @2 GROUP BY "h"."owner_id";

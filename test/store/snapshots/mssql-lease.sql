-- Generated offline through TypeORM's mssql driver by test/store/mssql-snapshot.test.ts; one statement per line.
-- Identifiers are in double quotes: QUOTED_IDENTIFIER ON (the default of tedious, ODBC and SSMS; sqlcmd needs -I).

-- acquire: free an expired lease, then insert ours (a primary key violation means it is held)
DELETE FROM "idm_leases" WHERE ("name" = @0 AND "expires_at" < @1);  -- @0 = 'deploy', @1 = 2026-01-02T03:04:05.678Z
INSERT INTO "idm_leases"("name", "owner", "host", "pid", "acquired_at", "heartbeat_at", "expires_at") VALUES (@0, @1, @2, @3, @4, @5, @6);  -- @0 = 'deploy' (nvarchar), @1 = '6f1c0d2e-8b7a-4c59-9e21-3f4a5b6c7d8e' (varchar), @2 = 'build-01' (nvarchar), @3 = 4242 (int), @4 = 2026-01-02T03:04:05.678Z (datetime2), @5 = 2026-01-02T03:04:05.678Z (datetime2), @6 = 2026-01-02T03:04:20.678Z (datetime2)
-- heartbeat: extend, only while the lease is still ours
UPDATE "idm_leases" SET "heartbeat_at" = @0, "expires_at" = @1 WHERE ("name" = @2 AND "owner" = @3);  -- @0 = 2026-01-02T03:04:05.678Z (datetime2), @1 = 2026-01-02T03:04:20.678Z (datetime2), @2 = 'deploy', @3 = '6f1c0d2e-8b7a-4c59-9e21-3f4a5b6c7d8e'
-- release: only our own row
DELETE FROM "idm_leases" WHERE ("name" = @0 AND "owner" = @1);  -- @0 = 'deploy', @1 = '6f1c0d2e-8b7a-4c59-9e21-3f4a5b6c7d8e'
-- read the holder
SELECT "l"."name" AS "l_name", "l"."owner" AS "l_owner", "l"."host" AS "l_host", "l"."pid" AS "l_pid", "l"."acquired_at" AS "l_acquired_at", "l"."heartbeat_at" AS "l_heartbeat_at", "l"."expires_at" AS "l_expires_at" FROM "idm_leases" "l" WHERE "l"."name" = @0;  -- @0 = 'deploy'

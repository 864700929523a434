-- fixture: indexes (dm_db_index_physical_stats)
--   dbo.idm_items.PK_idm_items: 2000 pages, fragmentation 50%
--   dbo.idm_task_logs.IX_idm_task_logs_job_instance_id: 1500 pages, fragmentation 10%
--   dbo.idm_task_logs.PK_idm_task_logs: 5000 pages, fragmentation 2%
--   dbo.idm_leases.PK_idm_leases: 12 pages, fragmentation 80%
--   odd]schema.odd"table.IX_odd]name: 1000 pages, fragmentation 30%
-- fixture: statistics (dm_db_stats_properties)
--   dbo.idm_task_logs.PK_idm_task_logs: 15000 of 100000 rows modified
--   dbo.idm_task_logs._WA_Sys_00000004_1234: 12000 of 100000 rows modified
--   dbo.idm_items.PK_idm_items: 500 of 100000 rows modified
--   dbo.idm_leases.PK_idm_leases: 3 of 0 rows modified

-- the edition (online index operations: 3, 5, 8) (0 parameters)
SELECT CAST(SERVERPROPERTY('EngineEdition') AS int) AS engine_edition;

-- fragmentation of every rowstore index (0 parameters)
SELECT s.name AS schema_name, t.name AS table_name, i.name AS index_name,
  SUM(ps.page_count) AS page_count,
  CASE WHEN SUM(ps.page_count) = 0 THEN 0
    ELSE SUM(ps.avg_fragmentation_in_percent * ps.page_count) / SUM(ps.page_count) END AS fragmentation
FROM sys.dm_db_index_physical_stats(DB_ID(), NULL, NULL, NULL, 'LIMITED') AS ps
JOIN sys.indexes AS i ON i.object_id = ps.object_id AND i.index_id = ps.index_id
JOIN sys.tables AS t ON t.object_id = i.object_id
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
WHERE ps.alloc_unit_type_desc = 'IN_ROW_DATA' AND i.type IN (1, 2) AND i.is_disabled = 0 AND i.is_hypothetical = 0
  AND t.is_ms_shipped = 0 AND t.is_memory_optimized = 0
GROUP BY s.name, t.name, i.name
ORDER BY s.name, t.name, i.name;

-- statistics modified since computed (0 parameters)
SELECT s.name AS schema_name, t.name AS table_name, st.name AS statistics_name,
  sp.rows AS row_count, sp.modification_counter AS modification_counter
FROM sys.stats AS st
JOIN sys.tables AS t ON t.object_id = st.object_id
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
CROSS APPLY sys.dm_db_stats_properties(st.object_id, st.stats_id) AS sp
WHERE t.is_ms_shipped = 0 AND sp.modification_counter > 0
ORDER BY s.name, t.name, st.name;

-- indexes, defaults (rebuild ≥ 30 %, reorganise ≥ 5 %, ≥ 1000 pages): rebuild (fragmentation 50%, 2000 pages)
ALTER INDEX "PK_idm_items" ON "dbo"."idm_items" REBUILD WITH (ONLINE = ON);

-- indexes, defaults (rebuild ≥ 30 %, reorganise ≥ 5 %, ≥ 1000 pages): reorganize (fragmentation 10%, 1500 pages)
ALTER INDEX "IX_idm_task_logs_job_instance_id" ON "dbo"."idm_task_logs" REORGANIZE;

-- indexes, defaults (rebuild ≥ 30 %, reorganise ≥ 5 %, ≥ 1000 pages): rebuild (fragmentation 30%, 1000 pages)
ALTER INDEX "IX_odd]name" ON "odd]schema"."odd""table" REBUILD WITH (ONLINE = ON);

-- indexes, Offline: rebuild (fragmentation 50%, 2000 pages)
ALTER INDEX "PK_idm_items" ON "dbo"."idm_items" REBUILD;

-- indexes, Offline: reorganize (fragmentation 10%, 1500 pages)
ALTER INDEX "IX_idm_task_logs_job_instance_id" ON "dbo"."idm_task_logs" REORGANIZE;

-- indexes, Offline: rebuild (fragmentation 30%, 1000 pages)
ALTER INDEX "IX_odd]name" ON "odd]schema"."odd""table" REBUILD;

-- indexes, edition without online rebuild: reorganize (fragmentation 50%, 2000 pages, reorganised: this edition has no online rebuild and Offline is not set)
ALTER INDEX "PK_idm_items" ON "dbo"."idm_items" REORGANIZE;

-- indexes, edition without online rebuild: reorganize (fragmentation 10%, 1500 pages)
ALTER INDEX "IX_idm_task_logs_job_instance_id" ON "dbo"."idm_task_logs" REORGANIZE;

-- indexes, edition without online rebuild: reorganize (fragmentation 30%, 1000 pages, reorganised: this edition has no online rebuild and Offline is not set)
ALTER INDEX "IX_odd]name" ON "odd]schema"."odd""table" REORGANIZE;

-- indexes, AllIndexes: rebuild (AllIndexes, fragmentation 50%, 2000 pages)
ALTER INDEX "PK_idm_items" ON "dbo"."idm_items" REBUILD WITH (ONLINE = ON);

-- indexes, AllIndexes: rebuild (AllIndexes, fragmentation 10%, 1500 pages)
ALTER INDEX "IX_idm_task_logs_job_instance_id" ON "dbo"."idm_task_logs" REBUILD WITH (ONLINE = ON);

-- indexes, AllIndexes: rebuild (AllIndexes, fragmentation 2%, 5000 pages)
ALTER INDEX "PK_idm_task_logs" ON "dbo"."idm_task_logs" REBUILD WITH (ONLINE = ON);

-- indexes, AllIndexes: rebuild (AllIndexes, fragmentation 80%, 12 pages)
ALTER INDEX "PK_idm_leases" ON "dbo"."idm_leases" REBUILD WITH (ONLINE = ON);

-- indexes, AllIndexes: rebuild (AllIndexes, fragmentation 30%, 1000 pages)
ALTER INDEX "IX_odd]name" ON "odd]schema"."odd""table" REBUILD WITH (ONLINE = ON);

-- indexes, thresholds 60/40: reorganize (fragmentation 50%, 2000 pages)
ALTER INDEX "PK_idm_items" ON "dbo"."idm_items" REORGANIZE;

-- statistics, UpdateStatsThreshold 10 %: statistics (15000 of 100000 rows modified since statistics PK_idm_task_logs were computed (15%))
UPDATE STATISTICS "dbo"."idm_task_logs";

-- statistics, UpdateStatsThreshold 10 %: statistics (3 of 0 rows modified since statistics PK_idm_leases were computed)
UPDATE STATISTICS "dbo"."idm_leases";

-- statistics, UpdateStatsThreshold 20 %: statistics (3 of 0 rows modified since statistics PK_idm_leases were computed)
UPDATE STATISTICS "dbo"."idm_leases";

-- repair: job instances gone behind their task instances (0 parameters)
SELECT DISTINCT "t"."job_instance_id" AS "jobInstanceId" FROM "idm_task_instances" "t" LEFT JOIN "idm_job_instances" "j" ON "j"."id" = "t"."job_instance_id" WHERE "j"."id" IS NULL;

-- repair: job instances gone behind their log lines (0 parameters)
SELECT DISTINCT "l"."job_instance_id" AS "jobInstanceId" FROM "idm_task_logs" "l" LEFT JOIN "idm_job_instances" "j" ON "j"."id" = "l"."job_instance_id" WHERE "j"."id" IS NULL;

-- repair: task instances gone behind their log lines (0 parameters)
SELECT DISTINCT "l"."task_instance_id" AS "taskInstanceId" FROM "idm_task_logs" "l" LEFT JOIN "idm_task_instances" "t" ON "t"."id" = "l"."task_instance_id" WHERE "l"."task_instance_id" IS NOT NULL AND "t"."id" IS NULL;

-- repair: task instances of job instances gone that other job instances' log lines refer to (0 parameters)
SELECT DISTINCT "l"."task_instance_id" AS "taskInstanceId" FROM "idm_task_logs" "l" INNER JOIN "idm_task_instances" "t" ON "t"."id" = "l"."task_instance_id"  LEFT JOIN "idm_job_instances" "j" ON "j"."id" = "t"."job_instance_id" WHERE "j"."id" IS NULL;

-- repair: delete the log lines of those task instances (2 parameters)
DELETE FROM "idm_task_logs" WHERE "task_instance_id" IN (@0, @1);

-- repair: InProgress instances of other runs (their job lease is read next) (2 parameters)
SELECT "j"."id" AS "j_id", "j"."job" AS "j_job", "j"."started_at" AS "j_started_at", "j"."host" AS "j_host", "j"."pid" AS "j_pid" FROM "idm_job_instances" "j" WHERE ("j"."state" = @0 AND "j"."id" != @1) ORDER BY "j_id" ASC;

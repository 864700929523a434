-- the schema of the store (0 parameters)
SELECT OBJECT_SCHEMA_NAME(OBJECT_ID(N'idm_resources')) AS schema_name;

-- the zz_ views of the schema (1 parameters)
SELECT v.name AS name FROM sys.views AS v WHERE v.schema_id = SCHEMA_ID(@0) AND LEFT(v.name, 3) COLLATE Latin1_General_BIN2 = N'zz_' ORDER BY v.name;

-- drop the zz_ views found, in one statement
DROP VIEW "dbo"."zz_Old", "dbo"."zz_Person_2024", "dbo"."zz_odd""name";

-- the view of Org_Unit9
CREATE VIEW "dbo"."zz_Org_Unit9" AS
SELECT
  r."id" AS "Id",
  CAST(JSON_VALUE(r."properties", N'$."Name"') AS nvarchar(443)) AS "Name",
  j."InternalDisplayName" AS "InternalDisplayName",
  r."source_key" AS "SourceKey",
  r."valid_from" AS "ValidFrom",
  CAST(NULL AS datetime2(7)) AS "ValidTo"
FROM "dbo"."idm_resources" AS r
OUTER APPLY OPENJSON(r."properties") WITH ("InternalDisplayName" nvarchar(max) N'$."InternalDisplayName"') AS j
WHERE r."entity_type" = N'Org_Unit9';

-- the view of Person_2024
CREATE VIEW "dbo"."zz_Person_2024" AS
SELECT
  r."id" AS "Id",
  CASE LOWER(LTRIM(RTRIM(j."Active"))) WHEN N'true' THEN CAST(1 AS bit) WHEN N'1' THEN CAST(1 AS bit) WHEN N'false' THEN CAST(0 AS bit) WHEN N'0' THEN CAST(0 AS bit) END AS "Active",
  CAST(SWITCHOFFSET(TRY_CONVERT(datetimeoffset(7), LTRIM(RTRIM(j."Born"))), '+00:00') AS datetime2(7)) AS "Born",
  CAST(JSON_VALUE(r."properties", N'$."Code"') AS nvarchar(443)) AS "Code",
  TRY_CONVERT(int, j."Group") AS "Group",
  CAST(JSON_VALUE(r."properties", N'$."Mail"') AS nvarchar(443)) AS "Mail",
  TRY_CONVERT(bigint, j."Order") AS "Order",
  j."Photo" AS "Photo",
  TRY_CONVERT(float, j."Salary") AS "Salary",
  j."Select" AS "Select",
  TRY_CONVERT(uniqueidentifier, j."Uid") AS "Uid",
  (SELECT MIN(l."from_resource_id") FROM "dbo"."idm_resource_links" AS l WHERE l."association" = N'Unit_Members' AND l."to_resource_id" = r."id") AS "Unit",
  j."InternalDisplayName" AS "InternalDisplayName",
  r."source_key" AS "SourceKey",
  r."valid_from" AS "ValidFrom",
  CAST(NULL AS datetime2(7)) AS "ValidTo"
FROM "dbo"."idm_resources" AS r
OUTER APPLY OPENJSON(r."properties") WITH ("Active" nvarchar(max) N'$."Active"', "Born" nvarchar(max) N'$."Born"', "Group" nvarchar(max) N'$."Group"', "Order" nvarchar(max) N'$."Order"', "Photo" nvarchar(max) N'$."Photo"', "Salary" nvarchar(max) N'$."Salary"', "Select" nvarchar(max) N'$."Select"', "Uid" nvarchar(max) N'$."Uid"', "InternalDisplayName" nvarchar(max) N'$."InternalDisplayName"') AS j
WHERE r."entity_type" = N'Person_2024';

-- the view of Unit_Members
CREATE VIEW "dbo"."zz_Unit_Members" AS
SELECT
  l."from_resource_id" AS "Unit",
  l."to_resource_id" AS "Members",
  l."valid_from" AS "ValidFrom"
FROM "dbo"."idm_resource_links" AS l
WHERE l."association" = N'Unit_Members';

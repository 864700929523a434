-- a query, no IsolationLevel: the command as one batch, streamed
-- request: batch, stream true, arrayRowMode true
SELECT id, name FROM people;
SELECT 1 AS one

-- IsNotAQuery in a Serializable transaction
-- request: query, stream false, arrayRowMode false, inputs @command nvarchar(max) = "UPDATE people SET note = N'x'"
SET XACT_ABORT ON;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
BEGIN TRY
  BEGIN TRANSACTION;
  EXEC sys.sp_executesql @command;
  COMMIT TRANSACTION;
END TRY
BEGIN CATCH
  IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
  THROW;
END CATCH;

-- a query in a Snapshot transaction
-- request: query, stream true, arrayRowMode true, inputs @command nvarchar(max) = "SELECT id FROM people"
SET XACT_ABORT ON;
SET TRANSACTION ISOLATION LEVEL SNAPSHOT;
BEGIN TRY
  BEGIN TRANSACTION;
  EXEC sys.sp_executesql @command;
  COMMIT TRANSACTION;
END TRY
BEGIN CATCH
  IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
  THROW;
END CATCH;

-- pool of the command (a DatabaseIdentifier URL, Timeout 30 s)
-- {"server":"db.example","port":1433,"database":"hr","user":"idm","password":"***","options":{"encrypt":true,"trustServerCertificate":true,"useUTC":true,"enableArithAbort":true},"connectionTimeout":10000,"requestTimeout":30000,"pool":{"max":1,"min":0}}

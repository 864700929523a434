-- the incremental query of a table (no IsolationLevel: sp_executesql with its input)
-- request: query, stream true, arrayRowMode true, inputs @p1 nvarchar(max) = "O'Brien\\"
SELECT * FROM (SELECT id, name, updated_at FROM hr.people) q WHERE [updated_at] > @p1

-- the same in a Serializable transaction (InvokeSqlCommandTask's wrapper passes the input through)
-- request: query, stream true, arrayRowMode true, inputs @command nvarchar(max) = "SELECT * FROM (SELECT id, name, updated_at FROM hr.people) q WHERE [updated_at] > @p1", @p1 nvarchar(max) = "O'Brien\\"
SET XACT_ABORT ON;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
BEGIN TRY
  BEGIN TRANSACTION;
  EXEC sys.sp_executesql @command, N'@p1 nvarchar(max)', @p1 = @p1;
  COMMIT TRANSACTION;
END TRY
BEGIN CATCH
  IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
  THROW;
END CATCH;

-- Generated offline by test/connectors/fulfil/sql-package.test.ts: the SQL package's statements on SQL Server, one per line.
SAVE TRANSACTION idm_order;
SELECT [sAMAccount]]Name], [mail], [employeeID], [manager] FROM [idm].[accounts] WHERE [sAMAccount]]Name] = @0;  -- @0 = "bob"
INSERT INTO [idm].[accounts] ([sAMAccount]]Name], [mail], [employeeID], [manager]) VALUES (@0, @1, @2, @3);  -- @0 = "bob", @1 = "bob@example.com", @2 = 42, @3 = null
UPDATE [idm].[accounts] SET [mail] = @0, [employeeID] = @1, [manager] = @2 WHERE [sAMAccount]]Name] = @3;  -- @0 = "bob@example.com", @1 = 42, @2 = null, @3 = "bob"
DELETE FROM [idm].[accounts] WHERE [sAMAccount]]Name] = @0;  -- @0 = "bob"
ROLLBACK TRANSACTION idm_order;

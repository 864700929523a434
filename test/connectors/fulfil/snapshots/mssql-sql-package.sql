-- Generated offline by test/connectors/fulfil/sql-package.test.ts: the SQL package's statements on SQL Server, one per line.
SAVE TRANSACTION idm_order;
SELECT [sAMAccount]]Name], [mail], [employeeID], [manager] FROM [idm].[accounts] WHERE [sAMAccount]]Name] = @0;  -- @0 = "bob"
INSERT INTO [idm].[accounts] ([sAMAccount]]Name], [mail], [employeeID], [manager]) VALUES (@0, @1, @2, @3);  -- @0 = "bob", @1 = "bob@example.com", @2 = 42, @3 = null
UPDATE [idm].[accounts] SET [mail] = @0, [employeeID] = @1, [manager] = @2 WHERE [sAMAccount]]Name] = @3;  -- @0 = "bob@example.com", @1 = 42, @2 = null, @3 = "bob"
DELETE FROM [idm].[accounts] WHERE [sAMAccount]]Name] = @0;  -- @0 = "bob"
SELECT COUNT(*) AS [n] FROM [idm].[members] WHERE [member] = @0 AND [dn] = @1;  -- @0 = "bob", @1 = "CN=G1"
INSERT INTO [idm].[members] ([member], [dn]) VALUES (@0, @1);  -- @0 = "bob", @1 = "CN=G1"
DELETE FROM [idm].[members] WHERE [member] = @0 AND [dn] = @1;  -- @0 = "bob", @1 = "CN=G1"
DELETE FROM [idm].[members] WHERE [member] = @0;  -- @0 = "bob"
SELECT [objectGUID], [dn] FROM [idm].[entries] WHERE [objectGUID] = @0;  -- @0 = "g1"
ROLLBACK TRANSACTION idm_order;

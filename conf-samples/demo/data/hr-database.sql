-- Run by the InvokeSqlCommandTask "HR_BuildDatabase" on the product database: the demo's HR
-- departments, which the SQL connection HROrganizations exports from (SQLite, PostgreSQL).
CREATE TABLE IF NOT EXISTS demo_hr_departments (code VARCHAR(16) PRIMARY KEY, name VARCHAR(120) NOT NULL);
DELETE FROM demo_hr_departments;
INSERT INTO demo_hr_departments (code, name) VALUES
  ('IT', 'Information technology'),
  ('HR', 'Human resources'),
  ('FIN', 'Finance'),
  ('SALES', 'Sales'),
  ('OPS', 'Operations'),
  ('LEGAL', 'Legal');

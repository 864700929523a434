/** One statement of an offline SQL Server snapshot: a comment naming it, then its T-SQL. */
import type { Statement } from "../../src/store/statements.js";

type Built = { getQueryAndParameters(): [string, unknown[]] } | Statement;

export function statement(name: string, query: Built): string {
  const [sql, parameters] = "sql" in query ? [query.sql, query.parameters] : query.getQueryAndParameters();
  return `-- ${name} (${parameters.length} parameters)\n${sql};\n`;
}

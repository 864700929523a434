/** The key index statements PostgreSQL and SQLite share: an index on the expression itself. */
import type { KeyIndexTarget } from "../dialect-sql.js";
import type { KeyAction, KeyIndex } from "../key-index-plan.js";
import { qualified } from "../store-tables.js";

/** The expression in its own parentheses: PostgreSQL wants them; SQLite takes them too. */
export function expressionIndex(index: KeyIndex, on: KeyIndexTarget): KeyAction[] {
  const q = on.target.quote;
  return [{ kind: "create-index", name: index.name, sql: `CREATE INDEX ${q(index.name)} ON ${on.table} ((${on.expression})) ${on.where}` }];
}

/** DROP INDEX by the index's qualified name. */
export function dropQualifiedIndex(name: string, on: Pick<KeyIndexTarget, "target">): string {
  return `DROP INDEX ${qualified(on.target, name)}`;
}

/**
 * Column types per dialect, shared by the entities and the migrations so that both say the same
 * thing. Each database's types are in its profile (dialects/): SQL Server has no `text`/`boolean`
 * worth using (nvarchar(max), bit) and wants datetime2; PostgreSQL gets timestamptz (never
 * `timestamp`, which drops the offset); SQLite takes the names TypeORM's sqlite driver maps back to
 * Date and boolean.
 */
import { DIALECTS, type Dialect } from "./dialects/index.js";
import type { ColumnTypes } from "./dialects/column-types.js";

export type { ColumnSpec, ColumnTypes } from "./dialects/column-types.js";
export { dialectOfDriver } from "./dialects/index.js";

export function columnTypes(dialect: Dialect): ColumnTypes {
  return DIALECTS[dialect].columnTypes;
}

/** The SqlTarget of an open store: the store's quoting and the schema idm_resources is in. */
import { DIALECTS } from "../../store/dialects/index.js";
import type { Store } from "../../store/store.js";
import { DIALECT_SQL } from "./dialect-sql.js";
import type { DdlSession } from "./ddl-session.js";
import type { SqlTarget } from "./store-tables.js";

export async function storeTarget(store: Store, session: DdlSession): Promise<SqlTarget> {
  const { quoteIdentifier: quote } = DIALECTS[store.dialect];
  const statement = DIALECT_SQL[store.dialect].storeSchema;
  if (statement === undefined) return { quote, schema: undefined };
  const [row] = await session.read<{ schema_name: string | null }>(statement);
  if (row?.schema_name == null) throw new Error(`the store's table idm_resources is not visible from this connection (${store.display})`);
  return { quote, schema: row.schema_name };
}

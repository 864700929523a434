/** The SqlTarget of an open store: the driver's quoting and the schema idm_resources is in. */
import type { Store } from "../../store/store.js";
import { storeSchema } from "./catalog.js";
import type { DdlSession } from "./ddl-session.js";
import type { SqlTarget } from "./store-tables.js";

export async function storeTarget(store: Store, session: DdlSession): Promise<SqlTarget> {
  const quote = (identifier: string) => store.dataSource.driver.escape(identifier);
  if (store.dialect === "sqlite") return { quote, schema: undefined };
  const [row] = await session.read<{ schema_name: string | null }>(storeSchema(store.dialect));
  if (row?.schema_name == null) throw new Error(`the store's table idm_resources is not visible from this connection (${store.display})`);
  return { quote, schema: row.schema_name };
}

/**
 * ManageConfigurationIndexesTask: keeps one index per key property (IsKey="true") of the deployed
 * entity types on idm_resources, over the same expression as the zz_ views' column of that key, so
 * that lookups by key on the views (and the product's lookups by key) use it. The rule and the
 * names are in views/key-index-plan.ts. Indexes (and SQL Server's computed columns) named IXC_…
 * that are no longer declared are dropped; declared ones that exist are left alone.
 *
 * Each statement commits on its own (no transaction): an index built is kept if a later one fails,
 * and the next run carries on from there. CREATE INDEX is not CONCURRENTLY/ONLINE: writes to
 * idm_resources wait while an index is built.
 */
import { readEntityModel } from "../domain/resources/entity-model.js";
import { keyColumns, keyIndexes } from "../domain/views/catalog.js";
import { withDdlSession } from "../domain/views/ddl-session.js";
import { declaredKeyIndexes, planKeyIndexes, type KeyAction } from "../domain/views/key-index-plan.js";
import { storeTarget } from "../domain/views/store-target.js";
import { defineTask } from "./task-handler.js";

const WHAT: Record<KeyAction["kind"], string> = {
  "create-column": "added the computed column",
  "create-index": "created the key index",
  "drop-index": "dropped the index no longer declared",
  "drop-column": "dropped the computed column no longer declared",
};

export default defineTask<"ManageConfigurationIndexesTask">({
  type: "ManageConfigurationIndexesTask",
  side: "server",
  async run(context) {
    const { store } = context;
    const model = await readEntityModel(store);
    const { indexes: declared, problems } = declaredKeyIndexes(model, store.dialect);
    for (const problem of problems) context.log("Warning", `${problem}: it is not indexed`);
    const counters = { created: 0, dropped: 0 };
    context.progress({ ...counters });
    await withDdlSession(store, context, { task: "ManageConfigurationIndexesTask", transaction: false }, async (session) => {
      const target = await storeTarget(store, session);
      const names = async (statement: ReturnType<typeof keyColumns>) => (await session.read<{ name: string }>(statement)).map((r) => r.name);
      const existing = {
        indexes: await names(keyIndexes(store.dialect, target.schema)),
        columns: store.dialect === "mssql" ? await names(keyColumns(target.schema)) : [],
      };
      const actions = planKeyIndexes(store.dialect, target, declared, existing);
      const described = new Map(declared.map((d) => [d.name, ` (${d.entityType}:${d.property})`]));
      for (const action of actions) {
        await session.execute(action.sql, `${WHAT[action.kind]} ${action.name}${described.get(action.name) ?? ""}`);
        if (action.kind === "create-index") counters.created++;
        if (action.kind === "drop-index") counters.dropped++;
        context.progress({ ...counters });
      }
    });
    context.log("Information", `${declared.length} key indexes declared: ${counters.created} created, ${counters.dropped} dropped`);
    const result = { state: "Succeeded" as const, didWork: counters.created + counters.dropped > 0, counters };
    return problems.length === 0 ? result : { ...result, state: "Warning", message: `${problems.length} key properties not indexed: ${problems.join("; ")}` };
  },
});

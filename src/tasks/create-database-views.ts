/**
 * CreateDatabaseViewsTask: drops every view named zz_… in the store's schema, then creates one view
 * per deployed EntityType (`zz_<EntityType>`: the current resources of the type with typed property
 * columns) and one per EntityAssociation (`zz_<Association>`: its current links); the shapes are in
 * views/view-plan.ts. Drops and creates run in one transaction: a failure or a cancel leaves the
 * previous views. A name the database cannot take fails the task before anything is dropped.
 */
import { readEntityModel } from "../domain/resources/entity-model.js";
import { zzViews } from "../domain/views/catalog.js";
import { withDdlSession } from "../domain/views/ddl-session.js";
import { storeTarget } from "../domain/views/store-target.js";
import { dropViews, planViews } from "../domain/views/view-plan.js";
import { defineTask } from "./task-handler.js";

export default defineTask<"CreateDatabaseViewsTask">({
  type: "CreateDatabaseViewsTask",
  side: "agent",
  async run(context) {
    const { store } = context;
    const model = await readEntityModel(store);
    const counters = { dropped: 0, created: 0 };
    context.progress({ ...counters });
    const problems = await withDdlSession(store, context, { task: "CreateDatabaseViewsTask", transaction: true }, async (session) => {
      const target = await storeTarget(store, session);
      const plan = planViews(model, store.dialect, target);
      if (plan.problems.length > 0) return plan.problems;
      const existing = (await session.read<{ name: string }>(zzViews(store.dialect, target.schema))).map((r) => r.name);
      // Views are dropped to be created again: the drops are counted in the summary, not listed.
      for (const sql of dropViews(store.dialect, target, existing)) await session.execute(sql);
      counters.dropped = existing.length;
      context.progress({ ...counters });
      for (const view of plan.views) {
        await session.execute(view.sql, `created view ${view.name} (${view.columns} columns)`);
        counters.created++;
        context.progress({ ...counters });
      }
      return [];
    });
    if (problems.length > 0) {
      for (const problem of problems) context.log("Error", problem);
      return { state: "Error", didWork: false, counters, message: `no view was changed: ${problems.join("; ")}` };
    }
    context.log("Information", `${counters.dropped} zz_ views dropped, ${counters.created} created`);
    return { state: "Succeeded", didWork: counters.dropped + counters.created > 0, counters };
  },
});

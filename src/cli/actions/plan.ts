import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { readStoredForPlan } from "../../deploy/read-stored.js";
import { planDeploy, hasChanges } from "../../deploy/plan.js";
import { scopeOf } from "../scope.js";
import { settingsOf, validatedItems, withStore } from "../context.js";
import { formatPlan } from "../format-plan.js";

export interface PlanFlags {
  json?: boolean;
  out?: string;
  scope?: string;
  detailedExitcode?: boolean;
}

export async function plan(program: Command, dir: string, options: PlanFlags): Promise<void> {
  const items = (await validatedItems(dir, settingsOf(program))).items.items();
  const scope = scopeOf(dir, options.scope);
  const plan = await withStore(program, async (store) =>
    planDeploy(items, await readStoredForPlan(store.dataSource.manager, store.dialect, items), scope ? { scope } : {}));
  if (options.out) writeFileSync(options.out, `${JSON.stringify(plan, null, 2)}\n`);
  process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
  process.exitCode = options.detailedExitcode && hasChanges(plan) ? 2 : 0;
}

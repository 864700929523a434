import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { readStoredForPlan } from "../../deploy/read-stored.js";
import { planDeploy, hasChanges } from "../../deploy/plan.js";
import { scopeOf } from "../scope.js";
import { settingsOf, validatedItems, withStore } from "../context.js";
import { formatPlan } from "../format-plan.js";

export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description("show what deploy would insert, update and delete, per item and per job")
    .argument("[dir]", "configuration folder", ".")
    .option("--json", "print the plan as JSON")
    .option("--out <file>", "save the plan, to apply it exactly with idm deploy --plan")
    .option("--scope <path>", "only items whose source file is under this folder")
    .option("--detailed-exitcode", "exit 2 when there are changes")
    .action(async (dir: string, options: { json?: boolean; out?: string; scope?: string; detailedExitcode?: boolean }) => {
      const { items } = validatedItems(dir, settingsOf(program));
      const scope = scopeOf(dir, options.scope);
      const plan = await withStore(program, async (store) =>
        planDeploy(items, await readStoredForPlan(store.dataSource.manager, store.dialect, items), scope ? { scope } : {}));
      if (options.out) writeFileSync(options.out, `${JSON.stringify(plan, null, 2)}\n`);
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
      process.exitCode = options.detailedExitcode && hasChanges(plan) ? 2 : 0;
    });
}

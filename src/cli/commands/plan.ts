import type { Command } from "commander";
import type { PlanFlags } from "../actions/plan.js";

export function registerPlan(program: Command): void {
  program
    .command("plan")
    .description("show what deploy would insert, update and delete, per item and per job")
    .argument("[dir]", "configuration folder", ".")
    .option("--json", "print the plan as JSON")
    .option("--out <file>", "save the plan, to apply it exactly with idm deploy --plan")
    .option("--scope <path>", "only items whose source file is under this folder")
    .option("--detailed-exitcode", "exit 2 when there are changes")
    .addHelpText("after", `
Examples:
  $ idm plan conf-samples/demo
  $ idm plan conf-samples/demo --out plan.json
  $ idm plan . --detailed-exitcode`)
    .action(async (dir: string, options: PlanFlags) => (await import("../actions/plan.js")).plan(program, dir, options));
}

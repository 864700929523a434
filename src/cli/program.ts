/**
 * The command table: every command, its options and its help, registered on a fresh program. main.ts
 * parses the command line with it; the help test reads every command's help from it.
 */
import { Command } from "commander";
import { registerAssignments } from "./commands/assignments.js";
import { registerDb } from "./commands/db.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerDeployments } from "./commands/deployments.js";
import { registerExport } from "./commands/export.js";
import { registerHistory } from "./commands/history.js";
import { registerInit } from "./commands/init.js";
import { registerOrders } from "./commands/orders.js";
import { registerRollback } from "./commands/rollback.js";
import { registerRun } from "./commands/run.js";
import { registerShow } from "./commands/show.js";
import { registerSteps } from "./commands/steps.js";
import { registerSync } from "./commands/sync.js";
import { registerPlan } from "./commands/plan.js";
import { registerSchema } from "./commands/schema.js";
import { registerScheduler } from "./commands/scheduler.js";
import { registerValidate } from "./commands/validate.js";
import { registerWhy } from "./commands/why.js";

export function buildProgram(): Command {
  const program = new Command("idm")
    .description("Validate, deploy and run Netwrix Identity Manager XML job configurations")
    .option("--settings <file>", "settings file (default ./appsettings.json when present, else the deployed folder's appsettings.json)")
    .option("--database <url>", "database URL: sqlite:<path>, postgres://..., mssql://... (default env IDM_DATABASE_URL, settings ConnectionString, then sqlite:.idm/idm.db)")
    .option("--debug", "print stack traces of unexpected errors")
    .option("--verbose", "while a job runs, print its tasks' Debug lines too (stored in idm_task_logs either way)")
    .showHelpAfterError()
    .addHelpText("after", `
Examples:
  $ idm validate conf-samples/demo
  $ idm deploy conf-samples/demo
  $ idm run HR_Complete`)
    .exitOverride();

  registerInit(program);
  registerValidate(program);
  registerPlan(program);
  registerDeploy(program);
  registerDeployments(program);
  registerShow(program);
  registerSteps(program);
  registerRun(program);
  registerHistory(program);
  registerScheduler(program);
  registerSync(program);
  registerAssignments(program);
  registerWhy(program);
  registerOrders(program);
  registerRollback(program);
  const context = () => import("./context.js");
  registerExport(program, async (run) => (await context()).withStore(program, run));
  registerDb(program, async (options) => (await context()).openStoreOf(program, options));
  registerSchema(program);
  return program;
}

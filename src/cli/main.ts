#!/usr/bin/env node
/**
 * The `idm` command line: thin faces over config, deploy and jobs. commands/ is the command table
 * (names, options, help); each action imports its implementation from actions/ when it runs, so that
 * `idm --help` loads commander alone and `idm validate` neither TypeORM nor a database driver.
 */
import { Command, CommanderError } from "commander";
import { registerDb } from "./commands/db.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerDeployments } from "./commands/deployments.js";
import { registerExport } from "./commands/export.js";
import { registerHistory } from "./commands/history.js";
import { registerInit } from "./commands/init.js";
import { registerRollback } from "./commands/rollback.js";
import { registerRun } from "./commands/run.js";
import { registerShow } from "./commands/show.js";
import { registerSteps } from "./commands/steps.js";
import { registerSync } from "./commands/sync.js";
import { registerPlan } from "./commands/plan.js";
import { registerSchema } from "./commands/schema.js";
import { registerScheduler } from "./commands/scheduler.js";
import { registerValidate } from "./commands/validate.js";
import { CliError } from "./cli-error.js";
import { EXIT_USAGE } from "./exit-codes.js";

// `idm plan | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const program = new Command("idm")
  .description("Validate, deploy and run Netwrix Identity Manager XML job configurations")
  .option("--settings <file>", "settings file (default ./appsettings.json when present)")
  .option("--database <url>", "database URL: sqlite:<path>, postgres://..., mssql://... (default env IDM_DATABASE_URL, settings ConnectionString, then sqlite:.idm/idm.db)")
  .option("--debug", "print stack traces of unexpected errors")
  .option("--verbose", "while a job runs, print its tasks' Debug lines too (stored in idm_task_logs either way)")
  .showHelpAfterError()
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
registerRollback(program);
const context = () => import("./context.js");
registerExport(program, async (run) => (await context()).withStore(program, run));
registerDb(program, async (options) => (await context()).openStoreOf(program, options));
registerSchema(program);

try {
  await program.parseAsync();
} catch (error) {
  // Commander has printed the problem; a usage error exits 64 (EX_USAGE), help and version 0.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  const debug = program.opts<{ debug?: boolean }>().debug === true;
  process.stderr.write(`idm: ${debug && error instanceof Error ? error.stack : (error as Error).message}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}

#!/usr/bin/env node
/** The `idm` command line: thin faces over config, deploy and jobs. */
import { Command, CommanderError } from "commander";
import { registerSchema } from "./commands/schema.js";
import { registerValidate } from "./commands/validate.js";
import { CliError } from "./cli-error.js";

const program = new Command("idm")
  .description("Validate, deploy and run Netwrix Identity Manager XML job configurations")
  .option("--settings <file>", "settings file (default ./appsettings.json when present)")
  .option("--debug", "print stack traces of unexpected errors")
  .showHelpAfterError()
  .exitOverride();

registerValidate(program);
registerSchema(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const debug = program.opts<{ debug?: boolean }>().debug === true;
  process.stderr.write(`idm: ${debug && error instanceof Error ? error.stack : (error as Error).message}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}

#!/usr/bin/env node
/**
 * The `idm` command line: thin faces over config, deploy and jobs. commands/ is the command table
 * (names, options, help); each action imports its implementation from actions/ when it runs, so that
 * `idm --help` loads commander alone and `idm validate` neither TypeORM nor a database driver.
 */
import { CommanderError } from "commander";
import { buildProgram } from "./program.js";
import { CliError } from "./cli-error.js";
import { EXIT_USAGE } from "./exit-codes.js";

// `idm plan | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const program = buildProgram();

try {
  await program.parseAsync();
} catch (error) {
  // Commander has printed the problem; a usage error exits 64 (EX_USAGE), help and version 0.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  const debug = program.opts<{ debug?: boolean }>().debug === true;
  process.stderr.write(`idm: ${debug && error instanceof Error ? error.stack : (error as Error).message}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}

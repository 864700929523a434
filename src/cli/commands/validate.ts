import type { Command } from "commander";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("find every problem of a configuration folder, each with file:line:col and a stable code")
    .argument("[dir]", "configuration folder", ".")
    .option("--json", "print the result as JSON")
    .addHelpText("after", `
Examples:
  $ idm validate conf-samples/demo
  $ idm validate . --json > problems.json`)
    .action(async (dir: string, options: { json?: boolean }) => (await import("../actions/validate.js")).validate(program, dir, options));
}

import type { Command } from "commander";

export function registerSteps(program: Command): void {
  program
    .command("steps")
    .description("print the launch groups of a deployed job, in launch order (the reference Get-JobSteps)")
    .argument("<job>", "job identifier")
    .option("--json", "print as JSON")
    .action(async (job: string, options: { json?: boolean }) => (await import("../actions/steps.js")).steps(program, job, options));
}

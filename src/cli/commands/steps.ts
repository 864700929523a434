import { Option, type Command } from "commander";
import { STEPS_FORMATS, type StepsFlags } from "../actions/steps-formats.js";

export function registerSteps(program: Command): void {
  program
    .command("steps")
    .description("print the launch groups of a deployed job, in launch order (the reference Get-JobSteps), or draw them")
    .argument("<job>", "job identifier")
    .addOption(new Option("--format <format>", "text, json, or a picture: mermaid (flowchart) or dot (Graphviz)").choices(STEPS_FORMATS).default("text"))
    .option("--json", "print as JSON (same as --format json)")
    .addHelpText("after", `
Examples:
  $ idm steps HR_Complete
  $ idm steps HR_Complete --format mermaid > hr-complete.mmd
  $ idm steps HR_Complete --format dot | dot -Tsvg > hr-complete.svg`)
    .action(async (job: string, options: StepsFlags) => (await import("../actions/steps.js")).steps(program, job, options));
}

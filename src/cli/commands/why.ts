import type { Command } from "commander";

export function registerWhy(program: Command): void {
  program
    .command("why")
    .description("why an owner has, or has not, a role or resource type: each rule that could assign it, context by context, with what it decided or the dimension value or role that kept it from matching, each rule as file:line")
    .argument("<entityType>", "the owner's entity type, e.g. HR_Person")
    .argument("<key>", "the owner's key")
    .argument("<subject>", "a single role, composite role or resource type of that entity type")
    .option("--json", "print as JSON")
    .option("--at <time>", "evaluate at this instant, ISO 8601 (default now)")
    .addHelpText("after", `
Examples:
  $ idm why HR_Person E00001 Department_FIN
  $ idm why HR_Person E00001 AD_Entry_NominativeUser --json
  $ idm why HR_Person E00001 AllStaff --at 2026-01-01`)
    .action(async (entityType: string, key: string, subject: string, flags: { json?: boolean; at?: string }) =>
      (await import("../actions/why.js")).why(program, entityType, key, subject, flags));
}

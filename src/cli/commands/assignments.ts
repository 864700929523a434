import type { Command } from "commander";

export function registerAssignments(program: Command): void {
  program
    .command("assignments")
    .description("what the role model assigned to the owners of an entity type: contexts, roles, resource types (target, correlation, provisioning state, policy vs current values) and risks, each with the rule that produced it")
    .argument("<entityType>", "the owners' entity type, e.g. HR_Person")
    .argument("[key]", "one owner's key (default: every owner that holds something)")
    .option("--json", "print as JSON")
    .addHelpText("after", `
Examples:
  $ idm assignments HR_Person
  $ idm assignments HR_Person E1001
  $ idm assignments HR_Person E1001 --json`)
    .action(async (entityType: string, key: string | undefined, flags: { json?: boolean }) =>
      (await import("../actions/assignments.js")).assignments(program, entityType, key, flags));
}

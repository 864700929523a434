import type { Command } from "commander";

export function registerSync(program: Command): void {
  const sync = program.command("sync").description("synchronization upkeep")
    .addHelpText("after", `
Examples:
  $ idm sync changes 42 --state blocked
  $ idm sync discard HR`);
  sync
    .command("changes")
    .description("the changes a synchronization of a job instance computed (what a Blocked sync would apply on resume)")
    .argument("<instanceId>", "job instance id (idm instances)")
    .option("--state <state>", "pending, blocked, applied or discarded (default: all)")
    .option("--limit <n>", "at most this many changes listed (the counts are always whole)", "50")
    .option("--json", "print as JSON")
    .addHelpText("after", `
Examples:
  $ idm sync changes 42
  $ idm sync changes 42 --state blocked --limit 10
  $ idm sync changes 42 --json`)
    .action(async (id: string, flags: { state?: string; limit: string; json?: boolean }) =>
      (await import("../actions/sync.js")).syncChanges(program, id, flags));
  sync
    .command("discard")
    .description("remove a queued batch without applying it: the one the next synchronization of the connector would take, or the one named")
    .argument("<connector>", "the connector whose queue it is")
    .option("--batch <name>", "the batch to remove, e.g. 000002-Complete (default: the oldest)")
    .addHelpText("after", `
Examples:
  $ idm sync discard HR
  $ idm sync discard HR --batch 000002-Complete`)
    .action(async (connector: string, flags: { batch?: string }) => (await import("../actions/sync.js")).syncDiscard(program, connector, flags));
}

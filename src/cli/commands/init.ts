import type { Command } from "commander";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("write a small working configuration (agent, CSV connector, entity type, sync job, script job, settings, editor schema) into a new or empty folder")
    .argument("[dir]", "folder to create (must be empty or absent)", ".")
    .addHelpText("after", `
Examples:
  $ idm init my-config
  $ idm init
  $ idm validate my-config`)
    .action(async (dir: string) => (await import("../actions/init.js")).init(dir));
}

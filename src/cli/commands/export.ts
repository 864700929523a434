import type { Command } from "commander";
import type { Store } from "../../store/store.js";
import type { ExportFlags } from "../actions/export.js";

export function registerExport(program: Command, withStore: <T>(run: (store: Store) => Promise<T>) => Promise<T>): void {
  program
    .command("export")
    .description("write the stored configuration back as XML files, each item into the file it came from")
    .argument("<dir>", "folder to write the files into")
    .option("--default-file <name>", "file for the items without a usable source file", "idm-export.xml")
    .option("--json", "print the result as JSON")
    .addHelpText("after", `
Examples:
  $ idm export exported
  $ idm export exported --default-file rest.xml`)
    .action(async (dir: string, flags: ExportFlags) => (await import("../actions/export.js")).exportConfiguration(withStore, dir, flags));
}

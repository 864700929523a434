import type { Command } from "commander";
import type { RunFlags } from "../actions/run.js";
import { CliError } from "../cli-error.js";
import { EXIT_USAGE } from "../exit-codes.js";

export function registerRun(program: Command): void {
  const actions = () => import("../actions/run.js");
  program
    .command("run")
    .description("run a deployed job (its stored definition, not the XML)")
    .argument("<job>", "job identifier")
    .option("-t, --task <identifier>", "run only this task of the job")
    .option("-b, --begin <step>", "start at this step (number or task identifier)")
    .option("-e, --end <step>", "stop after this step (number or task identifier)")
    .option("-s, --contains <text>", "run the tasks whose identifier contains the text")
    .option("-c, --type <taskType>", "run the first task of this type")
    .option("-f, --force", "force synchronization and provisioning past their thresholds")
    .option("-r, --repair", "resume the job's last Blocked instance (as idm resume)")
    .option("--json", "print the final summary as JSON")
    .addHelpText("after", `
Examples:
  $ idm run HR_Complete
  $ idm run HR_Complete -b HR_Export -e HR_Synchronize
  $ idm run HR_Complete -r`)
    .action(async (job: string, flags: RunFlags) => (await actions()).run(program, job, flags));

  program
    .command("resume")
    .description("resume a Blocked job instance: rerun the blocked task with thresholds forced, then the tasks that had not run")
    .argument("<instanceId>", "job instance id (idm instances)", instanceId)
    .option("--json", "print the final summary as JSON")
    .addHelpText("after", `
Examples:
  $ idm resume 42
  $ idm resume 42 --json`)
    .action(async (id: number, flags: { json?: boolean }) => (await actions()).resume(program, id, flags));

  program
    .command("cancel")
    .description("cancel a running job instance: its running tasks are stopped, nothing new starts")
    .argument("<instanceId>", "job instance id (idm instances)", instanceId)
    .option("--no-wait", "return once the cancel is requested")
    .addHelpText("after", `
Examples:
  $ idm cancel 42
  $ idm cancel 42 --no-wait`)
    .action(async (id: number, flags: { wait: boolean }) => (await actions()).cancel(program, id, flags));
}

function instanceId(value: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(`"${value}" is not a job instance id`, EXIT_USAGE);
  return Number(value);
}

import type { Command } from "commander";
import type { JobState } from "../../domain/vocabulary.js";
import { selectJobInstance } from "../../store/job-instance-queries.js";
import { listInstances } from "../../jobs/history.js";
import { jobLeaseName } from "../../store/job-lease.js";
import {
  InstanceStateError, JobNotFoundError, JobRunningError, JobStartDeniedError, requestCancel, resumeJob, runJob, type RunOptions,
  type RunSummary,
} from "../../jobs/runner.js";
import { readLease } from "../../store/lease.js";
import { SelectionError, type Selection } from "../../jobs/selection.js";
import type { Store } from "../../store/store.js";
import { CliError } from "../cli-error.js";
import { settingsOf, withStore } from "../context.js";
import { liveView, plainView } from "../run-view.js";

/** The exit code of a run, by the state the job instance ended in (README: Exit codes). */
export const EXIT_CODE: Record<JobState, number> = {
  Succeeded: 0, Error: 1, Interrupted: 1, InProgress: 1, Warning: 2, Blocked: 3, Cancelled: 4,
};
export const EXIT_ALREADY_RUNNING = 5;
export const EXIT_USAGE = 64;

interface RunFlags {
  task?: string;
  begin?: string;
  end?: string;
  contains?: string;
  type?: string;
  force?: boolean;
  repair?: boolean;
  json?: boolean;
}

export function registerRun(program: Command): void {
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
    .action(async (job: string, flags: RunFlags) => {
      const selection: Selection = {
        ...(flags.task === undefined ? {} : { task: flags.task }),
        ...(flags.begin === undefined ? {} : { begin: flags.begin }),
        ...(flags.end === undefined ? {} : { end: flags.end }),
        ...(flags.contains === undefined ? {} : { contains: flags.contains }),
        ...(flags.type === undefined ? {} : { type: flags.type }),
      };
      await execute(program, flags.json === true, async (store, options) => {
        if (!flags.repair) return runJob(job, { ...options, selection, force: flags.force === true });
        const blocked = (await listInstances(store, job, 1))[0];
        if (blocked?.state !== "Blocked") throw new InstanceStateError(`job ${job} has no Blocked instance to resume (its last is ${blocked?.state ?? "none"})`);
        return resumeJob(blocked.id, options);
      });
    });

  program
    .command("resume")
    .description("resume a Blocked job instance: rerun the blocked task with thresholds forced, then the tasks that had not run")
    .argument("<instanceId>", "job instance id (idm instances)", instanceId)
    .option("--json", "print the final summary as JSON")
    .action(async (id: number, flags: { json?: boolean }) => {
      await execute(program, flags.json === true, (_store, options) => resumeJob(id, options));
    });

  program
    .command("cancel")
    .description("cancel a running job instance: its running tasks are stopped, nothing new starts")
    .argument("<instanceId>", "job instance id (idm instances)", instanceId)
    .option("--no-wait", "return once the cancel is requested")
    .action(async (id: number, flags: { wait: boolean }) => {
      await withStore(program, async (store) => {
        const instance = await requestCancel(store, id).catch(asCliError);
        if (instance.state !== "InProgress") throw new CliError(`job instance ${id} is not running: it ended ${instance.state}`, EXIT_USAGE);
        process.stdout.write(`cancel requested for job ${instance.job} instance ${id}\n`);
        if (!flags.wait) return;
        for (;;) {
          await new Promise((r) => setTimeout(r, 200));
          const now = await selectJobInstance(store.dataSource.manager, id).getOneOrFail();
          if (now.state !== "InProgress") {
            process.stdout.write(`job ${instance.job} instance ${id} ended ${now.state}\n`);
            return;
          }
          const lease = await readLease(store, jobLeaseName(instance.job));
          if (lease === undefined || lease.expiresAt.getTime() < Date.now()) {
            throw new CliError(`job instance ${id} has no live runner (its lease expired); the next run of ${instance.job} marks it Interrupted`);
          }
        }
      });
    });
}

function instanceId(value: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(`"${value}" is not a job instance id`, EXIT_USAGE);
  return Number(value);
}

/** Runs with Ctrl-C and SIGTERM wired to cancel, the view chosen by the output, and the exit code of the state. */
async function execute(program: Command, json: boolean, start: (store: Store, options: RunOptions) => Promise<RunSummary>): Promise<void> {
  const settings = settingsOf(program);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C leaves at once; the dead runner's instance is marked Interrupted by the next run.
    if (++signals > 1) process.exit(130);
    process.stderr.write(`idm: ${signal}: cancelling (again to quit at once)\n`);
    controller.abort(new Error(`cancelled by ${signal}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const write = (text: string) => void process.stdout.write(text);
  const view = json ? undefined : process.stdout.isTTY ? liveView(write) : plainView(write);
  try {
    const summary = await withStore(program, (store) =>
      start(store, { store, settings, signal: controller.signal, ...(view ? { onEvent: (e) => view.onEvent(e) } : {}) }).catch(asCliError));
    if (json) write(`${JSON.stringify(jsonSummary(summary), null, 2)}\n`);
    process.exitCode = EXIT_CODE[summary.state];
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function jsonSummary(summary: RunSummary): object {
  return {
    job: summary.job,
    instanceId: summary.instanceId,
    state: summary.state,
    tasks: summary.tasks.map((t) => ({
      identifier: t.identifier, type: t.type, level: t.level, state: t.state, startedAt: t.startedAt, endedAt: t.endedAt,
      counters: t.counters, error: t.error,
    })),
  };
}

function asCliError(error: unknown): never {
  if (error instanceof JobRunningError) throw new CliError(error.message, EXIT_ALREADY_RUNNING);
  if (error instanceof JobNotFoundError || error instanceof SelectionError || error instanceof JobStartDeniedError || error instanceof InstanceStateError) {
    throw new CliError(error.message, EXIT_USAGE);
  }
  throw error;
}

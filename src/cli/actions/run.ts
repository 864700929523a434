import type { Command } from "commander";
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
import { withStore } from "../context.js";
import { EXIT_ALREADY_RUNNING, EXIT_CODE, EXIT_USAGE } from "../exit-codes.js";
import { liveView, plainView } from "../run-view.js";

export interface RunFlags {
  task?: string;
  begin?: string;
  end?: string;
  contains?: string;
  type?: string;
  force?: boolean;
  repair?: boolean;
  json?: boolean;
}

export async function run(program: Command, job: string, flags: RunFlags): Promise<void> {
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
}

export async function resume(program: Command, id: number, flags: { json?: boolean }): Promise<void> {
  await execute(program, flags.json === true, (_store, options) => resumeJob(id, options));
}

export async function cancel(program: Command, id: number, flags: { wait: boolean }): Promise<void> {
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
}

/** Runs with Ctrl-C and SIGTERM wired to cancel, the view chosen by the output, and the exit code of the state. */
async function execute(program: Command, json: boolean, start: (store: Store, options: RunOptions) => Promise<RunSummary>): Promise<void> {
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
  // The live view redraws in place and shows no log lines: --verbose asks for lines, so it gets the plain view.
  const verbose = program.opts<{ verbose?: boolean }>().verbose === true;
  const view = json ? undefined : process.stdout.isTTY && !verbose ? liveView(write) : plainView(write, { verbose });
  try {
    const summary = await withStore(program, (store, settings) =>
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

import type { Command } from "commander";
import { runScheduler, schedulerOnce } from "../../jobs/scheduler.js";
import { LeaseBusyError } from "../../store/lease.js";
import { CliError } from "../cli-error.js";
import { withStore } from "../context.js";
import { EXIT_ALREADY_RUNNING, EXIT_USAGE } from "../exit-codes.js";
import { parseIsoTime } from "../iso-time.js";

export async function scheduler(program: Command, options: { once?: boolean; at?: string }): Promise<void> {
  if (options.at !== undefined && !options.once) throw new CliError("--at needs --once", EXIT_USAGE);
  const at = options.at === undefined ? new Date() : parseIsoTime("--at", options.at);
  // Ctrl-C or SIGTERM cancels the runs (they end Cancelled) instead of killing them mid-task.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await withStore(program, async (store, settings) => {
      if (!options.once) {
        const log = (message: string) => process.stdout.write(`${new Date().toISOString()}  ${message}\n`);
        return runScheduler(store, settings, { signal: controller.signal, log });
      }
      const result = await schedulerOnce(store, settings, at, { signal: controller.signal });
      for (const [index, { job, instanceId }] of result.started.entries()) {
        const ended = result.ended[index]!;
        if (ended instanceof Error) process.exitCode = 1;
        process.stdout.write(`started ${job} instance ${instanceId}: ${ended instanceof Error ? `failed: ${ended.message}` : ended.state}\n`);
      }
      for (const { job, reason } of result.skipped) process.stdout.write(`skipped ${job}: ${reason}\n`);
      for (const { job, next } of result.notDue) process.stdout.write(`not due ${job} (next ${next?.toISOString() ?? "never"})\n`);
    });
  } catch (error) {
    if (error instanceof LeaseBusyError) {
      const { host, pid, acquiredAt } = error.holder;
      throw new CliError(`another scheduler is running: ${host} pid ${pid}, since ${acquiredAt.toISOString()}`, EXIT_ALREADY_RUNNING);
    }
    throw error;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

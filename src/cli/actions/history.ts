import type { Command } from "commander";
import { followLogs, listDeployedJobs, listInstances, pruneHistory, readInstanceTimeline, type LogLine } from "../../jobs/history.js";
import { CliError } from "../cli-error.js";
import { withStore } from "../context.js";
import { EXIT_USAGE } from "../exit-codes.js";
import { runGantt } from "../pictures/run-gantt.js";
import type { InstancesFlags, InstancesFormat } from "./instances-formats.js";

const DAY_MS = 86_400_000;
const FOLLOW_POLL_MS = 500;

const iso = (date: Date | null | undefined): string => (date ? date.toISOString() : "-");
const json = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n") + "\n";
}

function positiveInteger(value: string, what: string): number {
  if (!/^\d+$/.test(value) || Number(value) === 0) throw new CliError(`${what} must be a positive integer, not "${value}"`, EXIT_USAGE);
  return Number(value);
}

export async function jobs(program: Command, flags: { json?: boolean }): Promise<void> {
  const jobs = await withStore(program, (store) => listDeployedJobs(store));
  if (flags.json) return json(jobs);
  if (jobs.length === 0) return void process.stdout.write("No job is deployed.\n");
  const rows = jobs.map((j) => [
    j.identifier, j.displayName, j.agent ?? "-", j.cron ?? "-", iso(j.nextDue),
    j.lastInstance ? `${j.lastInstance.id} ${j.lastInstance.state}` : "-",
  ]);
  process.stdout.write(table([["JOB", "NAME", "AGENT", "CRON", "NEXT DUE", "LAST INSTANCE"], ...rows]));
}

export async function instances(program: Command, id: string | undefined, flags: InstancesFlags, command: Command): Promise<void> {
  if (flags.json && flags.format !== "text" && flags.format !== "json") {
    throw new CliError(`--json and --format ${flags.format} ask for two outputs: give one`, EXIT_USAGE);
  }
  const format = flags.json ? "json" : flags.format;
  if (id !== undefined) {
    const given = ["job", "limit"].filter((name) => command.getOptionValueSource(name) === "cli");
    if (given.length > 0) throw new CliError(`--${given[0]} selects instances to list; with an instance id, give neither --job nor --limit`, EXIT_USAGE);
    return instance(program, positiveInteger(id, "the instance id"), format);
  }
  if (format === "mermaid") throw new CliError("--format mermaid draws one run: give its instance id (idm instances <id> --format mermaid)", EXIT_USAGE);
  const limit = positiveInteger(flags.limit, "--limit");
  const instances = await withStore(program, (store) => listInstances(store, flags.job, limit));
  if (format === "json") {
    return json(instances.map((i) => ({ id: i.id, job: i.job, state: i.state, trigger: i.trigger, startedAt: i.startedAt, endedAt: i.endedAt })));
  }
  if (instances.length === 0) return void process.stdout.write("No job instance yet.\n");
  const rows = instances.map((i) => [String(i.id), i.job, i.state, i.trigger, `${i.user}@${i.host}`, iso(i.startedAt), iso(i.endedAt)]);
  process.stdout.write(table([["ID", "JOB", "STATE", "TRIGGER", "BY", "STARTED", "ENDED"], ...rows]));
}

async function instance(program: Command, id: number, format: InstancesFormat): Promise<void> {
  const timeline = await withStore(program, (store) => readInstanceTimeline(store, id));
  if (timeline === undefined) throw new CliError(`there is no job instance ${id} (idm instances lists them)`, EXIT_USAGE);
  if (format === "mermaid") return void process.stdout.write(runGantt(timeline, new Date()));
  const { instance: i, tasks } = timeline;
  if (format === "json") {
    return json({
      id: i.id, job: i.job, state: i.state, trigger: i.trigger, startedAt: i.startedAt, endedAt: i.endedAt,
      tasks: tasks.map((t) => ({
        identifier: t.task, type: t.taskType, level: t.level, group: t.groupIndex + 1, state: t.state, attempt: t.attempt,
        startedAt: t.startedAt, endedAt: t.endedAt, error: t.error,
      })),
    });
  }
  process.stdout.write(`instance ${i.id} of ${i.job}: ${i.state} (${i.trigger}, ${i.user}@${i.host}) ${iso(i.startedAt)} → ${iso(i.endedAt)}\n`);
  const rows = tasks.map((t) => [String(t.groupIndex + 1), t.level === -1 ? "-" : String(t.level), t.task, t.taskType, t.state, iso(t.startedAt), iso(t.endedAt)]);
  process.stdout.write(table([["GROUP", "LEVEL", "TASK", "TYPE", "STATE", "STARTED", "ENDED"], ...rows]));
}

export async function logs(program: Command, id: string, flags: { task?: string; follow?: boolean }): Promise<void> {
  const instanceId = positiveInteger(id, "the instance id");
  await withStore(program, async (store) => {
    const print = (lines: LogLine[]) => {
      for (const l of lines) process.stdout.write(`${l.loggedAt.toISOString()}  ${l.level.padEnd(11)}  ${l.task ?? "(job)"}  ${l.message}\n`);
    };
    const end = await followLogs(store, instanceId, { ...(flags.task ? { task: flags.task } : {}), follow: flags.follow === true, pollMs: FOLLOW_POLL_MS }, print);
    if (end === undefined) throw new CliError(`there is no job instance ${instanceId} (idm instances lists them)`, EXIT_USAGE);
    if (end.runnerGone !== undefined) {
      throw new CliError(`job instance ${instanceId} is InProgress but nothing runs it: ${end.runnerGone}; the next run of its job marks it Interrupted`);
    }
  });
}

export async function pruneHistoryOlderThan(program: Command, flags: { olderThan?: string; json?: boolean }): Promise<void> {
  const given = flags.olderThan === undefined ? undefined : positiveInteger(flags.olderThan, "--older-than");
  const result = await withStore(program, (store, settings) =>
    pruneHistory(store, new Date(Date.now() - (given ?? settings.jobs.historyRetentionDays) * DAY_MS)));
  if (flags.json) return json(result);
  process.stdout.write(`pruned ${result.jobInstances} job instances started before ${result.before.toISOString()}\n`);
}

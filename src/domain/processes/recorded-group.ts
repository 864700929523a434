/**
 * The process group of a task's child as the task instance row records it (idm_task_instances.process_group),
 * so that the runner that takes over a dead runner's job can end what that runner left running.
 */
import { hostname } from "node:os";
import { processStart } from "./process-stat.js";

export interface RecordedGroup {
  host: string;
  /** The group's id: the pid of its leader, the child the task spawned. */
  pgid: number;
  /** The leader's start identity (process-stat.ts), null where /proc cannot tell it. */
  start: string | null;
}

/** The record of the group led by `pid`, a child this process has just spawned as a group leader. */
export function groupLedBy(pid: number): RecordedGroup {
  return { host: hostname(), pgid: pid, start: processStart(pid) ?? null };
}

export function formatRecordedGroup(group: RecordedGroup | null): string | null {
  return group === null ? null : JSON.stringify(group);
}

/** undefined for a value this code did not write (a row edited by hand): such a group is never signalled. */
export function parseRecordedGroup(text: string | null): RecordedGroup | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RecordedGroup>;
    if (typeof value.host !== "string" || !Number.isSafeInteger(value.pgid) || (value.pgid as number) <= 1) return undefined;
    if (value.start !== null && typeof value.start !== "string") return undefined;
    return { host: value.host, pgid: value.pgid as number, start: value.start };
  } catch {
    return undefined;
  }
}

/**
 * Ends the process groups a dead runner left running on this host, before another run of its job
 * starts: SIGTERM, a bounded grace, then SIGKILL. A group is signalled only when its leader is still
 * the process that was recorded (same boot, same start time): a pid reused since is never signalled.
 * What cannot be checked or reached (another host, no start time, a group whose leader has gone) is
 * left alone and said in the log.
 */
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { LogLevel } from "../vocabulary.js";
import { KILL_GRACE_MS, signalGroup } from "../process-group.js";
import { groupRuns, readProcessStat } from "./process-stat.js";
import type { RecordedGroup } from "./recorded-group.js";

/** After SIGKILL the kernel still has to tear the processes down. */
const KILL_WAIT_MS = 1000;
const POLL_MS = 50;

export interface LeftGroup {
  group: RecordedGroup;
  /** Who left it, for the log: "task T of job instance 12". */
  owner: string;
}

export type Log = (level: LogLevel, message: string) => void;

function isRecordedLeader(group: RecordedGroup): boolean {
  const leader = readProcessStat(group.pgid);
  return leader !== undefined && leader.start === group.start;
}

/** Waits until none of the groups runs or the time is up; the groups still running. */
async function waitForEnd(groups: LeftGroup[], ms: number): Promise<LeftGroup[]> {
  const deadline = Date.now() + ms;
  let running = groups.filter((g) => groupRuns(g.group.pgid));
  while (running.length > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    running = running.filter((g) => groupRuns(g.group.pgid));
  }
  return running;
}

/**
 * Ends the groups it may end and logs what it did with each. Returns the groups that no longer need
 * their record: ended, found gone, or their pid reused; the others keep theirs, since they may still run.
 */
export async function endLeftGroups(left: LeftGroup[], log: Log, graceMs = KILL_GRACE_MS): Promise<LeftGroup[]> {
  const here = hostname();
  const done: LeftGroup[] = [];
  const toEnd: LeftGroup[] = [];
  for (const entry of left) {
    const { group, owner } = entry;
    if (group.host !== here) {
      log("Warning", `process group ${group.pgid} of ${owner} on host ${group.host} may still run: it cannot be signalled from ${here}`);
    } else if (group.start === null) {
      log("Warning", `process group ${group.pgid} of ${owner} may still run: its start time was not recorded (no /proc), so a reused pid cannot be ruled out and it is not signalled`);
    } else if (isRecordedLeader(group)) {
      toEnd.push(entry);
    } else if (readProcessStat(group.pgid) !== undefined) {
      log("Information", `process group ${group.pgid} of ${owner} has ended (pid ${group.pgid} is now another process, not signalled)`);
      done.push(entry);
    } else if (groupRuns(group.pgid)) {
      log("Warning", `process group ${group.pgid} of ${owner} still has processes but its leader has ended, so the group cannot be told from a reused id: not signalled`);
    } else {
      log("Information", `process group ${group.pgid} of ${owner} has ended`);
      done.push(entry);
    }
  }
  if (toEnd.length === 0) return done;

  for (const { group } of toEnd) signalGroup(group.pgid, "SIGTERM");
  const stubborn = await waitForEnd(toEnd, graceMs);
  // Checked again: had the group ended and its pid been reused during the grace, SIGKILL would hit a
  // stranger. A leader that ended on SIGTERM leaves its id to the processes still in its group: Linux
  // gives no new process a pid that is still some group's id.
  const killed = stubborn.filter((g) => readProcessStat(g.group.pgid) === undefined || isRecordedLeader(g.group));
  for (const { group } of killed) signalGroup(group.pgid, "SIGKILL");
  const survivors = await waitForEnd(killed, KILL_WAIT_MS);
  for (const entry of toEnd) {
    const { group, owner } = entry;
    const how = killed.includes(entry) ? `SIGTERM, then SIGKILL after ${graceMs} ms` : "SIGTERM";
    if (survivors.includes(entry)) {
      log("Error", `process group ${group.pgid} of ${owner}, left running by its dead runner, still runs after ${how}`);
      continue;
    }
    log("Warning", `ended process group ${group.pgid} of ${owner}, left running by its dead runner (${how})`);
    done.push(entry);
  }
  return done;
}

/**
 * What /proc says about a process (Linux): its process group, whether it is a zombie, and what tells
 * it apart from a later process that got the same pid: the boot it runs in and its start time in
 * clock ticks since that boot. Where there is no /proc, nothing is known (undefined).
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessStat {
  /** R, S, D, T, Z (zombie: ended, not yet reaped), X... */
  state: string;
  pgrp: number;
  /** "<boot id>/<start ticks>": equal only for the same process. */
  start: string;
}

let bootId: string | null | undefined;

function currentBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** Fields after the command name, which is in parentheses and may itself hold spaces and parentheses. */
function parseStat(text: string): { state: string; pgrp: number; ticks: string } | undefined {
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // proc(5): state is field 3, pgrp field 5, starttime field 22.
  const [state, pgrp, ticks] = [fields[0], Number(fields[2]), fields[19]];
  if (state === undefined || !Number.isInteger(pgrp) || ticks === undefined || !/^\d+$/.test(ticks)) return undefined;
  return { state, pgrp, ticks };
}

export function readProcessStat(pid: number): ProcessStat | undefined {
  const boot = currentBootId();
  if (boot === null) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const parsed = parseStat(text);
  return parsed && { state: parsed.state, pgrp: parsed.pgrp, start: `${boot}/${parsed.ticks}` };
}

/** The start identity of a running process, or undefined where /proc cannot tell it. */
export function processStart(pid: number): string | undefined {
  return readProcessStat(pid)?.start;
}

/**
 * Whether a process of the group still runs. Zombies do not count: after its runner died, a script's
 * processes are reparented to the host's init, which on some containers never reaps them, and a
 * zombie holds nothing. Without /proc, any process of the group counts.
 */
export function groupRuns(pgid: number): boolean {
  let entries: string[] | undefined;
  try {
    if (currentBootId() !== null) entries = readdirSync("/proc");
  } catch {
    entries = undefined;
  }
  if (entries === undefined) return groupExists(pgid);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // it ended while we looked
    }
    const stat = parseStat(text);
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X") return true;
  }
  return false;
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

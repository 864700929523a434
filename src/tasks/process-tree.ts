/**
 * Runs a command as the leader of its own process group, so that it can be stopped together with
 * everything it started: killing the child alone would leave a script's own children (a `sleep`, a
 * backgrounded tool) running after the task has ended. POSIX only (process groups).
 */
import { spawn, type ChildProcessByStdio, type SpawnOptionsWithStdioTuple, type StdioNull, type StdioPipe } from "node:child_process";
import type { Readable } from "node:stream";
import { KILL_GRACE_MS } from "../domain/processes/left-groups.js";
import { signalGroup } from "../domain/processes/process-stat.js";

export type GroupChild = ChildProcessByStdio<null, Readable, Readable>;

/** Spawns `command` as a process group leader, stdin closed and stdout/stderr piped. */
export function spawnGroup(
  command: string,
  args: string[],
  options: Omit<SpawnOptionsWithStdioTuple<StdioNull, StdioPipe, StdioPipe>, "stdio" | "detached">,
): GroupChild {
  return spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"], detached: true });
}

/** SIGTERM to every process of the group led by `pid`, then SIGKILL to those still there after graceMs. */
export function killGroup(pid: number, graceMs = KILL_GRACE_MS): void {
  if (!signalGroup(pid, "SIGTERM")) return;
  // Not unref'd: the SIGKILL must happen even when it is the last thing this process does.
  setTimeout(() => {
    signalGroup(pid, "SIGKILL");
  }, graceMs);
}

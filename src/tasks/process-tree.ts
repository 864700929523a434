/**
 * Runs a command as the leader of its own process group, so that it can be stopped together with
 * everything it started: killing the child alone would leave a script's own children (a `sleep`, a
 * backgrounded tool) running after the task has ended. POSIX only (process groups).
 */
import { spawn, type ChildProcessByStdio, type SpawnOptionsWithStdioTuple, type StdioNull, type StdioPipe } from "node:child_process";
import type { Readable } from "node:stream";

/** How long the group has to end after SIGTERM before it gets SIGKILL. */
export const KILL_GRACE_MS = 2000;

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
    if (signalGroup(pid, 0)) signalGroup(pid, "SIGKILL");
  }, graceMs);
}

/** Sends `signal` to the group; false when the group has no process left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/**
 * Runs a command as the leader of its own process group, so that it can be stopped together with
 * everything it started: killing the child alone would leave a script's own children (a `sleep`, a
 * backgrounded tool) running after the task has ended. POSIX only (process groups). In the kernel so
 * that the task handlers and the connectors (fulfilment scripts) stop their scripts the same way.
 */
import { spawn, type ChildProcessByStdio, type SpawnOptionsWithStdioTuple, type StdioNull, type StdioPipe } from "node:child_process";
import type { Readable, Writable } from "node:stream";

/** How long a group has to end after SIGTERM before it gets SIGKILL (as for a cancelled script). */
export const KILL_GRACE_MS = 2000;

export type GroupChild = ChildProcessByStdio<null, Readable, Readable>;
export type GroupChildWithInput = ChildProcessByStdio<Writable, Readable, Readable>;

type GroupOptions = Omit<SpawnOptionsWithStdioTuple<StdioNull, StdioPipe, StdioPipe>, "stdio" | "detached">;

/** Spawns `command` as a process group leader, stdin closed and stdout/stderr piped. */
export function spawnGroup(command: string, args: string[], options: GroupOptions): GroupChild {
  return spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"], detached: true });
}

/** The same with stdin piped: the caller writes the script's input, then ends it. */
export function spawnGroupWithInput(command: string, args: string[], options: GroupOptions): GroupChildWithInput {
  return spawn(command, args, { ...options, stdio: ["pipe", "pipe", "pipe"], detached: true });
}

/** After the leader exits, how long a process it left running may keep its output open before we stop reading. */
export const DRAIN_MS = 1000;

/**
 * Stops reading the child's output DRAIN_MS after it exits: a process it started in the background
 * inherits its stdout and stderr, and "close" would otherwise wait for that process to end too.
 * Returns what cancels the wait (call it on "close").
 */
export function stopReadingAfterExit(child: GroupChild | GroupChildWithInput): () => void {
  let drain: NodeJS.Timeout | undefined;
  child.once("exit", () => {
    drain = setTimeout(() => {
      child.stdout.destroy();
      child.stderr.destroy();
    }, DRAIN_MS);
  });
  return () => clearTimeout(drain);
}

/** SIGTERM to every process of the group led by `pid`, then SIGKILL to those still there after graceMs. */
export function killGroup(pid: number, graceMs = KILL_GRACE_MS): void {
  if (!signalGroup(pid, "SIGTERM")) return;
  // Not unref'd: the SIGKILL must happen even when it is the last thing this process does.
  setTimeout(() => {
    signalGroup(pid, "SIGKILL");
  }, graceMs);
}

/** Sends `signal` to the group; false when the group has no process left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

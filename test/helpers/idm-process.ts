/** The built CLI run as a child process, as a user runs it (`npm test` builds dist/ first). */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const IDM = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
export const DEMO = fileURLToPath(new URL("../../conf-samples/demo", import.meta.url));

export interface IdmResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function idm(cwd: string, ...args: string[]): IdmResult {
  const result = spawnSync(process.execPath, [IDM, ...args], { cwd, encoding: "utf8" });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Starts idm without blocking the test, so that several can run at once or one can be signalled. */
export function startIdm(cwd: string, args: string[], onStderr?: (text: string) => void): { child: ChildProcess; result: Promise<IdmResult> } {
  const child = spawn(process.execPath, [IDM, ...args], { cwd });
  const result = new Promise<IdmResult>((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, result };
}

/** Runs idm without blocking the test; onStderr sees the error output so far, and may kill the process. */
export function idmAsync(cwd: string, args: string[], onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<IdmResult> {
  const { child, result } = startIdm(cwd, args, (text) => onStderr?.(text, (signal) => child.kill(signal)));
  return result;
}

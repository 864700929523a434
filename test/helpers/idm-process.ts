/** The built CLI run as a child process, as a user runs it (`npm test` builds dist/ first). */
import { spawn, spawnSync } from "node:child_process";
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

/** Runs idm without blocking the test, so that several can run at once; onStderr sees output as it comes. */
export function idmAsync(cwd: string, args: string[], onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<IdmResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [IDM, ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

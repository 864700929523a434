/**
 * The programs that run a script, chosen by its extension: PowerShell, bash or Node.js. Shared by
 * InvokeExpressionTask and the script fulfilment package, so that a script runs the same way in both.
 */

export interface ScriptLaunch {
  command: string;
  args: string[];
}

export type Interpreter = (script: string) => ScriptLaunch;

const pwsh: Interpreter = (script) => ({ command: "pwsh", args: ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", script] });
const bash: Interpreter = (script) => ({ command: "bash", args: [script] });
const node: Interpreter = (script) => ({ command: process.execPath, args: [script] });

export const INTERPRETERS: ReadonlyMap<string, Interpreter> = new Map([
  [".ps1", pwsh],
  [".sh", bash],
  [".js", node],
  [".mjs", node],
  [".cjs", node],
]);

/** The interpreters by name, for a setting that names one whatever the script's extension. */
export const NAMED_INTERPRETERS: ReadonlyMap<string, Interpreter> = new Map([
  ["pwsh", pwsh],
  ["bash", bash],
  ["node", node],
]);

/**
 * Files that a deployed configuration names (a script, a SQL file) must lie under allowed folders:
 * the configuration must not be able to run or read any file of the host. Shared by the task
 * handlers that read such files; the rule is InvokeExpressionTask's (README, Tasks.ScriptRoots).
 */
import { realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { settingsOrigin } from "../config/settings.js";
import { localPath, UnmappedWindowsPathError } from "../config/windows-paths.js";
import { isSameOrUnder, isUnder, realOfDeepestExisting, realOrSame } from "../domain/confined-path.js";
import type { TaskContext } from "./task-handler.js";

export interface FileKind {
  /** The file in messages: "script", "SQLInputFile". */
  noun: string;
  /** Completes "outside the folders …": "scripts may run from". */
  folders: string;
}

export const SCRIPT: FileKind = { noun: "script", folders: "scripts may run from" };

/** The folder relative paths of the configuration are read from: the deployed folder, else the working directory. */
export function configurationFolder(context: Pick<TaskContext, "paths">): string {
  return context.paths.configuration === undefined ? process.cwd() : resolve(context.paths.configuration);
}

/** Tasks.ScriptRoots, resolved; without it `defaults` (InvokeExpressionTask's: the configuration folder and Paths.Work). */
export function scriptRoots(context: Pick<TaskContext, "paths" | "settings">, defaults: string[] = [configurationFolder(context), resolve(context.paths.work)]): string[] {
  return context.settings.tasks.scriptRoots?.map((root) => resolve(root)) ?? defaults;
}

/**
 * The real path of `input` (resolved against `folder`), refused when it, or the file a symlink points
 * to, is outside every root. Outside comes before missing, so that a configuration cannot probe which
 * files exist elsewhere.
 */
export function locateAllowedFile(input: string, folder: string, roots: string[], kind: FileKind = SCRIPT): string {
  const path = resolve(folder, input);
  const realRoots = roots.map(realOrSame);
  const outside = () =>
    new Error(
      `${kind.noun} ${input} is outside the folders ${kind.folders} (${roots.join(", ") || "none"});` +
        " Tasks.ScriptRoots in the settings lists them",
    );
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!isUnder(path, [...roots, ...realRoots])) throw outside();
    if (code === "ENOENT" || code === "ENOTDIR") throw new Error(`${kind.noun} ${input} does not exist (${path})`, { cause: error });
    throw new Error(`cannot read ${kind.noun} ${input} (${path}): ${(error as Error).message}`, { cause: error });
  }
  if (!isUnder(real, realRoots)) throw outside();
  if (!statSync(real).isFile()) throw new Error(`${kind.noun} ${input} is not a file (${real})`);
  return real;
}

/**
 * A path a task will write (`input`, resolved against `folder`), refused unless it lies under one of
 * `roots` once the symlinks of its deepest existing folder are resolved: a configuration must not be
 * able to write files anywhere on the host. `what` names it in the message, e.g. "OutputPath /etc".
 */
export function confineOutput(input: string, folder: string, roots: string[], what: string): string {
  const path = resolve(folder, input);
  const realRoots = roots.map((root) => realOrSame(resolve(root)));
  if (!isSameOrUnder(realOfDeepestExisting(path), realRoots)) {
    throw new Error(`${what} is outside the folders tasks may write to (${roots.map((root) => resolve(root)).join(", ")}); Tasks.OutputRoots in the settings adds folders`);
  }
  return path;
}

/** The folders a task's output attributes may name: the job's folders and Tasks.OutputRoots. */
export function outputRoots(context: Pick<TaskContext, "paths" | "settings">): string[] {
  return [context.paths.work, context.paths.temp, context.paths.export, ...(context.settings.tasks.outputRoots ?? [])];
}

/**
 * A path attribute as the configuration writes it, made local before it is located or confined:
 * a Windows path through Paths.WindowsPrefixes (windows-paths.ts), refused when no prefix maps it.
 * `what` names it in that message: "InvokeExpressionTask HR_PreCollect: InputPath".
 */
export function configuredPath(context: Pick<TaskContext, "settings">, value: string, what: string): string {
  try {
    return localPath(value, context.settings.paths.windowsPrefixes ?? [], what);
  } catch (error) {
    if (error instanceof UnmappedWindowsPathError) throw new UnmappedWindowsPathError(`${error.message}; ${settingsOrigin(context.settings)}`);
    throw error;
  }
}

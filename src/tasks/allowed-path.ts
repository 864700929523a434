/**
 * Files that a deployed configuration names (a script, a SQL file) must lie under allowed folders:
 * the configuration must not be able to run or read any file of the host. Shared by the task
 * handlers that read such files; the rule is InvokeExpressionTask's (README, Tasks.ScriptRoots).
 */
import { realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

export interface FileKind {
  /** The file in messages: "script", "SQLInputFile". */
  noun: string;
  /** Completes "outside the folders …": "scripts may run from". */
  folders: string;
}

export const SCRIPT: FileKind = { noun: "script", folders: "scripts may run from" };

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

/** Whether path is strictly inside one of the roots. */
export function isUnder(path: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, path);
    return rel !== "" && rel.split(sep)[0] !== ".." && !isAbsolute(rel);
  });
}

function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

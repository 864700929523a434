import { isAbsolute, relative, resolve, sep } from "node:path";
import { CliError } from "./cli-error.js";

/**
 * `--scope` names a folder: a path under the configuration folder as seen from the working
 * directory, or else relative to the configuration folder. Returned relative, with forward slashes.
 */
export function scopeOf(dir: string, scope: string | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const fromCwd = relative(resolve(dir), resolve(scope));
  const inside = !fromCwd.startsWith("..") && !isAbsolute(fromCwd);
  const relativePath = inside ? fromCwd : isAbsolute(scope) ? undefined : scope;
  if (relativePath === undefined || relativePath.startsWith("..")) throw new CliError(`--scope ${scope} is not inside ${dir}`);
  return relativePath.split(sep).join("/").replace(/\/+$/, "");
}

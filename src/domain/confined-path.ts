/**
 * Whether a path stays inside a folder once symbolic links are resolved. A file name made of a
 * configuration identifier cannot climb out of its folder (validate refuses separators and `..`), but
 * a symbolic link inside the folder can: `<Paths.Export>/HR_Person.csv -> /etc/shadow`. The kernel
 * holds the check so that the domain (prepare, the batch queue, synchronize), the connectors and
 * the task handlers share it.
 */
import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** A path that resolves outside the folder it was built in. */
export class OutsideFolderError extends Error {}

/**
 * `path` itself, refused unless it lies, symlinks of its deepest existing ancestor resolved, in
 * `root` (itself resolved): a file not written yet is judged by the folder it will be written in.
 */
export function confineTo(path: string, root: string): string {
  const realRoot = realOrSame(resolve(root));
  const real = realOfDeepestExisting(resolve(path));
  if (!isSameOrUnder(real, [realRoot])) {
    throw new OutsideFolderError(
      `${path} resolves to ${real}, outside the folder ${root} (a symbolic link leads out of it): refused, nothing is read or written through it`,
    );
  }
  return path;
}

/** Whether path is strictly inside one of the roots. */
export function isUnder(path: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, path);
    return rel !== "" && rel.split(sep)[0] !== ".." && !isAbsolute(rel);
  });
}

/** Whether path is one of the roots or inside one. */
export function isSameOrUnder(path: string, roots: string[]): boolean {
  return roots.some((root) => resolve(path) === resolve(root)) || isUnder(path, roots);
}

/** The real path, or the path as it is when it does not exist (yet). */
export function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Links followed at most while resolving one path (Linux's own limit): a loop ends there. */
const MAX_LINKS = 40;

/**
 * The path with its deepest existing ancestor replaced by that ancestor's real path. A dangling
 * symbolic link on the way counts as where it points: writing through it would create its target.
 */
export function realOfDeepestExisting(path: string, links = 0): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch {
      const target = linkTarget(existing);
      if (target !== undefined && links < MAX_LINKS) {
        return realOfDeepestExisting(join(resolve(dirname(existing), target), ...rest.reverse()), links + 1);
      }
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.push(basename(existing));
      existing = parent;
    }
  }
}

function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

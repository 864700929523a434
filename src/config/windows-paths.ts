/**
 * Windows paths in a configuration written for the product, which runs on Windows: the setting
 * Paths.WindowsPrefixes maps Windows path prefixes (`D:\Conf`, `\\server\share\idm`) to local
 * folders, so that `InputPath="D:\Conf\Scripts\HR_PreCollect.ps1"` runs unchanged. Prefixes match
 * whole folders, in any case, written with either slash; the longest matching prefix wins; what
 * follows it becomes `/`-separated below the local folder. A relative path written with backslashes
 * (`Scripts\HR.ps1`) has them read as separators. The mapped path is then confined like any other.
 */
import { join, win32 } from "node:path";

export const WINDOWS_PREFIXES_SETTING = "Paths.WindowsPrefixes";

export interface WindowsPrefix {
  /** As written in the settings, for messages. */
  written: string;
  /** Normalized for matching: backslashes, lower case, no trailing separator. */
  key: string;
  /** The local folder it stands for (relative to the working directory, as the other Paths). */
  folder: string;
}

/** `C:\…`, `C:/…`, `C:` alone, or a UNC `\\server\share…` (also `//server/share`). */
const DRIVE = /^[A-Za-z]:(?:[\\/]|$)/;
const UNC = /^(?:\\\\|\/\/)[^\\/]+[\\/][^\\/]+/;
/** `D:Scripts\x.ps1`: relative to the current folder of drive D, which means nothing here. */
const DRIVE_RELATIVE = /^[A-Za-z]:[^\\/]/;

export function isWindowsAbsolutePath(path: string): boolean {
  return DRIVE.test(path) || UNC.test(path) || DRIVE_RELATIVE.test(path);
}

/** `D:` alone is the drive's root, not its current folder (which win32.normalize would keep as `D:.`). */
function normalized(path: string): string {
  return win32.normalize(/^[A-Za-z]:$/.test(path) ? `${path}\\` : path).replace(/\//g, "\\");
}

function matchKey(path: string): string {
  return normalized(path).replace(/\\+$/, "").toLowerCase();
}

/** Reads the setting: an object of Windows prefix → local folder. */
export function readWindowsPrefixes(value: unknown, name = WINDOWS_PREFIXES_SETTING): WindowsPrefix[] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`setting ${name} must be an object of Windows path prefix → local folder, such as { "D:\\\\Conf": "/srv/idm/conf" }`);
  }
  const prefixes = Object.entries(value).map(([written, folder]): WindowsPrefix => {
    if (!(DRIVE.test(written) || UNC.test(written))) {
      throw new Error(`setting ${name}: "${written}" is not a Windows path prefix: write a drive (D:\\\\Conf) or a share (\\\\\\\\server\\\\share)`);
    }
    if (typeof folder !== "string" || folder === "") throw new Error(`setting ${name}.${written} must be a local folder path, not ${JSON.stringify(folder)}`);
    return { written, key: matchKey(written), folder };
  });
  const seen = new Map<string, string>();
  for (const p of prefixes) {
    const other = seen.get(p.key);
    if (other !== undefined) throw new Error(`setting ${name}: "${other}" and "${p.written}" are the same prefix (prefixes ignore case and slashes)`);
    seen.set(p.key, p.written);
  }
  // Longest first: D:\Conf\Scripts wins over D:\Conf.
  return prefixes.sort((a, b) => b.key.length - a.key.length);
}

export class UnmappedWindowsPathError extends Error {}

/**
 * The local path of `path`: itself when it is not a Windows path, the mapped folder when a prefix
 * matches. `what` names the attribute or setting in the message ("InvokeExpressionTask HR InputPath").
 */
export function localPath(path: string, prefixes: readonly WindowsPrefix[], what: string): string {
  if (!isWindowsAbsolutePath(path)) return path.includes("\\") ? path.replace(/\\/g, "/") : path;
  const unmapped = (why: string) =>
    new UnmappedWindowsPathError(
      `${what} ${path} is a Windows path ${why}; ${WINDOWS_PREFIXES_SETTING} in the settings maps Windows prefixes to local folders ` +
        `(${prefixes.length === 0 ? "it maps none" : `it maps ${prefixes.map((p) => p.written).join(", ")}`}), e.g. { "D:\\\\Conf": "/srv/idm/conf" }`,
    );
  if (DRIVE_RELATIVE.test(path)) throw unmapped("relative to a drive's current folder, which has no meaning here: write it from the drive's root");
  const key = matchKey(path);
  const prefix = prefixes.find((p) => key === p.key || key.startsWith(`${p.key}\\`));
  if (prefix === undefined) throw unmapped("that no prefix maps");
  const rest = normalized(path).slice(prefix.key.length).split("\\").filter((part) => part !== "");
  return rest.length === 0 ? prefix.folder : join(prefix.folder, ...rest);
}

/** A Windows path that no prefix maps, or undefined: validate's warning, before a run fails on it. */
export function unmappedWindowsPath(path: string, prefixes: readonly WindowsPrefix[], what: string): string | undefined {
  try {
    localPath(path, prefixes, what);
    return undefined;
  } catch (error) {
    if (error instanceof UnmappedWindowsPathError) return error.message;
    throw error;
  }
}

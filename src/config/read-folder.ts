/**
 * Finds the configuration files of a folder: every *.xml below it, hidden folders and
 * node_modules excepted. Symbolic links are followed only when they stay inside the folder.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface ConfigFile {
  /** Path relative to the folder, with forward slashes: what problems and items report. */
  file: string;
  path: string;
}

/** `exclude`: a folder below `root` whose files are not the configuration's (the modules folder inside it). */
export function listConfigFiles(root: string, exclude?: string): ConfigFile[] {
  const realRoot = realpathSync(root);
  const excluded = exclude === undefined ? undefined : safeRealpath(exclude);
  const files: ConfigFile[] = [];
  const visited = new Set<string>([realRoot]);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (excluded !== undefined && safeRealpath(path) === excluded) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = safeRealpath(path);
        if (target === undefined || !isInside(realRoot, target) || visited.has(target)) continue;
        const stat = statSync(target);
        isDir = stat.isDirectory();
        isFile = stat.isFile();
        if (isDir) visited.add(target);
      }
      if (isDir) walk(path);
      else if (isFile && entry.name.toLowerCase().endsWith(".xml")) {
        files.push({ file: relative(root, path).split(sep).join("/"), path });
      }
    }
  };
  walk(root);
  return files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined; // a dangling link is no configuration file
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/**
 * Where module elements (<BootstrapModule/>) find their XML: the modules folder holds one folder per
 * module, named after the element without "Module" (Bootstrap/, Workforce/), every *.xml below it
 * read like a configuration file. The modules folder is the setting Paths.Modules when set (relative
 * to the working directory, as every path setting), else `<configuration>/Modules/` when it exists
 * (then not part of the configuration's own files), else `<configuration>/../Modules/`.
 * Module files are named relative to the configuration folder (`../Modules/Bootstrap/Agents.xml`),
 * so a problem in one says that it is a module's.
 */
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { listConfigFiles, type ConfigFile } from "./read-folder.js";
import { moduleFolderName } from "./read-configuration.js";

export interface ModuleFolder {
  name: string;
  /** Relative to the configuration folder, forward slashes; undefined when the folder is missing. */
  folder?: string;
  files: ConfigFile[];
}

/** The modules folder for a configuration folder (see the header). */
export function modulesFolder(configurationFolder: string, setting?: string): string {
  if (setting !== undefined) return resolve(setting);
  const inside = join(configurationFolder, "Modules");
  return isDirectory(inside) ? resolve(inside) : resolve(configurationFolder, "..", "Modules");
}

/** Each module's files; `names` are the module elements the configuration holds, each once. */
export function moduleFolders(configurationFolder: string, names: Iterable<string>, setting?: string): ModuleFolder[] {
  const base = modulesFolder(configurationFolder, setting);
  return [...new Set(names)].sort().map((name) => {
    const path = join(base, moduleFolderName(name));
    if (!isDirectory(path)) return { name, files: [] };
    const folder = relative(configurationFolder, path).split(sep).join("/");
    const files = listConfigFiles(path).map((f) => ({ file: `${folder}/${f.file}`, path: f.path }));
    return { name, folder, files };
  });
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** `idm validate`: every problem of a configuration folder, in one pass. */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkExpressions } from "./check-expressions.js";
import { checkOrphanTasks } from "./check-orphan-tasks.js";
import { checkReferences } from "./check-references.js";
import { checkTaskEncodings, checkTaskSettings } from "./check-task-settings.js";
import { checkUiWorkflows } from "./check-ui-workflows.js";
import { checkWindowsPaths } from "./check-windows-paths.js";
import { itemCount, type Configuration } from "./configuration.js";
import { checkFileSize, DEFAULT_VALIDATION_LIMITS, parseConfigFile, type ParseLimits, type ValidationLimits } from "./parse-config-file.js";
import { compareProblems, type Problem } from "./problems.js";
import { listConfigFiles } from "./read-folder.js";
import { MODULE_ELEMENTS, readConfiguration, type LoadedModule, type ParsedRoot } from "./read-configuration.js";
import { moduleFolders, modulesFolder } from "./module-files.js";
import { expandScaffoldings } from "./scaffoldings/expand.js";
import { loadCatalog } from "./schema/catalog.js";
import { decodeConfigBytes } from "./source-text.js";
import type { SourceFingerprint } from "./source-fingerprint.js";
import type { Settings } from "./settings.js";
import { loadVocabulary } from "./vocabulary.js";

/** A file's text again, read only when a problem must point inside an attribute value. */
function readSourceText(path: string): string | undefined {
  try {
    const decoded = decodeConfigBytes(readFileSync(path));
    return decoded.ok ? decoded.text : undefined;
  } catch {
    return undefined;
  }
}

export interface ValidationResult {
  valid: boolean;
  files: number;
  items: number;
  problems: Problem[];
  configuration: Configuration;
}

/**
 * With `settings`, task attributes are also checked against them (see check-task-settings.ts); with
 * `fingerprint`, every file read is added to it (a deploy's, see source-fingerprint.ts).
 */
export function validateFolder(
  root: string,
  limits: ParseLimits & Partial<ValidationLimits> = DEFAULT_VALIDATION_LIMITS,
  settings?: Pick<Settings, "databases" | "fromFile"> & Partial<Pick<Settings, "paths" | "source">>,
  fingerprint?: SourceFingerprint,
): ValidationResult {
  const problems: Problem[] = [];
  const roots: ParsedRoot[] = [];
  const modulesSetting = settings?.paths?.modules;
  const modulesAt = modulesFolder(root, modulesSetting);
  const files = listConfigFiles(root, modulesAt);
  const sizes = files.map((f) => statSync(f.path).size);
  const overFolder = checkFolderSize(files.map((f) => f.file), sizes, limits.maxFolderBytes ?? DEFAULT_VALIDATION_LIMITS.maxFolderBytes);
  for (const [i, { file, path }] of (overFolder ? [] : files).entries()) {
    const tooLarge = checkFileSize(file, sizes[i]!, limits);
    if (tooLarge) {
      problems.push(tooLarge);
      continue;
    }
    const bytes = readFileSync(path);
    fingerprint?.add("configuration", file, bytes);
    const parsed = parseConfigFile(file, bytes, limits);
    problems.push(...parsed.problems);
    if (parsed.root) roots.push({ file, root: parsed.root });
  }
  if (overFolder) problems.push(overFolder);
  const modules = loadModules(root, roots, modulesSetting, limits, problems, fingerprint);
  const catalog = loadCatalog();
  const configuration = readConfiguration(files.map((f) => f.file), roots, catalog, loadVocabulary(), problems, modules);
  expandScaffoldings(configuration, catalog, problems);
  checkReferences(configuration, problems);
  checkUiWorkflows(configuration, problems);
  checkOrphanTasks(configuration, problems);
  checkExpressions(configuration, problems, (file) => readSourceText(join(root, file)));
  checkTaskEncodings(configuration, problems);
  if (settings) checkTaskSettings(configuration, settings, problems);
  if (settings) checkWindowsPaths(configuration, settings, problems);
  problems.sort(compareProblems);
  return {
    valid: !problems.some((p) => p.severity === "error"),
    files: files.length,
    items: itemCount(configuration),
    problems,
    configuration,
  };
}

/** The XML of every module element the configuration holds, parsed under the same limits. */
function loadModules(
  root: string, roots: ParsedRoot[], setting: string | undefined, limits: ParseLimits, problems: Problem[], fingerprint: SourceFingerprint | undefined,
): LoadedModule[] {
  const names = roots.flatMap((r) => r.root.children.filter((c) => MODULE_ELEMENTS.has(c.name)).map((c) => c.name));
  if (names.length === 0) return [];
  return moduleFolders(root, names, setting).map(({ name, folder, files }) => {
    const moduleRoots: ParsedRoot[] = [];
    for (const { file, path } of files) {
      const tooLarge = checkFileSize(file, statSync(path).size, limits);
      if (tooLarge) {
        problems.push(tooLarge);
        continue;
      }
      const bytes = readFileSync(path);
      fingerprint?.add(`module ${name}`, file, bytes);
      const parsed = parseConfigFile(file, bytes, limits);
      problems.push(...parsed.problems);
      if (parsed.root) moduleRoots.push({ file, root: parsed.root });
    }
    return { name, ...(folder !== undefined ? { folder } : {}), roots: moduleRoots };
  });
}

/** The folder is refused whole, at the file that takes its total over the limit: no file is read. */
function checkFolderSize(files: string[], sizes: number[], maxFolderBytes: number): Problem | undefined {
  let total = 0;
  for (const [i, size] of sizes.entries()) {
    total += size;
    if (total <= maxFolderBytes) continue;
    const all = sizes.reduce((a, b) => a + b, 0);
    return {
      code: "file-too-large",
      severity: "error",
      message: `the folder's XML files total ${all} bytes; the limit is ${maxFolderBytes}`,
      hint: "split the configuration into several folders, or raise the setting Validation.MaxFolderBytes",
      file: files[i]!,
      line: 1,
      column: 1,
    };
  }
  return undefined;
}

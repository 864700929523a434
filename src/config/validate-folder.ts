/** `idm validate`: every problem of a configuration folder, in one pass. */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkExpressions } from "./check-expressions.js";
import { checkReferences } from "./check-references.js";
import { checkTaskEncodings, checkTaskSettings } from "./check-task-settings.js";
import { itemCount, type Configuration } from "./configuration.js";
import { checkFileSize, DEFAULT_PARSE_LIMITS, parseConfigFile, type ParseLimits } from "./parse-config-file.js";
import { compareProblems, type Problem } from "./problems.js";
import { listConfigFiles } from "./read-folder.js";
import { readConfiguration, type ParsedRoot } from "./read-configuration.js";
import { loadCatalog } from "./schema/catalog.js";
import { decodeConfigBytes } from "./source-text.js";
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

/** With `settings`, task attributes are also checked against them (see check-task-settings.ts). */
export function validateFolder(root: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS, settings?: Pick<Settings, "databases" | "fromFile">): ValidationResult {
  const problems: Problem[] = [];
  const roots: ParsedRoot[] = [];
  const files = listConfigFiles(root);
  for (const { file, path } of files) {
    const tooLarge = checkFileSize(file, statSync(path).size, limits);
    if (tooLarge) {
      problems.push(tooLarge);
      continue;
    }
    const parsed = parseConfigFile(file, readFileSync(path), limits);
    problems.push(...parsed.problems);
    if (parsed.root) roots.push({ file, root: parsed.root });
  }
  const configuration = readConfiguration(files.map((f) => f.file), roots, loadCatalog(), loadVocabulary(), problems);
  checkReferences(configuration, problems);
  checkExpressions(configuration, problems, (file) => readSourceText(join(root, file)));
  checkTaskEncodings(configuration, problems);
  if (settings) checkTaskSettings(configuration, settings, problems);
  problems.sort(compareProblems);
  return {
    valid: !problems.some((p) => p.severity === "error"),
    files: files.length,
    items: itemCount(configuration),
    problems,
    configuration,
  };
}

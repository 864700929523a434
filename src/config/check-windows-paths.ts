/**
 * Path attributes written as Windows paths that Paths.WindowsPrefixes does not map: a warning at
 * validate, where the run would fail (windows-paths.ts). The configuration itself is valid: the
 * mapping is the host's business, and the same folder may be validated where the settings differ.
 */
import { position } from "./check-attributes.js";
import type { ConfigElement, Configuration } from "./configuration.js";
import type { Problem } from "./problems.js";
import { settingsOrigin, type Settings } from "./settings.js";
import { isWindowsAbsolutePath, unmappedWindowsPath } from "./windows-paths.js";
import { findAttribute } from "./xml-tree.js";

/** The attributes of the vocabulary that name a file or a folder of the host. */
const PATH_ATTRIBUTES: ReadonlySet<string> = new Set([
  "InputPath", "SQLInputFile", "OutputPath", "ConfigurationDirectory", "GeneratedFile", "GeneratedCodePath", "WorkingDirectory",
  "LdifFilePath", "Path", "JsonPath", "ScriptFile",
]);

export function checkWindowsPaths(configuration: Configuration, settings: Partial<Pick<Settings, "paths" | "source">>, problems: Problem[]): void {
  const prefixes = settings.paths?.windowsPrefixes ?? [];
  const visit = (element: ConfigElement): void => {
    for (const [name, value] of Object.entries(element.attributes)) {
      if (!PATH_ATTRIBUTES.has(name) || typeof value !== "string" || !isWindowsAbsolutePath(value)) continue;
      const identifier = element.spec.identifierAttribute === undefined ? undefined : element.attributes[element.spec.identifierAttribute];
      const message = unmappedWindowsPath(value, prefixes, `${element.spec.name}${identifier === undefined ? "" : ` "${String(identifier)}"`} ${name}`);
      if (message === undefined) continue;
      problems.push({
        code: "unmapped-windows-path", severity: "warning", message: `${message}; ${settingsOrigin(settings)}`,
        ...position(findAttribute(element.xml, name) ?? element.xml),
      });
    }
    for (const child of element.children) visit(child);
  };
  for (const task of configuration.tasks) visit(task.element);
  for (const job of configuration.jobs) for (const step of job.steps) if (step.kind === "override") visit(step.element);
  for (const model of configuration.models) visit(model);
}

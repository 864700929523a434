/**
 * Checks of task attributes that the schemas cannot make: against the runtime settings (made only
 * when a settings file was read: a configuration is often validated on a workstation that has none),
 * and against the encodings the tasks can write.
 */
import { closestName } from "./did-you-mean.js";
import { position } from "./check-attributes.js";
import type { Configuration } from "./configuration.js";
import type { Problem } from "./problems.js";
import type { Settings } from "./settings.js";
import { isKnownEncoding } from "./text-encoding.js";
import { findAttribute } from "./xml-tree.js";

export function checkTaskSettings(configuration: Configuration, settings: Pick<Settings, "databases" | "fromFile">, problems: Problem[]): void {
  if (!settings.fromFile) return;
  const known = Object.keys(settings.databases);
  for (const task of configuration.tasks) {
    const database = task.element.attributes.DatabaseIdentifier;
    if (task.type !== "InvokeSqlCommandTask" || typeof database !== "string" || known.includes(database)) continue;
    const closest = closestName(database, known);
    problems.push({
      code: "unknown-database",
      severity: "error",
      message: `${task.type} "${task.identifier}": DatabaseIdentifier ${database} is not in the settings' Databases (${known.length === 0 ? "none is" : `${known.join(", ")} are`})`,
      hint: closest ? `did you mean ${closest}?` : `add "Databases": { "${database}": "<database URL>" } to the settings`,
      ...position(findAttribute(task.element.xml, "DatabaseIdentifier") ?? task.element.xml),
    });
  }
}

/** Encoding names the task could not write: the same list the task uses (iconv-lite's, and .NET's `unicode`). */
export function checkTaskEncodings(configuration: Configuration, problems: Problem[]): void {
  for (const task of configuration.tasks) {
    const encoding = task.element.attributes.Encoding;
    if (typeof encoding !== "string" || isKnownEncoding(encoding)) continue;
    problems.push({
      code: "invalid-value",
      severity: "error",
      message: `${task.type} "${task.identifier}": Encoding "${encoding}" is not an encoding idm-toolkit can write`,
      hint: "write utf-8 (the default), utf-16, latin1, windows-1252 or another name iconv-lite knows",
      ...position(findAttribute(task.element.xml, "Encoding") ?? task.element.xml),
    });
  }
}

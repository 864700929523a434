import type { Command } from "commander";
import { validateFolder } from "../../config/validate-folder.js";
import { checkFolder, settingsOf } from "../context.js";
import { formatProblem, plural } from "../format-problems.js";

export function validate(program: Command, dir: string, options: { json?: boolean }): void {
  checkFolder(dir);
  const settings = settingsOf(program);
  const result = validateFolder(dir, settings.validation, settings);
  if (options.json) {
    const { valid, files, items, problems } = result;
    process.stdout.write(`${JSON.stringify({ valid, files, items, problems }, null, 2)}\n`);
  } else {
    for (const problem of result.problems) process.stdout.write(`${formatProblem(problem)}\n`);
    const errors = result.problems.filter((p) => p.severity === "error").length;
    const warnings = result.problems.length - errors;
    const c = result.configuration;
    process.stdout.write(
      `${result.valid ? "valid" : "invalid"}: ${plural(result.files, "file")}, ${plural(result.items, "item")} ` +
        `(${plural(c.jobs.length, "job")}, ${plural(c.tasks.length, "task")}, ${plural(c.models.length, "model element")}), ` +
        `${plural(errors, "error")}, ${plural(warnings, "warning")}\n`,
    );
  }
  process.exitCode = result.valid ? 0 : 1;
}

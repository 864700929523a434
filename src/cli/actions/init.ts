/**
 * `idm init [dir]`: copies the starter configuration of templates/init/ (real files, shipped in the
 * package) into a new or empty folder, with the editor XSD, then validates it and prints the next
 * commands. It never writes into a folder that holds anything: a starter must not mix with old files.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSettings } from "../../config/settings.js";
import { validateFolder } from "../../config/validate-folder.js";
import { CliError } from "../cli-error.js";
import { EXIT_CANNOT_CREATE } from "../exit-codes.js";
import { formatProblem, plural } from "../format-problems.js";

// src/cli/actions and dist/cli/actions are both three levels under the package root.
const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TEMPLATE = join(PACKAGE_ROOT, "templates", "init");
const XSD = join(PACKAGE_ROOT, "schema", "identitymanager-configuration.xsd");
/** Where the XSD is copied, as .vscode/settings.json names it (xml.fileAssociations). */
const XSD_COPY = join(".vscode", "identitymanager-configuration.xsd");

export function init(dir: string): void {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new CliError(`${dir} is a file: idm init writes into a new or empty folder`, EXIT_CANNOT_CREATE);
    const entries = readdirSync(target);
    if (entries.length > 0) {
      const shown = entries.slice(0, 3).join(", ") + (entries.length > 3 ? ", …" : "");
      throw new CliError(`${dir} is not empty (${shown}): idm init writes into a new or empty folder, and overwrites nothing`, EXIT_CANNOT_CREATE);
    }
  }
  mkdirSync(target, { recursive: true });
  cpSync(TEMPLATE, target, { recursive: true, errorOnExist: true, force: false });
  copyFileSync(XSD, join(target, XSD_COPY));
  for (const file of listFiles(target)) process.stdout.write(`wrote ${join(dir, file)}\n`);

  const settings = loadSettings(join(target, "appsettings.json"));
  const result = validateFolder(target, settings.validation, settings);
  for (const problem of result.problems) process.stdout.write(`${formatProblem(problem)}\n`);
  if (!result.valid) throw new CliError(`the configuration written to ${dir} is not valid: please report this`);
  const c = result.configuration;
  process.stdout.write(`valid: ${plural(result.files, "file")}, ${plural(c.jobs.length, "job")}, ${plural(c.tasks.length, "task")}\n\n`);
  const into = relative(process.cwd(), target);
  process.stdout.write([
    "Next:",
    ...(into === "" ? [] : [`  cd ${into}`]),
    "  npx idm deploy                    # into .idm/idm.db of that folder (--database or IDM_DATABASE_URL for another)",
    "  npx idm run People_Synchronize    # the CSV file data/PeopleFile.csv into the resource store",
    "  npx idm run Hello                 # a script",
    "",
  ].join("\n"));
}

/** The files under a folder, relative to it, sorted; the folder is the template just copied (bounded). */
function listFiles(root: string, under = ""): string[] {
  return readdirSync(join(root, under), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(root, join(under, e.name)) : [join(under, e.name)]))
    .sort();
}

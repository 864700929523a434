/**
 * DeployConfigurationTask: deploys a configuration folder from inside a job, through the engine,
 * deletion guard and `deploy` lease of `idm deploy` (runDeploy), then optionally writes the merged
 * configuration (GeneratedFile) and TypeScript declarations of the deployed identifiers
 * (GeneratedCodePath, GeneratedCodeNamespace). The job that runs it keeps running the snapshot
 * taken at its start; the next runs see the new deployment.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { formatPosition, type Problem } from "../config/problems.js";
import { loadCatalog } from "../config/schema/catalog.js";
import type { DeployResult } from "../deploy/apply.js";
import { DeployError } from "../deploy/deploy-error.js";
import { DEFAULT_NAMESPACE, identifierDeclarations, namespaceProblem } from "../deploy/identifier-declarations.js";
import type { FolderItems } from "../deploy/desired-items.js";
import { mergedConfiguration } from "../deploy/merged-configuration.js";
import { readStoredItems } from "../deploy/read-stored.js";
import { DEFAULT_LOCK_TIMEOUT_SECONDS, runDeploy, validateForDeploy, type DeployValidation } from "../deploy/run-deploy.js";
import { LeaseBusyError } from "../store/lease.js";
import { defineTask, nonEmpty, type TaskContext, type TaskOf } from "./task-handler.js";
import { configurationFolder, configuredPath, confineOutput, outputRoots } from "./allowed-path.js";
import { isSameOrUnder, realOrSame } from "../domain/confined-path.js";
import { cancellationError } from "../domain/cancellation.js";

/** How many problems (errors, then warnings) the log and the message show. */
const SHOWN_PROBLEMS = 5;

interface Outputs {
  /** GeneratedFile, resolved. */
  mergedFile?: string;
  /** GeneratedCodePath, resolved, and its namespace. */
  code?: { path: string; namespace: string };
}

export default defineTask<"DeployConfigurationTask">({
  type: "DeployConfigurationTask",
  side: "server",
  async run(context, task) {
    const name = `DeployConfigurationTask ${task.identifier}`;
    const input = nonEmpty(task.attributes.ConfigurationDirectory);
    if (input === undefined) throw new Error(`${name} has no ConfigurationDirectory: the configuration folder to deploy`);
    const base = configurationFolder(context);
    const folder = locateFolder(name, configuredPath(context, input, `${name}: ConfigurationDirectory`), base, context.settings.tasks.configurationRoots ?? []);
    const outputs = readOutputs(name, task, folder, context);
    if (context.signal.aborted) throw cancellationError(context.signal, `${name} was cancelled before deploying`);

    let validation: DeployValidation;
    try {
      validation = validateForDeploy(folder, context.settings);
    } catch (error) {
      throw new Error(`${name}: cannot read ${input} (${folder}): ${(error as Error).message}`, { cause: error });
    }
    const { result, errors, items } = validation;
    const warnings = result.problems.filter((p) => p.severity !== "error");
    if (errors.length > 0) {
      for (const problem of errors.slice(0, SHOWN_PROBLEMS)) context.log("Error", problemLine(problem));
      const more = errors.length > SHOWN_PROBLEMS ? `; ${errors.length - SHOWN_PROBLEMS} more` : "";
      return {
        state: "Error",
        didWork: false,
        message: `${name}: ConfigurationDirectory ${input} has ${plural(errors.length, "error")}, nothing deployed (idm validate ${folder} shows every problem): ` +
          `${errors.slice(0, SHOWN_PROBLEMS).map(problemLine).join("; ")}${more}`,
      };
    }
    for (const problem of warnings.slice(0, SHOWN_PROBLEMS)) context.log("Warning", problemLine(problem));
    if (warnings.length > SHOWN_PROBLEMS) context.log("Warning", `${warnings.length - SHOWN_PROBLEMS} more warnings (idm validate ${folder} shows them)`);
    context.log("Information", `validated ${folder}: ${plural(result.files, "file")}, ${plural(result.items, "item")}`);

    let deployed: DeployResult;
    try {
      deployed = await deployWhenFree(context, folder, items);
    } catch (error) {
      const refusal = refusalOf(error, context);
      if (refusal === undefined) {
        if (context.signal.aborted) throw error;
        throw new Error(`${name}: deploying ${input} failed: ${(error as Error).message}`, { cause: error });
      }
      for (const line of refusal.log) context.log("Error", line);
      return { state: "Error", didWork: false, message: `${name}: ${refusal.message}` };
    }

    const { insert, update, delete: deleted } = deployed.plan.summary;
    const counters: Record<string, number> = { inserted: insert, updated: update, deleted };
    context.progress({ ...counters });
    context.log("Information", deployed.deploymentId === undefined
      ? `nothing to deploy: ${folder} is what is deployed`
      : `deployed ${folder} as deployment ${deployed.deploymentId}: ${insert} inserted, ${update} updated, ${deleted} deleted`);

    if (outputs.mergedFile !== undefined || outputs.code !== undefined) {
      if (context.signal.aborted) {
        const applied = deployed.deploymentId === undefined ? "" : ` (deployment ${deployed.deploymentId} is applied)`;
        context.log("Warning", `cancelled after the deploy${applied}: the generated files are not written`);
        throw cancellationError(context.signal, `${name} was cancelled after the deploy${applied}; the generated files are not written`);
      }
      counters.filesWritten = await writeOutputs(context, name, outputs);
      context.progress({ ...counters });
    }
    const didWork = insert + update + deleted + (counters.filesWritten ?? 0) > 0;
    return { state: "Succeeded", didWork, counters };
  },
});

/**
 * The folder to deploy: ConfigurationDirectory against the configuration folder (the folder the
 * running configuration was deployed from), which it must be or lie under, or under one of
 * Tasks.ConfigurationRoots, symlinks resolved. A deployed configuration must not be able to deploy
 * just any folder of the host.
 */
function locateFolder(name: string, input: string, base: string, otherRoots: string[]): string {
  const path = resolve(base, input);
  let realBase: string;
  try {
    realBase = realpathSync(base);
  } catch (error) {
    throw new Error(`${name}: the configuration folder ${base}, which ConfigurationDirectory is relative to, cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const roots = [base, ...otherRoots.map((root) => resolve(root))];
  const realRoots = [realBase, ...roots.slice(1).map(realOrSame)];
  const outside = () => new Error(
    `${name}: ConfigurationDirectory ${input} is outside the configuration folder ${base}; it must be that folder or a folder under it` +
      (roots.length > 1 ? `, or under ${roots.slice(1).join(", ")}` : "") + " (Tasks.ConfigurationRoots in the settings adds folders)",
  );
  // Outside comes first, so that a configuration cannot probe which folders exist elsewhere.
  if (!isSameOrUnder(path, roots) && !isSameOrUnder(path, realRoots)) throw outside();
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new Error(`${name}: ConfigurationDirectory ${input} does not exist (${path})`, { cause: error });
    throw new Error(`${name}: cannot read ConfigurationDirectory ${input} (${path}): ${(error as Error).message}`, { cause: error });
  }
  if (!isSameOrUnder(real, realRoots)) throw outside();
  if (!statSync(real).isDirectory()) throw new Error(`${name}: ConfigurationDirectory ${input} is not a folder (${path})`);
  return path;
}

/** GeneratedFile and GeneratedCodePath (relative to the working directory), checked before anything is deployed. */
function readOutputs(name: string, task: TaskOf<"DeployConfigurationTask">, folder: string, context: TaskContext): Outputs {
  const outputs: Outputs = {};
  const writtenFile = nonEmpty(task.attributes.GeneratedFile);
  const generatedFile = writtenFile === undefined ? undefined : configuredPath(context, writtenFile, `${name}: GeneratedFile`);
  if (generatedFile !== undefined) {
    const path = resolve(generatedFile);
    // The next deploy of the folder would read the merged file too: every item twice.
    if (path.toLowerCase().endsWith(".xml") && (isSameOrUnder(path, [folder]) || isSameOrUnder(realOrSame(dirname(path)), [realOrSame(folder)]))) {
      throw new Error(`${name}: GeneratedFile ${generatedFile} is inside the deployed folder ${folder}, whose next deploy would read it; write it elsewhere`);
    }
    outputs.mergedFile = confineOutput(generatedFile, process.cwd(), outputRoots(context), `${name}: GeneratedFile ${generatedFile}`);
  }
  const writtenCodePath = nonEmpty(task.attributes.GeneratedCodePath);
  const codePath = writtenCodePath === undefined ? undefined : configuredPath(context, writtenCodePath, `${name}: GeneratedCodePath`);
  const namespace = nonEmpty(task.attributes.GeneratedCodeNamespace);
  if (codePath !== undefined) {
    if (!/\.[cm]?ts$/i.test(codePath)) throw new Error(`${name}: GeneratedCodePath ${codePath} must be a TypeScript file (.ts or .d.ts)`);
    const problem = namespaceProblem(namespace ?? DEFAULT_NAMESPACE);
    if (problem !== undefined) throw new Error(`${name}: GeneratedCodeNamespace ${problem}`);
    outputs.code = { path: confineOutput(codePath, process.cwd(), outputRoots(context), `${name}: GeneratedCodePath ${codePath}`), namespace: namespace ?? DEFAULT_NAMESPACE };
  } else if (namespace !== undefined) {
    context.log("Warning", `GeneratedCodeNamespace ${namespace} is ignored: there is no GeneratedCodePath to write the code to`);
  }
  return outputs;
}

/** The deploy of `idm deploy`, waiting for the `deploy` lease like it does, but giving up at once on a cancel. */
function deployWhenFree(context: TaskContext, folder: string, items: FolderItems): Promise<DeployResult> {
  return runDeploy(context.settings, context.store, items, {
    sourceFolder: folder,
    allowDeletes: false,
    lockTimeoutSeconds: DEFAULT_LOCK_TIMEOUT_SECONDS,
    signal: context.signal,
    onLeaseWait: (busy) => context.log("Information", `waiting for another deploy to finish: ${busy.message}`),
    onApply: ({ summary }) => context.log("Information", `applying: ${summary.insert} to insert, ${summary.update} to update, ${summary.delete} to delete`),
  });
}

/** The deploy's refusals, as the task reports them (it has no --allow-deletes and no --lock-timeout). */
function refusalOf(error: unknown, context: TaskContext): { message: string; log: string[] } | undefined {
  if (error instanceof DeployError && error.code === "deletion-guard") {
    const { maxDeletes, maxDeletePercent } = context.settings.deploy;
    const reason = error.message.replace(/; rerun with --allow-deletes.*$/, "");
    return {
      message: `deletion-guard: ${reason} (Deploy.MaxDeletes ${maxDeletes}, Deploy.MaxDeletePercent ${maxDeletePercent}); nothing deployed.` +
        " The task cannot allow deletes: deploy the folder with idm deploy --allow-deletes, or raise the limits in the settings",
      log: error.details.map((d) => `would delete ${d}`),
    };
  }
  if (error instanceof DeployError) return { message: `${error.code}: ${error.message}`, log: error.details };
  if (error instanceof LeaseBusyError) {
    return { message: `lease-busy: another deploy is running (waited ${DEFAULT_LOCK_TIMEOUT_SECONDS} s): ${error.message}; nothing deployed`, log: [] };
  }
  return undefined;
}

/** Writes the generated files from every stored item; returns how many changed (an unchanged file is not rewritten). */
async function writeOutputs(context: TaskContext, name: string, outputs: Outputs): Promise<number> {
  const stored = await readStoredItems(context.store.dataSource.manager);
  const catalog = loadCatalog();
  let written = 0;
  const write = (path: string, text: string, what: string) => {
    try {
      if (writeIfChanged(path, text)) {
        written++;
        context.log("Information", `wrote ${what} ${path}`);
      } else {
        context.log("Information", `${what} ${path} is up to date`);
      }
    } catch (error) {
      throw new Error(`${name}: cannot write ${what} ${path}: ${(error as Error).message}`, { cause: error });
    }
  };
  if (outputs.mergedFile !== undefined) {
    write(outputs.mergedFile, mergedConfiguration(stored, catalog), `the merged configuration (${plural(stored.length, "item")})`);
  }
  if (outputs.code !== undefined) {
    const modelKinds = [...catalog.elements.values()].filter((e) => e.kind === "model").map((e) => e.name);
    write(outputs.code.path, identifierDeclarations(stored, outputs.code.namespace, modelKinds, name), "the identifier declarations");
  }
  return written;
}

/** Written to a temporary file beside it, then renamed: a reader never sees half a file. False when the file already holds the text. */
function writeIfChanged(path: string, text: string): boolean {
  try {
    if (readFileSync(path, "utf8") === text) return false;
  } catch {
    // absent or unreadable: written below
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return true;
}

function problemLine(problem: Problem): string {
  return `${formatPosition(problem)} ${problem.code} ${problem.message}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}


/**
 * InvokeExpressionTask: runs a script (PowerShell, bash or Node.js) with the job's folders in its
 * environment and its output streamed into the task log. The script must lie under an allowed root:
 * its path comes from a deployed configuration, which must not be able to run any file on the host.
 */
import { existsSync, mkdirSync } from "node:fs";
import { extname, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { configurationFolder, configuredPath, locateAllowedFile, scriptRoots } from "./allowed-path.js";
import { defineTask, nonEmpty, type TaskContext, type TaskResult } from "./task-handler.js";
import type { LogLevel } from "../domain/vocabulary.js";
import { cancellationError } from "../domain/cancellation.js";
import { killGroup, spawnGroup, stopReadingAfterExit } from "../domain/process-group.js";
import { receivesDatabaseUrl, scriptEnvironment } from "../domain/script-environment.js";
import { INTERPRETERS } from "../domain/script-interpreters.js";
import { groupLedBy } from "../domain/processes/recorded-group.js";

const PROGRESS_EVERY_MS = 1000;

export default defineTask<"InvokeExpressionTask">({
  type: "InvokeExpressionTask",
  side: "both",
  async run(context, task) {
    const input = nonEmpty(task.attributes.InputPath);
    if (input === undefined) {
      throw new Error(`InvokeExpressionTask ${task.identifier} has no InputPath: the path of the script to run`);
    }
    if (context.signal.aborted) throw cancellationError(context.signal, `script ${input} was cancelled`);

    const folder = configurationFolder(context);
    const roots = scriptRoots(context);
    const script = locateAllowedFile(configuredPath(context, input, `InvokeExpressionTask ${task.identifier}: InputPath`), folder, roots);
    const extension = extname(script).toLowerCase();
    const interpreter = INTERPRETERS.get(extension);
    if (interpreter === undefined) {
      throw new Error(
        `InvokeExpressionTask cannot run ${input}: ${extension ? `extension "${extension}"` : "no extension"}` +
          ` (it runs ${[...INTERPRETERS.keys()].join(", ")})`,
      );
    }

    const work = resolve(context.paths.work);
    const temp = resolve(context.paths.temp);
    const exportFolder = resolve(context.paths.export);
    for (const path of [work, temp, exportFolder]) mkdirSync(path, { recursive: true });
    const env = scriptEnvironment(process.env, {
      IDM_JOB: context.job.identifier,
      IDM_TASK: task.identifier,
      IDM_JOB_INSTANCE: String(context.job.instanceId),
      IDM_WORK_FOLDER: work,
      IDM_TEMP_FOLDER: temp,
      IDM_EXPORT_FOLDER: exportFolder,
      ...(receivesDatabaseUrl(context.settings.tasks.databaseUrlForScripts, context.job.identifier, task.identifier)
        ? { IDM_DATABASE_URL: context.store.secretUrl() }
        : {}),
    });
    return runScript(context, input, interpreter(script), folder, env);
  },
});

function runScript(
  context: TaskContext,
  input: string,
  { command, args }: { command: string; args: string[] },
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<TaskResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnGroup(command, args, { cwd, env });
    // Recorded at once (the script is already running): a runner killed before the write lands leaves
    // an unrecorded group, a window of one statement.
    const recorded = child.pid === undefined ? Promise.resolve() : context.recordProcessGroup(groupLedBy(child.pid));
    const counters = { linesOut: 0, linesErr: 0 };
    let lastProgress = Date.now();
    const follow = (stream: Readable, level: LogLevel, counter: keyof typeof counters) => {
      // readline joins a line split across chunks and emits the last one even without a final newline.
      createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        counters[counter]++;
        context.log(level, line);
        if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = Date.now();
          context.progress({ ...counters });
        }
      });
    };
    follow(child.stdout, "Information", "linesOut");
    follow(child.stderr, "Warning", "linesErr");

    let stopped: "cancelled" | "timed out" | undefined;
    const stop = (why: "cancelled" | "timed out") => {
      if (stopped !== undefined || child.pid === undefined) return;
      stopped = why;
      killGroup(child.pid);
    };
    const onAbort = () => stop("cancelled");
    context.signal.addEventListener("abort", onAbort, { once: true });
    const seconds = context.settings.tasks.scriptTimeoutSeconds;
    const timeout = seconds === undefined ? undefined : setTimeout(() => stop("timed out"), seconds * 1000);
    const stopDraining = stopReadingAfterExit(child);
    const finish = () => {
      context.signal.removeEventListener("abort", onAbort);
      clearTimeout(timeout);
      stopDraining();
      context.progress({ ...counters });
    };

    child.once("error", (error: NodeJS.ErrnoException) => {
      finish();
      // spawn says ENOENT for a missing working folder too.
      const message =
        error.code !== "ENOENT"
          ? `cannot start ${command} to run ${input}: ${error.message}`
          : existsSync(cwd)
            ? `InvokeExpressionTask needs ${command} to run ${input}, and ${command} is not installed`
            : `cannot run ${input}: its working folder ${cwd} does not exist`;
      reject(new Error(message, { cause: error }));
    });
    child.once("close", (code, signal) => {
      if (child.pid === undefined) return; // never started: "error" has answered
      finish();
      // After the record's own write, which may still be on its way on another pooled connection.
      void recorded.then(() => context.recordProcessGroup(null)).then(() => settle(code, signal));
    });
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      if (stopped === "cancelled") return reject(cancellationError(context.signal, `script ${input} was cancelled`));
      const failed = (message: string) => resolvePromise({ state: "Error", didWork: false, message, counters });
      if (stopped === "timed out") return failed(`script ${input} timed out after ${seconds} s`);
      if (signal !== null) return failed(`script ${input} was killed by ${signal}`);
      if (code !== 0) return failed(`script ${input} exited with code ${code}`);
      resolvePromise({ state: "Succeeded", didWork: true, counters });
    };
  });
}

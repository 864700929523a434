/**
 * InvokeSqlCommandTask: runs an SQL command (SQLCommand, or the file SQLInputFile) on the product
 * database or on one of the settings' Databases (DatabaseIdentifier), and writes every result set of
 * a query into a CSV file under OutputPath: `<TaskIdentifier>.csv`, then `<TaskIdentifier>_2.csv`, …
 * IsNotAQuery="true" only runs it and counts the rows it changed. The dialects' differences live
 * behind SqlRunner (src/connectors/sql/); this module reads the task, picks the database, guards the run
 * (Timeout, cancel) and publishes the files: written under temporary names, renamed only once the
 * whole command succeeded, removed otherwise.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { rename } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { configurationFolder, configuredPath, confineOutput, locateAllowedFile, outputRoots, scriptRoots, type FileKind } from "./allowed-path.js";
import { chooseDatabase, ConnectionError, openRunner, redact, type DatabaseChoice } from "../connectors/sql/connection.js";
import { isKnownEncoding } from "../config/text-encoding.js";
import { createEncoder, DEFAULT_ENCODING } from "../connectors/csv/encoding.js";
import { checkIsolationLevel, parseIsolationLevel, type IsolationLevel } from "../connectors/sql/isolation.js";
import {
  abortError, CommandTimeout, finalPath, removeTemporaryFiles, SqlCommandError, type CsvOutput, type RunOptions, type SqlRunner,
} from "../connectors/sql/runner.js";
import { SqliteRunner } from "../connectors/sql/sqlite-runner.js";
import { positionOf } from "../connectors/sql/statements.js";
import { defineTask, nonBlank, type TaskContext, type TaskOf, type TaskResult } from "./task-handler.js";


/** Timeout="0" (the default) means this, as in the reference. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
const PROGRESS_EVERY_MS = 500;
const SQL_FILE: FileKind = { noun: "SQLInputFile", folders: "SQL files may be read from" };

interface SqlTask {
  identifier: string;
  sqlCommand: string | undefined;
  sqlInputFile: string | undefined;
  databaseIdentifier: string | undefined;
  encoding: string;
  isNotAQuery: boolean;
  isolation: IsolationLevel | undefined;
  timeoutSeconds: number;
  outputPath: string | undefined;
}

/** The command's text, and how messages name it. */
interface Command {
  sql: string;
  /** "SQLCommand", or "SQLInputFile <path as written>". */
  label: string;
  /** The file as written, for positions (file:line:col); undefined for SQLCommand. */
  file: string | undefined;
}

export default defineTask<"InvokeSqlCommandTask">({
  type: "InvokeSqlCommandTask",
  side: "both",
  async run(context, snapshot) {
    if (context.signal.aborted) throw abortError(context.signal);
    const task = readTask(snapshot);
    const command = loadCommand(context, task);
    const database = chooseDatabase(context, task.databaseIdentifier);
    if (task.isolation !== undefined) checkIsolationLevel(database.dialect, task.isolation);
    for (const ignored of ["Provider", "ProviderAssemblyQualifiedName"] as const) {
      if (snapshot.attributes[ignored] !== undefined) context.log("Debug", `${ignored} is ignored: the database URL chooses the driver`);
    }
    return runCommand(context, task, command, database);
  },
});

function readTask(snapshot: TaskOf<"InvokeSqlCommandTask">): SqlTask {
  const a = snapshot.attributes;
  const encoding = nonBlank(a.Encoding) ?? DEFAULT_ENCODING;
  if (!isKnownEncoding(encoding)) createEncoder(encoding); // throws the message that lists what is known
  // The schema takes any int32 here (0 by default), so a negative Timeout reaches the task.
  const timeout = a.Timeout ?? 0;
  if (!Number.isInteger(timeout) || timeout < 0) throw new Error(`Timeout="${String(a.Timeout)}" is not a number of seconds (0 means ${DEFAULT_TIMEOUT_SECONDS})`);
  return {
    identifier: snapshot.identifier,
    sqlCommand: nonBlank(a.SQLCommand),
    sqlInputFile: nonBlank(a.SQLInputFile),
    databaseIdentifier: nonBlank(a.DatabaseIdentifier),
    encoding,
    isNotAQuery: a.IsNotAQuery === true,
    isolation: parseIsolationLevel(a.IsolationLevel),
    timeoutSeconds: timeout === 0 ? DEFAULT_TIMEOUT_SECONDS : timeout,
    outputPath: nonBlank(a.OutputPath),
  };
}

/**
 * The command: the settings' InvokeSqlCommands.<task>.SQLInputFile when set (the operator's file,
 * relative to the working directory, read wherever it is), else exactly one of SQLCommand and
 * SQLInputFile (relative to the configuration folder, and refused outside Tasks.ScriptRoots, by
 * default that folder).
 */
function loadCommand(context: TaskContext, task: SqlTask): Command {
  const local = Object.hasOwn(context.settings.tasks.invokeSqlCommands, task.identifier)
    ? context.settings.tasks.invokeSqlCommands[task.identifier]
    : undefined;
  let command: Command;
  if (local?.sqlInputFile !== undefined) {
    const path = resolve(local.sqlInputFile);
    const replaced = task.sqlCommand !== undefined ? "SQLCommand" : task.sqlInputFile !== undefined ? `SQLInputFile ${task.sqlInputFile}` : undefined;
    if (replaced !== undefined) context.log("Information", `the settings' InvokeSqlCommands.${task.identifier}.SQLInputFile replaces the task's ${replaced}`);
    command = { sql: readSql(path, local.sqlInputFile), label: `SQLInputFile ${local.sqlInputFile}`, file: local.sqlInputFile };
  } else if (task.sqlCommand !== undefined && task.sqlInputFile !== undefined) {
    throw new Error(`InvokeSqlCommandTask ${task.identifier} has both SQLCommand and SQLInputFile: it runs one or the other`);
  } else if (task.sqlCommand !== undefined) {
    command = { sql: task.sqlCommand, label: "SQLCommand", file: undefined };
  } else if (task.sqlInputFile !== undefined) {
    const folder = configurationFolder(context);
    const roots = scriptRoots(context, [folder]);
    const path = locateAllowedFile(configuredPath(context, task.sqlInputFile, `InvokeSqlCommandTask ${task.identifier}: SQLInputFile`), folder, roots, SQL_FILE);
    command = { sql: readSql(path, task.sqlInputFile), label: `SQLInputFile ${task.sqlInputFile}`, file: task.sqlInputFile };
  } else {
    throw new Error(`InvokeSqlCommandTask ${task.identifier} has neither SQLCommand nor SQLInputFile: it needs one of them`);
  }
  if (command.sql.trim() === "") throw new Error(`${command.label} is empty`);
  return command;
}

function readSql(path: string, written: string): string {
  try {
    return readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`SQLInputFile ${written} does not exist (${path})`, { cause: error });
    throw new Error(`cannot read SQLInputFile ${written} (${path}): ${(error as Error).message}`, { cause: error });
  }
}

/** The output folder: the settings' InvokeSqlCommands.<task>.OutputPath, else OutputPath (under the job's folders or Tasks.OutputRoots), else Paths.Export. */
function outputFolder(context: TaskContext, task: SqlTask): string {
  const local = Object.hasOwn(context.settings.tasks.invokeSqlCommands, task.identifier)
    ? context.settings.tasks.invokeSqlCommands[task.identifier]?.outputPath
    : undefined;
  if (local !== undefined) return resolve(local);
  // The settings are the operator's; the attribute is the configuration's, so it stays in the job's folders.
  if (task.outputPath !== undefined) {
    const local = configuredPath(context, task.outputPath, `InvokeSqlCommandTask ${task.identifier}: OutputPath`);
    return confineOutput(local, process.cwd(), outputRoots(context), `OutputPath ${task.outputPath}`);
  }
  return resolve(context.paths.export);
}

async function runCommand(context: TaskContext, task: SqlTask, command: Command, database: DatabaseChoice): Promise<TaskResult> {
  const output: CsvOutput | undefined = task.isNotAQuery
    ? undefined
    : { folder: outputFolder(context, task), base: task.identifier, encoding: task.encoding, token: `${process.pid}-${randomBytes(4).toString("hex")}` };
  if (output !== undefined) {
    if (/[\\/\0]/.test(output.base) || output.base === "." || output.base === "..") {
      throw new Error(`task identifier "${output.base}" cannot name a CSV file in ${output.folder}`);
    }
    try {
      mkdirSync(output.folder, { recursive: true });
    } catch (error) {
      throw new Error(`cannot create the output folder ${output.folder}: ${(error as Error).message}`, { cause: error });
    }
  }

  const timeoutMs = task.timeoutSeconds * 1000;
  // One signal for the runner: the job's cancel, or the Timeout.
  const controller = new AbortController();
  const onCancel = () => controller.abort(context.signal.reason ?? new Error(`${command.label} was cancelled`));
  if (context.signal.aborted) onCancel();
  else context.signal.addEventListener("abort", onCancel, { once: true });
  const timer = setTimeout(() => controller.abort(new CommandTimeout(timeoutMs)), timeoutMs);

  let lastProgress = 0;
  const counters: Record<string, number> = task.isNotAQuery ? { rowsAffected: 0 } : { rows: 0, files: 0 };
  const options: RunOptions = {
    isolation: task.isolation,
    signal: controller.signal,
    timeoutMs,
    progress: (rows) => {
      counters.rows = rows;
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        context.progress({ ...counters });
      }
    },
    log: (level, message) => context.log(level, message),
  };
  let runner: SqlRunner | undefined;
  try {
    context.log(
      "Information",
      `running ${command.label} on ${database.display}` +
        `${task.isolation === undefined ? "" : ` in a ${task.isolation} transaction`} (Timeout ${task.timeoutSeconds} s)`,
    );
    runner = await openRunner(database, timeoutMs);
    if (runner instanceof SqliteRunner && runner.inProcess) {
      context.log("Warning", "the store is in memory: the command runs in this process, and a cancel waits for it to end");
    }
    if (output === undefined) {
      counters.rowsAffected = await runner.execute(command.sql, options);
      context.log("Information", `${counters.rowsAffected} rows affected`);
      context.progress({ ...counters });
      return { state: "Succeeded", didWork: counters.rowsAffected > 0, counters };
    }
    const written = await runner.export(command.sql, output, options);
    if (controller.signal.aborted) throw abortError(controller.signal);
    for (const file of written) await rename(file.temp, finalPath(output, file.index));
    counters.files = written.length;
    counters.rows = written.reduce((sum, f) => sum + f.rows, 0);
    for (const file of written) context.log("Information", `wrote ${basename(finalPath(output, file.index))}: ${file.rows} rows`);
    if (written.length === 0) context.log("Information", "the command returned no result set, so no file was written (IsNotAQuery=\"true\" is for such commands)");
    context.progress({ ...counters });
    return { state: "Succeeded", didWork: written.length > 0, counters };
  } catch (error) {
    throw failure(error, command, database, controller.signal);
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener("abort", onCancel);
    await runner?.close().catch(() => undefined);
    if (output !== undefined) await removeTemporaryFiles(output);
  }
}

/** The error the task ends with: the cancel's own reason, the Timeout, or the command's failure and where. */
function failure(error: unknown, command: Command, database: DatabaseChoice, signal: AbortSignal): Error {
  if (signal.aborted && !(signal.reason instanceof CommandTimeout)) return abortError(signal);
  if (error instanceof CommandTimeout || signal.reason instanceof CommandTimeout) {
    const timeout = error instanceof CommandTimeout ? error : (signal.reason as CommandTimeout);
    return new Error(`${command.label} on ${database.display} ${timeout.message}`, { cause: error });
  }
  if (error instanceof ConnectionError) return error;
  const message = redact(error, database);
  if (!(error instanceof SqlCommandError)) return new Error(`${command.label} failed on ${database.display}: ${message}`, { cause: error });
  const { offset, line } = error.where;
  const at = offset !== undefined ? positionOf(command.sql, offset) : line !== undefined ? { line, column: undefined } : undefined;
  const where =
    at === undefined
      ? ""
      : command.file !== undefined
        ? `:${at.line}${at.column === undefined ? "" : `:${at.column}`}`
        : ` (line ${at.line}${at.column === undefined ? "" : `, column ${at.column}`})`;
  return new Error(`${command.label}${where} failed on ${database.display}: ${message}`, { cause: error });
}

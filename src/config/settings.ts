/**
 * Runtime settings (appsettings.json): what the XML configuration does not say, such as limits,
 * folders and connection strings. Layered: defaults < settings file < environment < flags.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_VALIDATION_LIMITS, type ValidationLimits } from "./parse-config-file.js";
import { isWindowsAbsolutePath, localPath, readWindowsPrefixes, type WindowsPrefix } from "./windows-paths.js";

export interface DeploySettings {
  maxDeletes: number;
  maxDeletePercent: number;
  /** How long a dead deploy's lease blocks others. */
  leaseTtlSeconds: number;
}

export interface JobSettings {
  /** Most tasks that start at once (the reference agent setting Jobs.MaxTaskBatchSize). */
  maxTaskBatchSize: number;
  /** How long a dead runner's lease keeps its job from starting again. */
  leaseTtlSeconds: number;
  /** Job instances older than this are removed by `idm history prune`. */
  historyRetentionDays: number;
}

/** Folders that tasks read and write, resolved against the working directory. */
export interface PathSettings {
  work: string;
  temp: string;
  export: string;
  /** Paths.WindowsPrefixes, longest first: the local folders a Windows configuration's paths stand for (windows-paths.ts). */
  windowsPrefixes?: WindowsPrefix[];
  /** Paths.Modules: the folder holding one folder per module (Bootstrap/, Workforce/); default: see module-files.ts. */
  modules?: string;
}

/** Per-task overrides of InvokeSqlCommandTask (the reference agent setting InvokeSqlCommands.<TaskIdentifier>). */
export interface InvokeSqlCommandSettings {
  sqlInputFile?: string;
  outputPath?: string;
}

export interface TaskSettings {
  /** Folders that InvokeExpressionTask scripts must be under (default: the configuration and work folders). */
  scriptRoots?: string[];
  /** Kills a script that runs longer (default: no limit). */
  scriptTimeoutSeconds?: number;
  /** Folders besides Paths.Work, Paths.Temp and Paths.Export that a task's output attributes may name (OutputPath, GeneratedFile, GeneratedCodePath). */
  outputRoots?: string[];
  /** Folders besides the configuration folder that DeployConfigurationTask's ConfigurationDirectory may name (another checkout). */
  configurationRoots?: string[];
  /**
   * The scripts that get the runner's database URL as IDM_DATABASE_URL: a task identifier (in any
   * job) or `Job/Task`. Every other script gets no database secret.
   */
  databaseUrlForScripts?: string[];
  /** By task identifier. */
  invokeSqlCommands: Record<string, InvokeSqlCommandSettings>;
}

export interface Settings {
  /** Database URL (see README); a flag or IDM_DATABASE_URL wins over it. */
  connectionString?: string;
  validation: ValidationLimits;
  deploy: DeploySettings;
  jobs: JobSettings;
  paths: PathSettings;
  tasks: TaskSettings;
  /** Databases that InvokeSqlCommandTask's DatabaseIdentifier names: identifier → database URL (secret). */
  databases: Record<string, string>;
  /**
   * The agent settings of each Connection (reference `Connections.<id>`): what its package needs to
   * reach the managed system (a folder, a database URL, queries…), read by the package itself.
   */
  connections: Record<string, Record<string, unknown>>;
  /** Whether a settings file was read: checks against settings (a DatabaseIdentifier) are only made then. */
  fromFile: boolean;
  /** Where the settings came from, for the messages that name a missing setting (settingsOrigin). */
  source?: SettingsSource;
}

/** The settings file that was read, or none, and every place that was looked at. */
export interface SettingsSource {
  file?: string;
  looked: string[];
}

export const DEFAULT_SETTINGS: Settings = {
  validation: DEFAULT_VALIDATION_LIMITS,
  deploy: { maxDeletes: 10, maxDeletePercent: 20, leaseTtlSeconds: 15 },
  jobs: { maxTaskBatchSize: 5, leaseTtlSeconds: 15, historyRetentionDays: 90 },
  paths: { work: ".idm/work", temp: ".idm/temp", export: ".idm/export", windowsPrefixes: [] },
  tasks: { invokeSqlCommands: {} },
  databases: {},
  connections: {},
  fromFile: false,
};

interface SettingsFile {
  ConnectionString?: unknown;
  Validation?: { MaxFileBytes?: unknown; MaxDepth?: unknown; MaxFolderBytes?: unknown };
  Deploy?: { MaxDeletes?: unknown; MaxDeletePercent?: unknown; LeaseTtlSeconds?: unknown };
  Jobs?: { MaxTaskBatchSize?: unknown; LeaseTtlSeconds?: unknown; HistoryRetentionDays?: unknown };
  Paths?: { Work?: unknown; Temp?: unknown; Export?: unknown; WindowsPrefixes?: unknown; Modules?: unknown };
  Tasks?: { ScriptRoots?: unknown; ScriptTimeoutSeconds?: unknown; OutputRoots?: unknown; ConfigurationRoots?: unknown; DatabaseUrlForScripts?: unknown };
  Databases?: unknown;
  Connections?: unknown;
  InvokeSqlCommands?: unknown;
}

/**
 * Reads appsettings.json-style settings:
 * `{ "ConnectionString": url, "Validation": { "MaxFileBytes", "MaxDepth", "MaxFolderBytes" },
 *    "Deploy": { "MaxDeletes", "MaxDeletePercent", "LeaseTtlSeconds" },
 *    "Jobs": { "MaxTaskBatchSize", "LeaseTtlSeconds", "HistoryRetentionDays" },
 *    "Paths": { "Work", "Temp", "Export", "WindowsPrefixes": { "<Windows prefix>": folder }, "Modules" },
 *    "Tasks": { "ScriptRoots": [folders], "ScriptTimeoutSeconds", "OutputRoots": [folders], "ConfigurationRoots": [folders],
 *      "DatabaseUrlForScripts": ["Task", "Job/Task"] }, "Databases": { "<id>": url },
 *    "Connections": { "<ConnectionIdentifier>": { … } },
 *    "InvokeSqlCommands": { "<TaskIdentifier>": { "SQLInputFile", "OutputPath" } } }`.
 */
export function loadSettings(path: string | undefined): Settings {
  if (path !== undefined) return readSettingsFile(path, [path]);
  if (existsSync(WORKING_SETTINGS)) return readSettingsFile(WORKING_SETTINGS, [WORKING_SETTINGS]);
  return { ...DEFAULT_SETTINGS, source: { looked: [WORKING_SETTINGS] } };
}

/** The settings file of the working directory, the first place looked at when --settings is not given. */
export const WORKING_SETTINGS = "appsettings.json";

/**
 * Where a missing or wrong setting is to be fixed, appended to the messages that name one: the file
 * read, or the places looked at; and how to give another file.
 */
export function settingsOrigin(settings: Pick<Settings, "source">): string {
  const source = settings.source;
  if (source === undefined) return "give a settings file with --settings <file>";
  if (source.file !== undefined) return `settings read from ${resolve(source.file)}; give another file with --settings <file>`;
  const looked = source.looked.map((p) => resolve(p)).join(", ");
  return `no settings file was found (looked for ${looked || "none"}); give one with --settings <file>`;
}

/** Reads one settings file; `looked` is every place looked at to find it (for settingsOrigin). */
export function readSettingsFile(file: string, looked: string[]): Settings {
  let json: SettingsFile;
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as typeof json;
  } catch (error) {
    throw new Error(`cannot read settings file ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (json.ConnectionString !== undefined && typeof json.ConnectionString !== "string") {
    throw new Error("setting ConnectionString must be a string");
  }
  const { deploy, jobs, paths } = DEFAULT_SETTINGS;
  // Read first: every folder setting below may be a Windows path that they map.
  const windowsPrefixes = readWindowsPrefixes(json.Paths?.WindowsPrefixes);
  const folder = (value: unknown, name: string) => localFolder(value, name, windowsPrefixes);
  const folders = (value: unknown, name: string) => localFolders(value, name, windowsPrefixes);
  return {
    ...(json.ConnectionString ? { connectionString: json.ConnectionString } : {}),
    deploy: {
      maxDeletes: positiveInteger(json.Deploy?.MaxDeletes, "Deploy.MaxDeletes") ?? deploy.maxDeletes,
      maxDeletePercent: positiveInteger(json.Deploy?.MaxDeletePercent, "Deploy.MaxDeletePercent") ?? deploy.maxDeletePercent,
      leaseTtlSeconds: seconds(json.Deploy?.LeaseTtlSeconds, "Deploy.LeaseTtlSeconds") ?? deploy.leaseTtlSeconds,
    },
    jobs: {
      maxTaskBatchSize: positiveInteger(json.Jobs?.MaxTaskBatchSize, "Jobs.MaxTaskBatchSize") ?? jobs.maxTaskBatchSize,
      leaseTtlSeconds: seconds(json.Jobs?.LeaseTtlSeconds, "Jobs.LeaseTtlSeconds") ?? jobs.leaseTtlSeconds,
      historyRetentionDays: positiveInteger(json.Jobs?.HistoryRetentionDays, "Jobs.HistoryRetentionDays") ?? jobs.historyRetentionDays,
    },
    paths: {
      work: folder(json.Paths?.Work, "Paths.Work") ?? paths.work,
      temp: folder(json.Paths?.Temp, "Paths.Temp") ?? paths.temp,
      export: folder(json.Paths?.Export, "Paths.Export") ?? paths.export,
      windowsPrefixes,
      ...optional("modules", folder(json.Paths?.Modules, "Paths.Modules")),
    },
    tasks: {
      ...optional("scriptRoots", folders(json.Tasks?.ScriptRoots, "Tasks.ScriptRoots")),
      ...optional("scriptTimeoutSeconds", seconds(json.Tasks?.ScriptTimeoutSeconds, "Tasks.ScriptTimeoutSeconds")),
      ...optional("outputRoots", folders(json.Tasks?.OutputRoots, "Tasks.OutputRoots")),
      ...optional("configurationRoots", folders(json.Tasks?.ConfigurationRoots, "Tasks.ConfigurationRoots")),
      ...optional("databaseUrlForScripts", taskNames(json.Tasks?.DatabaseUrlForScripts, "Tasks.DatabaseUrlForScripts")),
      invokeSqlCommands: mapOf(json.InvokeSqlCommands, "InvokeSqlCommands", (value, name) => {
        const entry = (value ?? {}) as { SQLInputFile?: unknown; OutputPath?: unknown };
        if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`setting ${name} must be an object`);
        return {
          ...optional("sqlInputFile", folder(entry.SQLInputFile, `${name}.SQLInputFile`)),
          ...optional("outputPath", folder(entry.OutputPath, `${name}.OutputPath`)),
        };
      }),
    },
    databases: mapOf(json.Databases, "Databases", (value, name) => {
      if (typeof value !== "string" || value === "") throw new Error(`setting ${name} must be a database URL`);
      return value;
    }),
    connections: mapOf(json.Connections, "Connections", (value, name) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`setting ${name} must be an object`);
      // A package reads its own keys; any of them written as a Windows path (Folder...) names a local one.
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key,
        typeof entry === "string" && isWindowsAbsolutePath(entry) ? localPath(entry, windowsPrefixes, `setting ${name}.${key}`) : entry]));
    }),
    fromFile: true,
    source: { file, looked },
    validation: {
      maxFileBytes: positiveInteger(json.Validation?.MaxFileBytes, "Validation.MaxFileBytes") ?? DEFAULT_VALIDATION_LIMITS.maxFileBytes,
      maxDepth: positiveInteger(json.Validation?.MaxDepth, "Validation.MaxDepth") ?? DEFAULT_VALIDATION_LIMITS.maxDepth,
      maxFolderBytes: positiveInteger(json.Validation?.MaxFolderBytes, "Validation.MaxFolderBytes") ?? DEFAULT_VALIDATION_LIMITS.maxFolderBytes,
    },
  };
}

function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  throw new Error(`setting ${name} must be a positive integer, not ${JSON.stringify(value)}`);
}

/** The longest duration a Node.js timer keeps (2^31-1 ms): a longer one fires at once. */
const LONGEST_TIMER_SECONDS = 2_147_483;

/** A duration that becomes a timer: whole seconds, at least 1, at most LONGEST_TIMER_SECONDS. */
function seconds(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value > 0 && value <= LONGEST_TIMER_SECONDS) return value;
  throw new Error(`setting ${name} must be a number of seconds from 1 to ${LONGEST_TIMER_SECONDS}, not ${JSON.stringify(value)}`);
}

function localFolder(value: unknown, name: string, prefixes: readonly WindowsPrefix[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && value !== "") return localPath(value, prefixes, `setting ${name}`);
  throw new Error(`setting ${name} must be a folder path, not ${JSON.stringify(value)}`);
}

function localFolders(value: unknown, name: string, prefixes: readonly WindowsPrefix[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v, i) => localFolder(v, `${name}[${i}]`, prefixes)!);
  throw new Error(`setting ${name} must be an array of folder paths, not ${JSON.stringify(value)}`);
}

/** Task identifiers, or `Job/Task` for a task in one job only. */
function taskNames(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const valid = (entry: unknown) => typeof entry === "string" && /^[^/\s]+(\/[^/\s]+)?$/.test(entry);
  if (Array.isArray(value) && value.every(valid)) return value as string[];
  throw new Error(`setting ${name} must be an array of task identifiers or "Job/Task" names, not ${JSON.stringify(value)}`);
}

/** `{ [key]: value }`, or nothing when value is undefined (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function mapOf<T>(value: unknown, name: string, read: (value: unknown, name: string) => T): Record<string, T> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`setting ${name} must be an object`);
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, read(entry, `${name}.${key}`)]));
}

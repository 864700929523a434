/**
 * Runtime settings (appsettings.json): what the XML configuration does not say, such as limits,
 * folders and connection strings. Layered: defaults < settings file < environment < flags.
 */
import { existsSync, readFileSync } from "node:fs";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "./parse-config-file.js";

export interface DeploySettings {
  maxDeletes: number;
  maxDeletePercent: number;
  /** How long a dead deploy's lease blocks others. */
  leaseTtlSeconds: number;
}

export interface JobSettings {
  /** Most tasks that start at once (the reference agent setting Jobs.MaxTaskBatchSize). */
  maxTaskBatchSize: number;
}

export interface Settings {
  /** Database URL (see README); a flag or IDM_DATABASE_URL wins over it. */
  connectionString?: string;
  validation: ParseLimits;
  deploy: DeploySettings;
  jobs: JobSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  validation: DEFAULT_PARSE_LIMITS,
  deploy: { maxDeletes: 10, maxDeletePercent: 20, leaseTtlSeconds: 15 },
  jobs: { maxTaskBatchSize: 5 },
};

interface SettingsFile {
  ConnectionString?: unknown;
  Validation?: { MaxFileBytes?: unknown; MaxDepth?: unknown };
  Deploy?: { MaxDeletes?: unknown; MaxDeletePercent?: unknown; LeaseTtlSeconds?: unknown };
  Jobs?: { MaxTaskBatchSize?: unknown };
}

/**
 * Reads appsettings.json-style settings:
 * `{ "ConnectionString": url, "Validation": { "MaxFileBytes", "MaxDepth" },
 *    "Deploy": { "MaxDeletes", "MaxDeletePercent", "LeaseTtlSeconds" }, "Jobs": { "MaxTaskBatchSize" } }`.
 */
export function loadSettings(path: string | undefined): Settings {
  const file = path ?? (existsSync("appsettings.json") ? "appsettings.json" : undefined);
  if (file === undefined) return DEFAULT_SETTINGS;
  let json: SettingsFile;
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as typeof json;
  } catch (error) {
    throw new Error(`cannot read settings file ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (json.ConnectionString !== undefined && typeof json.ConnectionString !== "string") {
    throw new Error("setting ConnectionString must be a string");
  }
  const deploy = DEFAULT_SETTINGS.deploy;
  return {
    ...(json.ConnectionString ? { connectionString: json.ConnectionString } : {}),
    deploy: {
      maxDeletes: positiveInteger(json.Deploy?.MaxDeletes, "Deploy.MaxDeletes") ?? deploy.maxDeletes,
      maxDeletePercent: positiveInteger(json.Deploy?.MaxDeletePercent, "Deploy.MaxDeletePercent") ?? deploy.maxDeletePercent,
      leaseTtlSeconds: positiveInteger(json.Deploy?.LeaseTtlSeconds, "Deploy.LeaseTtlSeconds") ?? deploy.leaseTtlSeconds,
    },
    jobs: {
      maxTaskBatchSize: positiveInteger(json.Jobs?.MaxTaskBatchSize, "Jobs.MaxTaskBatchSize") ?? DEFAULT_SETTINGS.jobs.maxTaskBatchSize,
    },
    validation: {
      maxFileBytes: positiveInteger(json.Validation?.MaxFileBytes, "Validation.MaxFileBytes") ?? DEFAULT_PARSE_LIMITS.maxFileBytes,
      maxDepth: positiveInteger(json.Validation?.MaxDepth, "Validation.MaxDepth") ?? DEFAULT_PARSE_LIMITS.maxDepth,
    },
  };
}

function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  throw new Error(`setting ${name} must be a positive integer, not ${JSON.stringify(value)}`);
}

/**
 * Runtime settings (appsettings.json): what the XML configuration does not say, such as limits,
 * folders and connection strings. Layered: defaults < settings file < environment < flags.
 */
import { existsSync, readFileSync } from "node:fs";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "./parse-config-file.js";

export interface Settings {
  validation: ParseLimits;
}

export const DEFAULT_SETTINGS: Settings = { validation: DEFAULT_PARSE_LIMITS };

/** Reads appsettings.json-style settings: `{ "Validation": { "MaxFileBytes": n, "MaxDepth": n } }`. */
export function loadSettings(path: string | undefined): Settings {
  const file = path ?? (existsSync("appsettings.json") ? "appsettings.json" : undefined);
  if (file === undefined) return DEFAULT_SETTINGS;
  let json: { Validation?: { MaxFileBytes?: unknown; MaxDepth?: unknown } };
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as typeof json;
  } catch (error) {
    throw new Error(`cannot read settings file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return {
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

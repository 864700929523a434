/**
 * The access control, governance, settings and reporting samples (test/fixtures/access-and-settings,
 * taken from the reference's examples, on a small entity and role model) and a way to validate them
 * with more files.
 */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Configuration } from "../../src/config/configuration.js";
import type { Problem } from "../../src/config/problems.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { configFile } from "./temp-folder.js";

export const ACCESS_AND_SETTINGS = fileURLToPath(new URL("../fixtures/access-and-settings", import.meta.url));

/** A copy of the samples, with `extra` (file name → body, from line 3) added. */
export function samplesWith(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "idm-access-"));
  cpSync(ACCESS_AND_SETTINGS, dir, { recursive: true });
  for (const [file, body] of Object.entries(extra)) writeFileSync(join(dir, file), configFile(body));
  return dir;
}

/** The samples validated with `extra`. */
export function validateSamples(extra: Record<string, string> = {}): { problems: Problem[]; configuration: Configuration } {
  return validateFolder(samplesWith(extra));
}

/** Line and column of the `nth` `text` of a body written by samplesWith (which starts on line 3). */
export function at(body: string, text: string, nth = 0): { line: number; column: number } {
  const lines = body.split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    let column = lines[i]!.indexOf(text);
    while (column !== -1) {
      if (seen++ === nth) return { line: i + 3, column: column + 1 };
      column = lines[i]!.indexOf(text, column + 1);
    }
  }
  throw new Error(`${text} is not in the body`);
}

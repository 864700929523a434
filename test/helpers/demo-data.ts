/** The demo configuration deployed into a test store, and CSV files read back whole. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { buildItems } from "../../src/config/items.js";
import { runDeploy } from "../../src/deploy/run-deploy.js";
import type { Store } from "../../src/store/store.js";
import { CsvParser } from "../../src/connectors/csv/csv-read.js";
import { DEMO } from "./idm-process.js";

export async function deployDemo(store: Store): Promise<void> {
  const result = validateFolder(DEMO);
  expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
  await runDeploy(DEFAULT_SETTINGS, store, buildItems(result.configuration), { sourceFolder: DEMO, allowDeletes: false, lockTimeoutSeconds: 5 });
}

export function readCsv(path: string): string[][] {
  const parser = new CsvParser(path);
  return [...parser.push(readFileSync(path, "utf8")), ...parser.end()];
}

/** The demo configuration deployed into a test store, and CSV files read back whole. */
import { readFileSync } from "node:fs";
import type { Store } from "../../src/store/store.js";
import { CsvParser } from "../../src/connectors/csv/csv-read.js";
import { deployFolder } from "./deploy-xml.js";
import { DEMO } from "./idm-process.js";

export async function deployDemo(store: Store): Promise<void> {
  await deployFolder(store, DEMO, { allowDeletes: false });
}

export function readCsv(path: string): string[][] {
  const parser = new CsvParser(path);
  return [...parser.push(readFileSync(path, "utf8")), ...parser.end()];
}

/**
 * The user-interface and workflow samples (test/fixtures/ui-workflows, from the vendor's examples)
 * and what the tests of those elements do with them: validate a body beside the sample's model,
 * find a problem's position, and deploy the folder, export it and deploy the export again.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Item } from "../../src/config/items.js";
import type { Problem } from "../../src/config/problems.js";
import { loadCatalog } from "../../src/config/schema/catalog.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import { exportItems } from "../../src/deploy/export-items.js";
import { readStoredItems } from "../../src/deploy/read-stored.js";
import type { Store } from "../../src/store/store.js";
import { deployFolder, itemsOf } from "./deploy-xml.js";
import { configFile, writeFolder } from "./temp-folder.js";

export const SAMPLES = fileURLToPath(new URL("../fixtures/ui-workflows", import.meta.url));
const XSD = fileURLToPath(new URL("../../schema/identitymanager-configuration.xsd", import.meta.url));

/** A folder with the samples' entity model (a.xml) and `body` (b.xml, from its line 3). */
export function folderWith(body: string): string {
  return writeFolder({ "a.xml": readFileSync(join(SAMPLES, "Model.xml"), "utf8"), "b.xml": configFile(body) });
}

/** The problems of the samples' entity model plus `body` (which starts on line 3 of its own file, b.xml). */
export function problemsWith(body: string): Problem[] {
  return validateFolder(folderWith(body)).problems;
}

/** Line and column of the `nth` `text` of `body` (as problemsWith writes it, from line 3). */
export function at(body: string, text: string, nth = 0): { file: string; line: number; column: number } {
  const lines = body.split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    const column = lines[i]!.indexOf(text);
    if (column !== -1 && seen++ === nth) return { file: "b.xml", line: i + 3, column: column + 1 };
  }
  throw new Error(`${text} is not in the body`);
}

/** The sample files, each valid against the generated XSD (xmllint). */
export function expectSamplesValidAgainstXsd(files: string[]): void {
  for (const file of files) {
    const lint = spawnSync("xmllint", ["--noout", "--schema", XSD, join(SAMPLES, file)], { encoding: "utf8" });
    expect(lint.stderr).toContain("validates");
    expect(lint.status, lint.stderr).toBe(0);
  }
}

export interface RoundTrip {
  /** The items the samples give. */
  before: Item[];
  /** The items of the folder exported from the store. */
  after: Item[];
  /** The exported files, by name. */
  files: Map<string, string>;
}

/** Deploys the samples, exports the stored items, checks deploying the export changes nothing. */
export async function deployExportDeploy(store: Store): Promise<RoundTrip> {
  const first = await deployFolder(store, SAMPLES);
  expect(first.plan.summary.insert).toBe(itemsOf(SAMPLES).length);
  const stored = await readStoredItems(store.dataSource.manager);
  const files = exportItems(stored.map(({ kind, identifier, attributes, children, source }) => ({ kind, identifier, attributes, children, source })), loadCatalog());
  const out = writeFolder({});
  for (const [file, text] of files) writeFileSync(join(out, file), text);
  const again = await deployFolder(store, out);
  expect(again.plan.summary).toEqual({ insert: 0, update: 0, delete: 0 });
  return { before: itemsOf(SAMPLES), after: itemsOf(out), files };
}

/** Kind, identifier and hash of each item of the given kinds: what a round trip must keep. */
export function fingerprint(items: Item[], kinds: ReadonlySet<string>): string[] {
  return items.filter((i) => kinds.has(i.kind)).map((i) => `${i.kind} ${i.identifier} ${i.hash}`).sort();
}

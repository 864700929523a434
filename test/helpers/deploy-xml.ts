/**
 * A configuration deployed into a test store the way `idm deploy` deploys it: the folder validated
 * (a test fails on any error, not later on a missing item), built into items, and applied by the
 * real deploy engine (runDeploy) with the default settings' deletion guard and lease.
 */
import { expect } from "vitest";
import { buildItems, type Item } from "../../src/config/items.js";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { validateFolder } from "../../src/config/validate-folder.js";
import type { DeployResult } from "../../src/deploy/apply.js";
import { runDeploy } from "../../src/deploy/run-deploy.js";
import type { Store } from "../../src/store/store.js";
import { writeFolder } from "./temp-folder.js";

export interface DeployXmlOptions {
  /** Deletions allowed (the default): the files replace what an earlier deploy put there. */
  allowDeletes?: boolean;
}

export interface Deployed {
  folder: string;
  result: DeployResult;
}

/** The items of a configuration folder, which must validate without errors. */
export function itemsOf(folder: string): Item[] {
  const result = validateFolder(folder);
  expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
  return buildItems(result.configuration);
}

/** Deploys an existing configuration folder (the demo, or one a test edits between deploys). */
export async function deployFolder(store: Store, folder: string, options: DeployXmlOptions = {}): Promise<DeployResult> {
  return runDeploy(DEFAULT_SETTINGS, store, itemsOf(folder), { sourceFolder: folder, allowDeletes: options.allowDeletes ?? true, lockTimeoutSeconds: 5 });
}

/** Writes `files` (file name → XML text) to a new temporary folder and deploys it. */
export async function deployXml(store: Store, files: Record<string, string>, options: DeployXmlOptions = {}): Promise<Deployed> {
  const folder = writeFolder(files);
  return { folder, result: await deployFolder(store, folder, options) };
}

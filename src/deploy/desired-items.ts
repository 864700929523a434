/**
 * What a deploy is asked to store: items already built (a rollback's, a test's), or a validated
 * folder's, known by the fingerprint of its files and built only when the stored items must be
 * compared with them (a folder unchanged since the last deployment is not: apply.ts).
 */
import { buildItems, type Item } from "../config/items.js";
import type { Configuration } from "../config/configuration.js";

export interface FolderItems {
  /** SourceFingerprint of the files the folder's validation read. */
  readonly fingerprint: string;
  items(): Item[];
}

export type DesiredItems = Item[] | FolderItems;

export function folderItems(configuration: Configuration, fingerprint: string): FolderItems {
  let built: Item[] | undefined;
  return { fingerprint, items: () => (built ??= buildItems(configuration)) };
}

export function itemsOf(desired: DesiredItems): Item[] {
  return Array.isArray(desired) ? desired : desired.items();
}

export function fingerprintOf(desired: DesiredItems): string | undefined {
  return Array.isArray(desired) ? undefined : desired.fingerprint;
}

/**
 * The merged configuration: every stored item written as ONE configuration file (the reference's
 * GeneratedFile of DeployConfigurationTask). It is export's rendering with every item sent to the
 * same file, so validating that file alone gives back the same items and hashes.
 */
import type { SchemaCatalog } from "../config/schema/catalog.js";
import { exportItems, type ExportableItem } from "./export-items.js";

const MERGED = "merged.xml";

/**
 * The text of the merged file. Items keep the order of their sources (file path, then position),
 * items without a source come last by kind and identifier: the same stored items always give the
 * same text.
 */
export function mergedConfiguration(items: ExportableItem[], catalog: SchemaCatalog): string {
  const ordered = [...items].sort(inSourceOrder).map(({ kind, identifier, attributes, children }) =>
    ({ kind, identifier, attributes, children, source: null }));
  return exportItems(ordered, catalog, MERGED).get(MERGED) ??
    `<?xml version="1.0" encoding="utf-8"?>\n<ConfigurationFile xmlns="${catalog.namespace}">\n</ConfigurationFile>\n`;
}

function inSourceOrder(a: ExportableItem, b: ExportableItem): number {
  if (a.source && b.source) {
    return compare(a.source.file, b.source.file) || a.source.line - b.source.line || a.source.column - b.source.column ||
      compare(a.kind, b.kind) || compare(a.identifier, b.identifier);
  }
  if (a.source || b.source) return a.source ? -1 : 1;
  return compare(a.kind, b.kind) || compare(a.identifier, b.identifier);
}

/** Code-unit order: the same in every locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

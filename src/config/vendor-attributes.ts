/**
 * Attributes the product accepts on every element, outside any element's own schema: the overlay
 * attribute ConsolidationMode (jobs-and-deploy.md §3.6: absent or Replace replaces, Merge, Update
 * and Delete change an item a module or a scaffolding defines) and TemplateTransformation, which
 * the vendor's templates write (OnePerLanguage). Neither is stored with the item.
 */
import { closestName } from "./did-you-mean.js";

export const CONSOLIDATION_MODE = "ConsolidationMode";
export const TEMPLATE_TRANSFORMATION = "TemplateTransformation";
export const VENDOR_ATTRIBUTES: ReadonlySet<string> = new Set([CONSOLIDATION_MODE, TEMPLATE_TRANSFORMATION]);

export const CONSOLIDATION_MODES = ["Replace", "Merge", "Update", "Delete"] as const;
export type ConsolidationMode = (typeof CONSOLIDATION_MODES)[number];

/** The mode a value names (any case), or the closest name for a hint when it names none. */
export function readConsolidationMode(value: string): { mode: ConsolidationMode } | { closest: string | undefined } {
  const mode = CONSOLIDATION_MODES.find((m) => m.toLowerCase() === value.trim().toLowerCase());
  return mode !== undefined ? { mode } : { closest: closestName(value, CONSOLIDATION_MODES) };
}

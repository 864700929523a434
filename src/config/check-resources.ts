/**
 * A Resource written in the configuration places its values by storage column (C4, I40): each
 * column should be one a property of its entity type is stored in (README, Resources). A column
 * no property uses holds a value nobody reads: a warning, since the product stores it anyway.
 */
import { position } from "./check-attributes.js";
import type { ConfigElement } from "./configuration.js";
import type { Problem } from "./problems.js";
import { findAttribute } from "./xml-tree.js";

const BASE32HEX = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
const COLUMN = /^[CI]([0-9A-V]{1,2})$/;

/** The column index a C… or I… attribute names (C4 → 4, I40 → 128), or undefined for another attribute. */
export function columnIndex(attribute: string): number | undefined {
  const digits = COLUMN.exec(attribute)?.[1];
  if (digits === undefined) return undefined;
  return [...digits].reduce((n, digit) => n * 32 + BASE32HEX.indexOf(digit), 0);
}

export function checkResources(models: readonly ConfigElement[], problems: Problem[]): void {
  const columns = new Map<string, Map<number, string>>();
  for (const m of models) {
    if (m.spec.name !== "EntityType" || typeof m.attributes.Identifier !== "string" || columns.has(m.attributes.Identifier)) continue;
    const used = new Map<number, string>();
    for (const p of m.children) if (typeof p.attributes.TargetColumnIndex === "number") used.set(p.attributes.TargetColumnIndex, String(p.attributes.Identifier));
    columns.set(m.attributes.Identifier, used);
  }
  for (const resource of models) {
    if (resource.spec.name !== "Resource") continue;
    const type = String(resource.attributes.Type);
    const used = columns.get(type);
    if (used === undefined) continue;
    for (const name of Object.keys(resource.attributes)) {
      const index = columnIndex(name);
      if (index === undefined || used.has(index)) continue;
      problems.push({
        code: "invalid-value", severity: "warning", ...position(findAttribute(resource.xml, name) ?? resource.xml),
        message: `Resource ${String(resource.attributes.Id)}: no property of ${type} is stored in column ${index} (${name})`,
        hint: `${type} stores its properties in columns ${[...used.keys()].sort((a, b) => a - b).join(", ") || "(none)"}`,
      });
    }
  }
}

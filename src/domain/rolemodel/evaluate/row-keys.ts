/**
 * What makes two rows the same assignment, whatever their states and periods: the kind, what is
 * assigned, the target, the property, and for a navigation (multi-valued) the value. The loose key
 * leaves the target out, so that a row waiting for its creation meets the row of the target that
 * creation produced.
 */
import type { Assignment, ExpectedRow } from "./assignments.js";
import { textOf } from "./compare-values.js";

type Keyed = Assignment | ExpectedRow;

export function looseKey(row: Keyed): string {
  switch (row.kind) {
    case "compositeRole":
    case "singleRole":
      return `${row.kind}\u0000${row.role}`;
    case "risk":
      return `risk\u0000${row.risk}`;
    case "resourceType":
      return `resourceType\u0000${row.resourceType}`;
    case "navigation":
      return `navigation\u0000${row.resourceType}\u0000${row.property}\u0000${textOf(row.policyValue)}`;
    case "scalar":
    case "binary":
      return `${row.kind}\u0000${row.resourceType}\u0000${row.property}`;
  }
}

export function targetOf(row: Keyed): string | null {
  return "target" in row ? (row.target?.id ?? null) : null;
}

export function rowKey(row: Keyed): string {
  return `${looseKey(row)}\u0000${targetOf(row) ?? ""}`;
}

/**
 * The provisioning thresholds of a ResourceType (model.md §C.6): the most orders of each change type
 * one run may send, in orders (MaximumInsert / MaximumUpdate / MaximumDelete, 0 = none) and as a
 * percentage (…Percent, default 30) of the resources of its TargetEntityType already stored (with none
 * stored, a percentage does not apply, as for synchronization). The first one exceeded holds the
 * resource type's orders Blocked (blocked-changes.ts).
 */
import type { ResourceTypeAttributes } from "../../config/generated/schema-types.js";
import { numberAttribute } from "./role-model-items.js";
import type { OrderChangeType } from "./states.js";

export const DEFAULT_THRESHOLD_PERCENT = 30;

type ThresholdAttribute = `Maximum${"Insert" | "Update" | "Delete"}${"" | "Percent"}`;
const OPERATIONS: readonly [OrderChangeType, "Insert" | "Update" | "Delete", string][] = [
  ["Added", "Insert", "inserted"], ["Modified", "Update", "updated"], ["Deleted", "Delete", "deleted"],
];

export type ProvisioningThresholds = Record<OrderChangeType, { maximum: number; percent: number }>;

export function readThresholds(attributes: Readonly<Partial<Pick<ResourceTypeAttributes, ThresholdAttribute>>>): ProvisioningThresholds {
  const thresholds = {} as ProvisioningThresholds;
  for (const [changeType, name] of OPERATIONS) {
    thresholds[changeType] = {
      maximum: numberAttribute(attributes[`Maximum${name}`], 0),
      percent: numberAttribute(attributes[`Maximum${name}Percent`], DEFAULT_THRESHOLD_PERCENT),
    };
  }
  return thresholds;
}

/** The first threshold the orders exceed, as a message, or undefined. `stored`: the target entity type's resources. */
export function exceededProvisioningThreshold(
  resourceType: string, thresholds: ProvisioningThresholds, counts: Readonly<Record<OrderChangeType, number>>, stored: number, targetEntityType: string,
): string | undefined {
  for (const [changeType, name, verb] of OPERATIONS) {
    const n = counts[changeType];
    if (n === 0) continue;
    const { maximum, percent } = thresholds[changeType];
    if (maximum > 0 && n > maximum) return `Maximum${name} of ResourceType ${resourceType} (${maximum}) exceeded: ${n} ${targetEntityType} resources would be ${verb}`;
    if (percent > 0 && stored > 0 && (n * 100) / stored > percent) {
      return `Maximum${name}Percent of ResourceType ${resourceType} (${percent}%) exceeded: ${n} of ${stored} ${targetEntityType} resources (${Math.round((n * 1000) / stored) / 10}%) would be ${verb}`;
    }
  }
  return undefined;
}

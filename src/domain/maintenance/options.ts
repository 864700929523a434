/**
 * MaintainIndexesTask's attributes as the maintenance uses them: the reference writes 0 for "the
 * engine default", and the attributes arrive coerced (numbers, booleans, defaults materialised).
 */
import type { AttributeValue } from "../../config/coerce-attribute.js";

export interface MaintenanceOptions {
  /** Indexes with fewer pages are left alone (unless allIndexes). */
  pageCount: number;
  /** Fragmentation (SQL Server) or bloat (PostgreSQL, SQLite) % from which an index is rebuilt. */
  rebuildThreshold: number;
  /** Fragmentation % from which an index is reorganised (SQL Server; the others have no reorganise). */
  reorganizeThreshold: number;
  /** % of a table's rows modified since its statistics were computed that makes them refreshed. */
  updateStatsThreshold: number;
  /** Rebuild every index, whatever its size and fragmentation. */
  allIndexes: boolean;
  /** Rebuild without the online / concurrent variant (locks the table, faster, less space). */
  offline: boolean;
  /** Skip the repair of the store's own inconsistencies. */
  noNormalizationCheck: boolean;
}

/** The engine defaults that 0 stands for (reference tasks.md §3.11). */
export const ENGINE_DEFAULTS = { PageCount: 1000, RebuildThreshold: 30, ReorganizeThreshold: 5, UpdateStatsThreshold: 10 } as const;

export function maintenanceOptions(task: string, attributes: Record<string, AttributeValue>): MaintenanceOptions {
  const integer = (name: keyof typeof ENGINE_DEFAULTS): number => {
    const value = attributes[name];
    if (value === undefined || value === 0) return ENGINE_DEFAULTS[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new Error(`MaintainIndexesTask ${task}: ${name}="${String(value)}" is not valid: expected a positive integer, or 0 for the default of ${ENGINE_DEFAULTS[name]}`);
    }
    return value;
  };
  const flag = (name: "AllIndexes" | "Offline" | "NoNormalizationCheck"): boolean => {
    const value = attributes[name];
    if (value === undefined || typeof value === "boolean") return value ?? false;
    throw new Error(`MaintainIndexesTask ${task}: ${name}="${String(value)}" is not valid: expected true or false`);
  };
  return {
    pageCount: integer("PageCount"),
    rebuildThreshold: integer("RebuildThreshold"),
    reorganizeThreshold: integer("ReorganizeThreshold"),
    updateStatsThreshold: integer("UpdateStatsThreshold"),
    allIndexes: flag("AllIndexes"),
    offline: flag("Offline"),
    noNormalizationCheck: flag("NoNormalizationCheck"),
  };
}

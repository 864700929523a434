/**
 * The thresholds of a synchronization (README, SynchronizeTask): the most resources (and links) a
 * run may insert, update or delete, in lines and as a percentage of what is stored, per connector
 * and per mapping. The first one exceeded holds the changes Blocked (blocked-changes.ts).
 */
import type { ConnectorModel } from "./synchronize-model.js";

export const OPERATIONS = ["Inserted", "Updated", "Deleted"] as const;
export type ThresholdOperation = (typeof OPERATIONS)[number];

/** Maximum lines and maximum percentage per operation; 0 (or absent) disables one. */
export type Thresholds = Record<ThresholdOperation, { lines: number; percentage: number }>;

export type LinkThresholds = Record<"Inserted" | "Deleted", { lines: number; percentage: number }>;

export interface ThresholdCheck {
  /** Changes per entity type and operation (lowercase: insert, update, delete). */
  changes: Record<string, Record<string, number>>;
  /** Current resources per entity type. */
  current: Map<string, number>;
}

const OPERATION_OF: Record<ThresholdOperation, string> = { Inserted: "insert", Updated: "update", Deleted: "delete" };
const VERB: Record<ThresholdOperation, string> = { Inserted: "inserted", Updated: "updated", Deleted: "deleted" };

/**
 * The first threshold the changes exceed, as a message, or undefined. Connector thresholds count
 * every entity type of the connector against all its current resources; mapping thresholds count
 * one entity type against its own. Every active threshold applies, so the lowest blocks first.
 * A percentage needs resources already stored: with none it does not apply.
 */
export function exceededThreshold(model: ConnectorModel, check: ThresholdCheck): string | undefined {
  const base = (entityType: string | undefined): number =>
    entityType !== undefined ? check.current.get(entityType) ?? 0 : [...model.entityTypes.keys()].reduce((s, t) => s + (check.current.get(t) ?? 0), 0);
  for (const { where, what, op, n, lines, percentage, entityType } of activeThresholds(model, check.changes)) {
    if (lines > 0 && n > lines) return `Maximum${op}Lines of ${where} (${lines}) exceeded: ${n} ${what} would be ${VERB[op]}`;
    const stored = base(entityType);
    if (percentage > 0 && stored > 0 && (n * 100) / stored > percentage) {
      return `MaxPercentage${op}Lines of ${where} (${percentage}%) exceeded: ${n} of ${stored} ${what} (${Math.round((n * 1000) / stored) / 10}%) would be ${VERB[op]}`;
    }
  }
  return undefined;
}

/** Whether any resource threshold is on (the connector's or a mapping's): with none, changes need no counting. */
export function hasResourceThresholds(model: ConnectorModel): boolean {
  const on = (thresholds: Thresholds) => OPERATIONS.some((op) => thresholds[op].lines > 0 || thresholds[op].percentage > 0);
  return on(model.thresholds) || [...model.entityTypes.values()].some((t) => on(t.thresholds));
}

/**
 * Whether a percentage threshold applies to these changes: only then are the stored resources
 * counted (a count reads the whole index range of the connector's entity types).
 */
export function needsCurrentCounts(model: ConnectorModel, changes: ThresholdCheck["changes"]): boolean {
  return activeThresholds(model, changes).some((t) => t.percentage > 0);
}

/** Each threshold scope (the connector, then each mapping) and operation that has changes. */
function activeThresholds(model: ConnectorModel, changes: ThresholdCheck["changes"]) {
  const count = (entityType: string | undefined, op: ThresholdOperation): number => {
    const key = OPERATION_OF[op];
    if (entityType !== undefined) return changes[entityType]?.[key] ?? 0;
    return Object.values(changes).reduce((sum, byOp) => sum + (byOp[key] ?? 0), 0);
  };
  const scopes: [string, Thresholds, string | undefined][] = [
    [`connector ${model.connector}`, model.thresholds, undefined],
    ...[...model.entityTypes.values()].map((t): [string, Thresholds, string | undefined] => [`EntityTypeMapping ${t.identifier}`, t.thresholds, t.identifier]),
  ];
  const active = [];
  for (const [where, thresholds, entityType] of scopes) {
    for (const op of OPERATIONS) {
      const n = count(entityType, op);
      if (n === 0) continue;
      const what = entityType === undefined ? `resources of ${model.connector}` : `${entityType} resources`;
      active.push({ where, what, op, n, entityType, ...thresholds[op] });
    }
  }
  return active;
}

/**
 * The first link threshold the link changes exceed: the connector's over all its associations, each
 * EntityAssociationMapping's over its own links; percentages against the links already stored.
 */
export function exceededLinkThreshold(
  model: ConnectorModel, changes: Record<string, Record<string, number>>, current: Map<string, number>,
): string | undefined {
  const ops = [["Inserted", "insert", "inserted"], ["Deleted", "delete", "deleted"]] as const;
  const all = [...model.associations.keys()];
  const scopes: [string, LinkThresholds, string[], string][] = [
    [`connector ${model.connector}`, model.linkThresholds, all, `links of ${model.connector}`],
    ...[...model.associations.values()].map((a): [string, LinkThresholds, string[], string] => [`EntityAssociationMapping ${a.identifier}`, a.thresholds, [a.identifier], `${a.identifier} links`]),
  ];
  const prefix = (where: string) => (where.startsWith("connector") ? "Link" : "");
  for (const [where, thresholds, associations, what] of scopes) {
    for (const [op, key, verb] of ops) {
      const n = associations.reduce((sum, a) => sum + (changes[a]?.[key] ?? 0), 0);
      if (n === 0) continue;
      const { lines, percentage } = thresholds[op];
      const linesName = `Maximum${prefix(where)}${op}Lines`;
      const percentageName = `Max${prefix(where)}Percentage${op}Lines`;
      if (lines > 0 && n > lines) return `${linesName} of ${where} (${lines}) exceeded: ${n} ${what} would be ${verb}`;
      const stored = associations.reduce((sum, a) => sum + (current.get(a) ?? 0), 0);
      if (percentage > 0 && stored > 0 && (n * 100) / stored > percentage) {
        return `${percentageName} of ${where} (${percentage}%) exceeded: ${n} of ${stored} ${what} (${Math.round((n * 1000) / stored) / 10}%) would be ${verb}`;
      }
    }
  }
  return undefined;
}

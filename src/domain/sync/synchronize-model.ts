/**
 * What SynchronizeTask reads from the stored model: each EntityTypeMapping's column → property map,
 * and the thresholds of the connector and of its mappings (README, Model elements).
 */
import { attributeText, type AttributeValue } from "../../config/coerce-attribute.js";
import { valueFormat, type ValueFormat } from "../../config/value-formats.js";
import { readStoredItem, type LazyStoredItem } from "../stored-items.js";
import { ENTITY, type ItemRow } from "../../store/entities.js";
import type { Store } from "../../store/store.js";
import { readMappingItems } from "./mapping-items.js";

export const OPERATIONS = ["Inserted", "Updated", "Deleted"] as const;
export type ThresholdOperation = (typeof OPERATIONS)[number];

/** Maximum lines and maximum percentage per operation; 0 (or absent) disables one. */
export type Thresholds = Record<ThresholdOperation, { lines: number; percentage: number }>;

export interface EntityTypeModel {
  identifier: string;
  /** The property of the primary key column (the source key). */
  primaryKey: string | undefined;
  /** ConnectionColumn → property identifier. */
  properties: Map<string, string>;
  /** ConnectionColumn → the conversion of its property's Format (value-formats.ts). */
  formats: Map<string, ValueFormat>;
  thresholds: Thresholds;
}

export interface AssociationSide {
  entityType: string;
  property: string;
}

export interface AssociationModel {
  identifier: string;
  /** Column1's side (the link's from end) and Column2's (its to end). */
  side1: AssociationSide;
  side2: AssociationSide;
  thresholds: LinkThresholds;
}

export type LinkThresholds = Record<"Inserted" | "Deleted", { lines: number; percentage: number }>;

export interface ConnectorModel {
  connector: string;
  thresholds: Thresholds;
  linkThresholds: LinkThresholds;
  entityTypes: Map<string, EntityTypeModel>;
  associations: Map<string, AssociationModel>;
}


function number(value: AttributeValue | undefined, fallback: number): number {
  const t = attributeText(value);
  if (t === undefined) return fallback;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function thresholdsOf(attributes: Record<string, AttributeValue>, lines: number, percentage: number): Thresholds {
  const result = {} as Thresholds;
  for (const op of OPERATIONS) {
    result[op] = { lines: number(attributes[`Maximum${op}Lines`], lines), percentage: number(attributes[`MaxPercentage${op}Lines`], percentage) };
  }
  return result;
}

export async function readConnectorModel(store: Store, connector: string): Promise<ConnectorModel> {
  const connectorItem = await readStoredItem(store, "Connector", connector);
  if (connectorItem === undefined) throw new Error(`connector ${connector} is not deployed`);
  const items = await readMappingItems(store, connector);
  const entityTypes = new Map<string, EntityTypeModel>();
  for (const { item, properties: mapped } of items.entityTypes) {
    const properties = new Map<string, string>();
    const formats = new Map<string, ValueFormat>();
    let primaryKey: string | undefined;
    for (const { property, column, isPrimaryKey, format } of mapped) {
      if (column !== undefined && !properties.has(column)) properties.set(column, property);
      if (column !== undefined && format !== undefined) formats.set(column, valueFormat(format));
      if (isPrimaryKey) primaryKey = property;
    }
    entityTypes.set(item.identifier, { identifier: item.identifier, primaryKey, properties, formats, thresholds: thresholdsOf(item.attributes, 0, 0) });
  }
  const associations = new Map<string, AssociationModel>();
  for (const item of items.associations) {
    const side = (n: 1 | 2): AssociationSide => {
      const [entityType, property] = (attributeText(item.attributes[`EntityPropertyMapping${n}`]) ?? "").split(":");
      if (!entityType || !property) throw new Error(`EntityAssociationMapping ${item.identifier} needs EntityPropertyMapping${n} (EntityType:Property)`);
      return { entityType, property };
    };
    associations.set(item.identifier, {
      identifier: item.identifier, side1: side(1), side2: side(2),
      thresholds: linkThresholdsOf(item.attributes, "Maximum{op}Lines", "MaxPercentage{op}Lines", 0, 0),
    });
  }
  return {
    connector, thresholds: thresholdsOf(connectorItem.attributes, 100, 5), entityTypes, associations,
    linkThresholds: linkThresholdsOf(connectorItem.attributes, "MaximumLink{op}Lines", "MaxLinkPercentage{op}Lines", 1000, 5),
  };
}

function linkThresholdsOf(attributes: Record<string, AttributeValue>, lines: string, percentage: string, defaultLines: number, defaultPercentage: number): LinkThresholds {
  const result = {} as LinkThresholds;
  for (const op of ["Inserted", "Deleted"] as const) {
    result[op] = { lines: number(attributes[lines.replace("{op}", op)], defaultLines), percentage: number(attributes[percentage.replace("{op}", op)], defaultPercentage) };
  }
  return result;
}

/** A resource's properties from a sorted row: mapped columns only, converted by their Format; an empty field is no value. */
export function propertiesOfRow(model: EntityTypeModel, columns: readonly string[], row: readonly string[], offset = 0): Record<string, string> {
  const properties: Record<string, string> = {};
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const property = model.properties.get(column);
    const raw = row[i + offset] ?? "";
    if (property === undefined || raw === "") continue;
    const format = model.formats.get(column);
    const value = format === undefined ? raw : format(raw);
    if (value !== undefined) properties[property] = value;
  }
  return properties;
}

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

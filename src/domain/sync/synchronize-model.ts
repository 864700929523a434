/**
 * What SynchronizeTask reads from the stored model: each EntityTypeMapping's column → property map,
 * and the thresholds of the connector and of its mappings (README, Model elements; checked in thresholds.ts).
 */
import { attributeText, type AttributeValue } from "../../config/coerce-attribute.js";
import { valueFormat, type ValueFormat } from "../../config/value-formats.js";
import { readStoredItem } from "../stored-items.js";
import type { Store } from "../../store/store.js";
import { readMappingItems } from "./mapping-items.js";
import { OPERATIONS, type LinkThresholds, type Thresholds } from "./thresholds.js";

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

/**
 * The stored text of a resource's properties from a sorted row (from `offset` on): mapped columns
 * only, converted by their Format, an empty field no value; a property that several columns fill
 * takes the last value. The text is encodeProperties' (keys in the order it writes them), built by a
 * function made once per file rather than an object and a key sort per row.
 */
export function propertiesEncoder(model: EntityTypeModel, columns: readonly string[], offset = 0): (row: readonly string[]) => string {
  const sources = new Map<string, { index: number; format: ValueFormat | undefined }[]>();
  for (let i = 0; i < columns.length; i++) {
    const property = model.properties.get(columns[i]!);
    if (property === undefined) continue;
    const list = sources.get(property) ?? sources.set(property, []).get(property)!;
    list.push({ index: i + offset, format: model.formats.get(columns[i]!) });
  }
  // encodeProperties inserts the sorted names into an object, which puts integer-like names first.
  const order = Object.keys(Object.fromEntries([...sources.keys()].sort().map((name) => [name, 0])));
  const fields = order.map((name) => ({
    prefix: `${JSON.stringify(name)}:`,
    sources: sources.get(name)!.map(({ index, format }) => ({ index, format: format === undefined ? undefined : remembered(format) })),
  }));
  return (row) => {
    let text = "";
    for (const { prefix, sources } of fields) {
      let value: string | undefined;
      for (const { index, format } of sources) {
        const raw = row[index] ?? "";
        if (raw === "") continue;
        const converted = format === undefined ? raw : format(raw);
        if (converted !== undefined) value = converted;
      }
      if (value !== undefined) text += (text === "" ? "{" : ",") + prefix + jsonString(value);
    }
    return text === "" ? "{}" : text + "}";
  };
}

/** Text JSON.stringify writes as it is, between quotes: no quote, backslash, control character or surrogate. */
const PLAIN_JSON = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** JSON.stringify of a string; most values need no escape, and a test and a template cost less than the call. */
function jsonString(value: string): string {
  return PLAIN_JSON.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** Values converted per format, kept for the values that come again (dates, flags): up to this many, then started afresh. */
const REMEMBERED_VALUES = 4096;

/** A format that remembers its last conversions: a file's dates repeat, and a conversion costs a regular expression. */
function remembered(format: ValueFormat): ValueFormat {
  const converted = new Map<string, string | undefined>();
  return (value) => {
    if (converted.has(value)) return converted.get(value);
    if (converted.size >= REMEMBERED_VALUES) converted.clear();
    const result = format(value);
    converted.set(value, result);
    return result;
  };
}

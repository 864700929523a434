/**
 * A connector's stored EntityTypeMapping and EntityAssociationMapping items, in identifier order,
 * each EntityTypeMapping's Property children read: what PrepareSynchronization (mappings.ts: the
 * files to read) and Synchronize (synchronize-model.ts: properties, keys, thresholds) both start from.
 */
import { attributeText, isTrueAttribute, type AttributeValue } from "../../config/coerce-attribute.js";
import { readStoredItems, type LazyStoredItem } from "../stored-items.js";
import type { Store } from "../../store/store.js";

export interface MappedProperty {
  property: string;
  column: string | undefined;
  isPrimaryKey: boolean;
  format: string | undefined;
}

export interface ConnectorMappingItems {
  entityTypes: { item: LazyStoredItem; properties: MappedProperty[] }[];
  associations: LazyStoredItem[];
}

async function itemsOf(store: Store, kind: string, connector: string): Promise<LazyStoredItem[]> {
  return (await readStoredItems(store, kind)).filter((item) => attributeText(item.attributes.Connector) === connector);
}

function mappedProperties(item: LazyStoredItem): MappedProperty[] {
  const group = (item.children as Record<string, unknown>).Property;
  if (group === null || typeof group !== "object" || Array.isArray(group)) return [];
  return Object.entries(group as Record<string, Record<string, AttributeValue>>).map(([key, attributes]) => ({
    property: attributeText(attributes.Identifier) ?? key,
    column: attributeText(attributes.ConnectionColumn),
    isPrimaryKey: isTrueAttribute(attributes.IsPrimaryKey),
    format: attributeText(attributes.Format),
  }));
}

export async function readMappingItems(store: Store, connector: string): Promise<ConnectorMappingItems> {
  // A mapping with no property (a type provisioned by hand) has no file to read and nothing to compare.
  const entityTypes = (await itemsOf(store, "EntityTypeMapping", connector))
    .map((item) => ({ item, properties: mappedProperties(item) }))
    .filter((mapping) => mapping.properties.length > 0);
  return { entityTypes, associations: await itemsOf(store, "EntityAssociationMapping", connector) };
}

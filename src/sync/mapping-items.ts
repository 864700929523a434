/**
 * A connector's stored EntityTypeMapping and EntityAssociationMapping items, in identifier order,
 * each EntityTypeMapping's Property children read: what PrepareSynchronization (mappings.ts: the
 * files to read) and Synchronize (synchronize-model.ts: properties, keys, thresholds) both start from.
 */
import { attributeText, isTrueAttribute, type AttributeValue } from "../config/coerce-attribute.js";
import { LazyStoredItem } from "../deploy/stored-items.js";
import { ENTITY, type ItemRow } from "../store/entities.js";
import type { Store } from "../store/store.js";

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
  const rows = await store.dataSource.manager.getRepository<ItemRow>(ENTITY.item).findBy({ kind });
  return rows.map((row) => new LazyStoredItem(row))
    .filter((item) => attributeText(item.attributes.Connector) === connector)
    .sort((a, b) => (a.identifier < b.identifier ? -1 : 1));
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
  const entityTypes = (await itemsOf(store, "EntityTypeMapping", connector)).map((item) => ({ item, properties: mappedProperties(item) }));
  return { entityTypes, associations: await itemsOf(store, "EntityAssociationMapping", connector) };
}

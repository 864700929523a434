/**
 * The deployed entity model as the tasks after synchronization need it: each EntityType's
 * properties with their types, and each navigation property resolved to the association, the link
 * end it reads and the type it reaches. Read from the stored items, not from the configuration
 * folder: a task works on what was deployed.
 *
 * A link (from, to) of an association `Property1="A:P1" Property2="B:P2"` is read both ways: the
 * from-resource (an A, the mapping's Column1 side) reaches its to-resources through P1, and the
 * to-resource (a B) reaches its from-resource through P2. IsProperty1Collection /
 * IsProperty2Collection say whether P1 / P2 hold several resources.
 */
import { attributeText, isTrueAttribute, type AttributeValue } from "../../config/coerce-attribute.js";
import { readStoredItems, type LazyStoredItem } from "../stored-items.js";
import type { Store } from "../../store/store.js";

/** The reference's property types (model.md B.1); numbers in the XML are mapped to these names. */
export const PROPERTY_TYPES = [
  "String", "Bytes", "Int32", "Int64", "DateTime", "Bool", "Guid", "Double", "Binary", "Byte", "Int16", "ForeignKey",
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];
const TYPE_BY_NUMBER: Record<string, PropertyType> = {
  0: "String", 1: "Bytes", 2: "Int32", 3: "Int64", 4: "DateTime", 5: "Bool", 6: "Guid", 7: "Double", 8: "Binary", 9: "Byte", 10: "Int16", 12: "ForeignKey",
};

/** Every entity type has it, declared or not; EntityPropertyExpressions usually fill it. */
export const INTERNAL_DISPLAY_NAME = "InternalDisplayName";

export interface Navigation {
  association: string;
  /** The link column that holds this resource: "from" for Property1, "to" for Property2. */
  end: "from" | "to";
  /** The entity type at the other end. */
  target: string;
  /** The property at the other end, that navigates back. */
  inverse: string;
  collection: boolean;
}

export interface PropertyModel {
  identifier: string;
  type: PropertyType;
  isKey: boolean;
  /** Set on ForeignKey properties that an EntityAssociation uses. */
  navigation?: Navigation;
}

export interface EntityTypeDefinition {
  identifier: string;
  /** In declaration order; includes InternalDisplayName (String) when the type does not declare it. */
  properties: Map<string, PropertyModel>;
}

export interface EntityModel {
  entityTypes: Map<string, EntityTypeDefinition>;
  /** Association identifier → its two ends. */
  associations: Map<string, { identifier: string; from: { entityType: string; property: string; collection: boolean }; to: { entityType: string; property: string; collection: boolean } }>;
}


export function propertyType(value: AttributeValue | undefined): PropertyType {
  const t = attributeText(value);
  if (t === undefined) return "String";
  return TYPE_BY_NUMBER[t] ?? (PROPERTY_TYPES as readonly string[]).find((name) => name === t) as PropertyType ?? "String";
}

function childGroup(item: LazyStoredItem, name: string): [string, Record<string, AttributeValue>][] {
  const group = (item.children as Record<string, unknown>)[name];
  return group !== null && typeof group === "object" && !Array.isArray(group) ? Object.entries(group as Record<string, Record<string, AttributeValue>>) : [];
}

export async function readEntityModel(store: Store): Promise<EntityModel> {
  const entityTypes = new Map<string, EntityTypeDefinition>();
  for (const item of await readStoredItems(store, "EntityType")) {
    const properties = new Map<string, PropertyModel>();
    for (const [key, attributes] of childGroup(item, "Property")) {
      const identifier = attributeText(attributes.Identifier) ?? key;
      properties.set(identifier, { identifier, type: propertyType(attributes.Type), isKey: isTrueAttribute(attributes.IsKey) });
    }
    if (!properties.has(INTERNAL_DISPLAY_NAME)) properties.set(INTERNAL_DISPLAY_NAME, { identifier: INTERNAL_DISPLAY_NAME, type: "String", isKey: false });
    entityTypes.set(item.identifier, { identifier: item.identifier, properties });
  }

  const associations: EntityModel["associations"] = new Map();
  for (const item of await readStoredItems(store, "EntityAssociation")) {
    const end = (n: 1 | 2) => {
      const [entityType, property] = (attributeText(item.attributes[`Property${n}`]) ?? "").split(":");
      return entityType && property ? { entityType, property, collection: isTrueAttribute(item.attributes[`IsProperty${n}Collection`]) } : undefined;
    };
    const from = end(1);
    const to = end(2);
    if (from === undefined || to === undefined) continue;
    associations.set(item.identifier, { identifier: item.identifier, from, to });
    const navigate = (side: typeof from, other: typeof from, linkEnd: "from" | "to") => {
      const property = entityTypes.get(side.entityType)?.properties.get(side.property);
      if (property) property.navigation = { association: item.identifier, end: linkEnd, target: other.entityType, inverse: other.property, collection: side.collection };
    };
    navigate(from, to, "from");
    navigate(to, from, "to");
  }
  return { entityTypes, associations };
}

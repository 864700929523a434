/**
 * An order's Changes read against the deployed entity type it writes (pure): each change becomes a
 * scalar value, a mono-valued navigation to replace, or references to link or unlink through a
 * multi-valued navigation. What the entity type does not have is refused with the order's message.
 */
import type { OrderReference, ProvisioningOrder } from "../../connectors/fulfil/fulfiller.js";
import type { EntityModel, EntityTypeDefinition, Navigation } from "../resources/entity-model.js";
import type { PropertyValue } from "../../store/entities.js";

/** A failure of one order: it ends Errored with this message, the batch goes on. */
export class OrderError extends Error {}

export type TargetChange =
  | { kind: "scalar"; property: string; value: PropertyValue | null }
  | { kind: "mono"; property: string; navigation: Navigation; reference: OrderReference | null }
  | { kind: "add" | "remove"; property: string; navigation: Navigation; references: OrderReference[] };

/** The deployed entity type the order writes: its resource type's TargetEntityType. */
export function targetEntityType(model: EntityModel, order: ProvisioningOrder): EntityTypeDefinition {
  const identifier = order.ResourceType?.TargetEntityType?.Identifier;
  if (identifier === undefined || identifier === null || identifier === "") {
    throw new OrderError(`resource type ${order.ResourceType?.Identifier ?? "?"} has no target entity type to write`);
  }
  const entityType = model.entityTypes.get(identifier);
  if (entityType === undefined) throw new OrderError(`target entity type ${identifier} is not deployed`);
  return entityType;
}

export function targetChanges(entityType: EntityTypeDefinition, changes: Readonly<Record<string, unknown>>): TargetChange[] {
  return Object.entries(changes ?? {}).map(([name, value]) => targetChange(entityType, name, value));
}

function targetChange(entityType: EntityTypeDefinition, name: string, value: unknown): TargetChange {
  const suffix = /_(add|remove)$/.exec(name);
  const base = suffix === null ? undefined : entityType.properties.get(name.slice(0, suffix.index));
  if (suffix !== null && base?.navigation?.collection === true) {
    if (!Array.isArray(value)) throw new OrderError(`${name} of entity type ${entityType.identifier} must be a list of references`);
    return { kind: suffix[1] as "add" | "remove", property: base.identifier, navigation: base.navigation, references: value.map((v) => reference(entityType, name, v)) };
  }
  const property = entityType.properties.get(name);
  if (property === undefined) throw new OrderError(`entity type ${entityType.identifier} has no property ${name}`);
  const navigation = property.navigation;
  if (navigation?.collection === true) throw new OrderError(`${name} of entity type ${entityType.identifier} is multi-valued: write ${name}_add and ${name}_remove`);
  if (navigation !== undefined) return { kind: "mono", property: name, navigation, reference: value === null ? null : reference(entityType, name, value) };
  if (value !== null && typeof value !== "string" && typeof value !== "boolean" && !(typeof value === "number" && Number.isFinite(value))) {
    throw new OrderError(`${name} of entity type ${entityType.identifier} must be a text value or null`);
  }
  return { kind: "scalar", property: name, value };
}

function reference(entityType: EntityTypeDefinition, name: string, value: unknown): OrderReference {
  const r = value as Partial<OrderReference> | null;
  const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
  if (r === null || typeof r !== "object" || (text(r.Id) === "" && text(r.Identifier) === "")) {
    throw new OrderError(`${name} of entity type ${entityType.identifier} must reference a resource by Id or Identifier`);
  }
  return { Id: text(r.Id), Identifier: text(r.Identifier) };
}

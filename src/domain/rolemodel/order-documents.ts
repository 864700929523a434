/**
 * Provisioning orders as the order files hold them (model.md §C.13): what changes (the Pending values
 * of a Pending resource type assignment), and the document around it, built per page of assignments
 * with one read of the owners, targets and linked resources the page names.
 *
 * - Ids are strings. `ResourceType` and its entity types carry their configuration item ids.
 * - `Owner`: the owner's Id, Identifier (its source key) and its stored properties; absent without owner.
 * - `Changes`: property → policy value, as text (the product's default; typed values are the
 *   FormatPropertiesInResource scaffolding's). A navigation value is `{"Id", "Identifier"}` of the
 *   resource it points to; a multi-valued navigation lists what to add as `<property>_add` and what to
 *   remove as `<property>_remove`. A value to remove is a Pending value whose change type is Deleted
 *   (its policy value, else its current value, names what goes), or without a change type one with no
 *   policy value where the target has one; a mono-valued one is cleared (null). A Deleted order has
 *   no changes.
 * - `Resource`: the target's Id, Identifier and stored properties, for Modified and Deleted orders.
 */
import type { OrderReference, ProvisioningOrder } from "../../connectors/fulfil/fulfiller.js";
import { readEntityModel, type EntityModel } from "../resources/entity-model.js";
import { decodeProperties } from "../resources/properties.js";
import { ResourceStore } from "../resources/resource-store.js";
import { readStoredItems } from "../stored-items.js";
import type { Store } from "../../store/store.js";
import type { ResourceTypeWithValues } from "./assignment-rows.js";
import { pendingChange } from "./assignment-store.js";
import type { ResourceTypeModel } from "./role-model-items.js";
import type { OrderChangeType, ProvisioningState } from "./states.js";

/** What an order says, before the document is built around it (and what idm_provisioning_orders keeps). */
export interface OrderParts {
  assignedResourceTypeId: number;
  changeType: OrderChangeType;
  ownerId: number | null;
  targetId: number | null;
  changes: Record<string, unknown>;
}

/** The §C.13 order: the connectors layer owns its shape, since every fulfilment package reads it. */
export type OrderDocument = ProvisioningOrder;
export type ResourceReference = OrderReference;

/** Each resource type's OrderDocuments, over the entity model and entity type ids read once. */
export async function orderDocumentsOf(store: Store): Promise<(type: ResourceTypeModel) => OrderDocuments> {
  const model = await readEntityModel(store);
  const entityTypeIds = new Map((await readStoredItems(store, "EntityType")).map((i) => [i.identifier, i.id]));
  return (type) => new OrderDocuments(store, model, type, entityTypeIds);
}

export class OrderDocuments {
  readonly #resources: ResourceStore;

  constructor(
    store: Store,
    private readonly model: EntityModel,
    private readonly resourceType: ResourceTypeModel,
    /** EntityType identifier → its item id. */
    private readonly entityTypeIds: ReadonlyMap<string, number>,
  ) {
    this.#resources = new ResourceStore(store.dataSource.manager);
  }

  /** The orders of a page of Pending assignments (or, for a provisioning review, of AwaitingApproval ones: `state`). */
  async partsOf(page: readonly ResourceTypeWithValues[], state: ProvisioningState = "Pending"): Promise<OrderParts[]> {
    const linked = page.flatMap((a) => a.values.filter((v) => v.kind === "navigation" && v.provisioningState === state).flatMap((v) => [v.policyValue, v.currentValue]));
    const keys = await this.#resources.sourceKeysByIds([...new Set(linked.filter((v): v is string => v !== null).map(Number))]);
    return page.map((a) => {
      const changeType = pendingChange(a.changeType, a.targetId === null);
      return { assignedResourceTypeId: a.id, changeType, ownerId: a.ownerId, targetId: a.targetId, changes: changeType === "Deleted" ? {} : this.changesOf(a, keys, state) };
    });
  }

  private changesOf(assignment: ResourceTypeWithValues, keys: ReadonlyMap<number, string>, state: ProvisioningState): Record<string, unknown> {
    const changes: Record<string, unknown> = {};
    const reference = (id: string | null): ResourceReference | null => (id === null ? null : { Id: id, Identifier: keys.get(Number(id)) ?? "" });
    const push = (name: string, item: ResourceReference) => ((changes[name] ??= []) as ResourceReference[]).push(item);
    for (const value of assignment.values) {
      if (value.provisioningState !== state) continue;
      // A value to remove: Deleted, or (without a change type) no policy value where the target has one.
      const removed = value.changeType === "Deleted" || (value.changeType === null && value.policyValue === null && value.currentValue !== null);
      if (value.kind !== "navigation") changes[value.property] = removed ? null : value.policyValue;
      else if (!this.isCollection(value.property)) changes[value.property] = removed ? null : reference(value.policyValue);
      else if (removed) push(`${value.property}_remove`, reference(value.policyValue ?? value.currentValue)!);
      else if (value.policyValue !== null) push(`${value.property}_add`, reference(value.policyValue)!);
    }
    return changes;
  }

  private isCollection(property: string): boolean {
    const target = this.resourceType.targetEntityType;
    return target !== undefined && this.model.entityTypes.get(target)?.properties.get(property)?.navigation?.collection === true;
  }

  /** The documents of these orders, owners and targets read once for all. */
  async documents(orders: readonly OrderParts[]): Promise<OrderDocument[]> {
    const ids = [...new Set(orders.flatMap((o) => [o.ownerId, o.targetId]).filter((id): id is number => id !== null))];
    const rows = new Map((await this.#resources.resourcesByIds(ids)).map((r) => [r.id, r]));
    const resource = (id: number | null): Record<string, unknown> | undefined => {
      const row = id === null ? undefined : rows.get(id);
      return row === undefined ? undefined : { Id: String(row.id), Identifier: row.sourceKey, ...decodeProperties(row.properties) };
    };
    const entityType = (identifier: string | undefined): ResourceReference | null => {
      const id = identifier === undefined ? undefined : this.entityTypeIds.get(identifier);
      return identifier === undefined || id === undefined ? null : { Id: String(id), Identifier: identifier };
    };
    const type = this.resourceType;
    const resourceType = {
      Id: String(type.itemId), Identifier: type.identifier, SourceEntityType: entityType(type.sourceEntityType), TargetEntityType: entityType(type.targetEntityType),
    };
    return orders.map((o) => {
      const owner = resource(o.ownerId);
      const target = o.changeType === "Added" ? undefined : resource(o.targetId);
      return {
        AssignedResourceTypeId: String(o.assignedResourceTypeId), ChangeType: o.changeType, ...(owner === undefined ? {} : { Owner: owner }),
        ResourceType: resourceType, Changes: o.changes, ...(target === undefined ? {} : { Resource: target }),
      };
    });
  }
}

/**
 * One order of the InternalResources package written into the resource store: Added creates the
 * resource (or sets the one already under its key), Modified sets the target's changed properties
 * and links, Deleted deletes it. Each write happens only when it changes something, so an order
 * applied twice finds its effect the second time and says so (alreadyApplied).
 */
import type { OrderReference, ProvisioningOrder } from "../../connectors/fulfil/fulfiller.js";
import type { ResourceRow } from "../../store/entities.js";
import type { EntityModel, EntityTypeDefinition, Navigation } from "../resources/entity-model.js";
import { decodeProperties, encodeProperties, type PropertyInput } from "../resources/properties.js";
import type { LinkInput, ResourceStore, WriteContext } from "../resources/resource-store.js";
import { OrderError, targetChanges, targetEntityType, type TargetChange } from "./internal-resource-changes.js";

export interface WriteResult {
  alreadyApplied: boolean;
  message: string;
}

const ALREADY_APPLIED: WriteResult = { alreadyApplied: true, message: "already applied" };

export class InternalResourceWrites {
  constructor(
    private readonly resources: ResourceStore,
    private readonly model: EntityModel,
    private readonly context: WriteContext,
    /** FulfillTask's Dirty: what is written is flagged for the Dirty-mode tasks. */
    private readonly dirty: boolean,
  ) {}

  async apply(order: ProvisioningOrder): Promise<WriteResult> {
    const entityType = targetEntityType(this.model, order);
    const changes = targetChanges(entityType, order.Changes);
    switch (order.ChangeType) {
      case "Added":
        return this.add(entityType, order, changes);
      case "Modified":
        return this.modify(await this.target(entityType, order, "Modified"), changes);
      case "Deleted":
        return this.delete(entityType, order);
      default:
        throw new OrderError(`unknown change type ${String(order.ChangeType)}`);
    }
  }

  /** The key is the key property's new value, else the owner's Identifier (one resource per owner). */
  private async add(entityType: EntityTypeDefinition, order: ProvisioningOrder, changes: TargetChange[]): Promise<WriteResult> {
    const keyProperty = [...entityType.properties.values()].find((p) => p.isKey && p.navigation === undefined)?.identifier;
    const keyValue = changes.find((c): c is Extract<TargetChange, { kind: "scalar" }> => c.kind === "scalar" && c.property === keyProperty)?.value ?? order.Owner?.Identifier;
    const key = typeof keyValue === "string" || typeof keyValue === "number" ? String(keyValue) : "";
    if (key === "") throw new OrderError(`no key for the new ${entityType.identifier}: neither ${keyProperty ?? "a key property"} in Changes nor an owner Identifier`);

    const existing = (await this.resources.keysByKeys(entityType.identifier, [key])).get(key);
    if (existing !== undefined) {
      const result = await this.modify((await this.resources.resourcesByIds([existing.id]))[0]!, changes);
      return result.alreadyApplied ? result : { alreadyApplied: false, message: `${entityType.identifier} ${key} was already there: set to the order's values` };
    }
    const properties: Record<string, PropertyInput> = keyProperty === undefined ? {} : { [keyProperty]: key };
    for (const c of changes) if (c.kind === "scalar") properties[c.property] = c.value;
    await this.resources.insertResources([{ entityType: entityType.identifier, connector: null, sourceKey: key, properties }], this.context, this.dirty);
    const id = (await this.resources.idsByKeys(entityType.identifier, [key])).get(key)!;
    await this.writeLinks(id, changes);
    return { alreadyApplied: false, message: `created ${entityType.identifier} ${key}` };
  }

  private async modify(target: ResourceRow, changes: TargetChange[]): Promise<WriteResult> {
    const current = decodeProperties(target.properties);
    const next: Record<string, PropertyInput> = { ...current };
    for (const c of changes) if (c.kind === "scalar") next[c.property] = c.value;
    const propertiesChanged = encodeProperties(next) !== encodeProperties(current);
    if (propertiesChanged) await this.resources.updateResources([{ id: target.id, properties: next }], this.context, this.dirty ? true : undefined);
    const linksChanged = await this.writeLinks(target.id, changes);
    if (!propertiesChanged && !linksChanged) return ALREADY_APPLIED;
    if (!propertiesChanged && this.dirty) await this.resources.markDirty([target.id]);
    return { alreadyApplied: false, message: `updated ${target.entityType} ${target.sourceKey}` };
  }

  private async delete(entityType: EntityTypeDefinition, order: ProvisioningOrder): Promise<WriteResult> {
    const target = await this.target(entityType, order, "Deleted");
    if (target === undefined) return { alreadyApplied: true, message: "already deleted" };
    await this.resources.deleteResources([target.id], this.context);
    return { alreadyApplied: false, message: `deleted ${target.entityType} ${target.sourceKey}` };
  }

  /** The order's Resource.Id, of the entity type written: a Deleted order's may be gone already. */
  private async target(entityType: EntityTypeDefinition, order: ProvisioningOrder, change: "Modified"): Promise<ResourceRow>;
  private async target(entityType: EntityTypeDefinition, order: ProvisioningOrder, change: "Deleted"): Promise<ResourceRow | undefined>;
  private async target(entityType: EntityTypeDefinition, order: ProvisioningOrder, change: "Modified" | "Deleted"): Promise<ResourceRow | undefined> {
    const id = Number(order.Resource?.Id);
    if (!Number.isSafeInteger(id)) throw new OrderError(`a ${change} order needs the target's Resource.Id`);
    const row = (await this.resources.resourcesByIds([id]))[0];
    if (row === undefined && change === "Modified") throw new OrderError(`target resource ${id} does not exist`);
    if (row !== undefined && row.entityType !== entityType.identifier) throw new OrderError(`target resource ${id} is a ${row.entityType}, not a ${entityType.identifier}`);
    return row;
  }

  /** Replaces mono-valued navigations, adds and ends links of multi-valued ones; true when a link changed. */
  private async writeLinks(id: number, changes: TargetChange[]): Promise<boolean> {
    const navigations = changes.filter((c) => c.kind !== "scalar");
    if (navigations.length === 0) return false;
    // The links as this order leaves them: stored ones carry their id, new ones none yet.
    let links: (LinkInput & { id?: number })[] = await this.resources.linksOfResources([id]);
    const ended: number[] = [];
    for (const c of navigations) {
      const { association, end } = c.navigation;
      const other = (l: LinkInput) => (end === "from" ? l.toResourceId : l.fromResourceId);
      const mine = (l: LinkInput) => l.association === association && (end === "from" ? l.fromResourceId : l.toResourceId) === id;
      const has = (otherId: number) => links.some((l) => mine(l) && other(l) === otherId);
      const add = (otherId: number) => {
        if (!has(otherId)) links.push(end === "from" ? { association, fromResourceId: id, toResourceId: otherId } : { association, fromResourceId: otherId, toResourceId: id });
      };
      const endWhere = (drop: (otherId: number) => boolean) => {
        for (const l of links) if (mine(l) && drop(other(l)) && l.id !== undefined) ended.push(l.id);
        links = links.filter((l) => !(mine(l) && drop(other(l))));
      };
      if (c.kind === "mono") {
        const wanted = c.reference === null ? undefined : await this.required(c.navigation, c.property, c.reference);
        endWhere((o) => o !== wanted);
        if (wanted !== undefined) add(wanted);
      } else if (c.kind === "add") {
        for (const r of c.references) add(await this.required(c.navigation, c.property, r));
      } else {
        // A resource to unlink that is gone is unlinked already: it resolves to nothing, which no link has.
        const unlinked = new Set<number | undefined>();
        for (const r of c.references) unlinked.add(await this.resolve(c.navigation, r));
        endWhere((o) => unlinked.has(o));
      }
    }
    const added = links.filter((l) => l.id === undefined).map(({ association, fromResourceId, toResourceId }) => ({ association, fromResourceId, toResourceId }));
    await this.resources.endLinks(ended, this.context);
    if (added.length > 0) await this.resources.insertLinks(added, this.context);
    return ended.length > 0 || added.length > 0;
  }

  private async required(navigation: Navigation, property: string, reference: OrderReference): Promise<number> {
    const id = await this.resolve(navigation, reference);
    if (id === undefined) throw new OrderError(`${property}: no ${navigation.target} resource with Id "${reference.Id}" or Identifier "${reference.Identifier}"`);
    return id;
  }

  /** The resource a reference names: by Id when it is one of the navigation's type, else by Identifier (its key). */
  private async resolve(navigation: Navigation, reference: OrderReference): Promise<number | undefined> {
    const id = Number(reference.Id);
    if (reference.Id !== "" && Number.isSafeInteger(id)) {
      const row = (await this.resources.resourcesByIds([id]))[0];
      if (row?.entityType === navigation.target) return row.id;
    }
    if (reference.Identifier === "") return undefined;
    return (await this.resources.idsByKeys(navigation.target, [reference.Identifier])).get(reference.Identifier);
  }
}

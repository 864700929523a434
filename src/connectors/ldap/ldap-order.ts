/**
 * What an order (model.md §C.13) asks of the directory, before anything is sent: the entry's DN (the
 * new one for Added, the current one and a possible new one for Modified), the attribute changes,
 * and the membership changes made on other entries (a back-link: the user's memberOf is the group's
 * member). Properties are LDAP attributes of the same name, except the mapping's special ones:
 *
 * - the DN property (mapping Property `IsDNProperty`, else `dn`): the entry's DN;
 * - the parent property (`IsParentProperty`, else `parentdn`): its container;
 * - the RDN attribute (`RDNAttributeIdentifier`, or the Property marked `IsRDNProperty`): with the
 *   container it makes the DN when the order gives none;
 * - a back-link (`DataSourceBacklinkColumnName`, `memberOf` → `member` by default): its values are
 *   entries whose back-link attribute gets (or loses) this entry's DN.
 *
 * A navigation value is the DN of the resource it names: its Identifier when that is a DN, else the
 * entry whose ReferenceAttribute (entryUUID by default) equals it.
 */
import type { FulfilRoute, OrderReference, ProvisioningOrder } from "../fulfil/fulfiller.js";
import { escapeRdnValue, normaliseDn, rdnAttributeValue, splitDn } from "./ldap-client.js";
import type { LdapSettings } from "./ldap-settings.js";

export interface AttributeChange {
  attribute: string;
  operation: "replace" | "add" | "delete";
  values: string[];
}

export interface LinkChange {
  /** The other entry (a group), whose `attribute` holds this entry's DN. */
  entry: string;
  attribute: string;
  operation: "add" | "delete";
}

export type OrderPlan =
  | { kind: "Added"; dn: string; attributes: Record<string, string[]>; links: LinkChange[] }
  | { kind: "Modified"; dn: string | undefined; newDn: string | undefined; changes: AttributeChange[]; links: LinkChange[] }
  | { kind: "Deleted"; dn: string | undefined };

/** How one resource type's properties map to the directory (from its LdapResourceTypeMapping). */
export interface LdapRoute {
  resourceType: string;
  objectClasses: string[];
  rdnAttribute: string;
  rdnProperty: string;
  dnProperty: string;
  parentProperty: string;
  /** property → the attribute of the other entry that holds the link. */
  backlinks: Map<string, string>;
  /** property → separator of the values of a multi-valued scalar written as one text. */
  separators: Map<string, string>;
}

/** An order that cannot be applied as written: its Errored outcome. */
export class OrderError extends Error {}

export type ReferenceResolver = (identifier: string) => Promise<string | undefined>;

const truthy = (v: unknown) => v === true || v === "true" || v === "1" || v === 1;

export function readLdapRoute(route: FulfilRoute): LdapRoute {
  const m = route.mapping;
  const at = `${route.mappingKind} ${route.resourceType}`;
  const objectClass = typeof m.DefaultObjectClass === "string" ? m.DefaultObjectClass : "";
  const objectClasses = objectClass.split(/\r?\n/).map((c) => c.trim()).filter((c) => c !== "");
  if (objectClasses.length === 0) throw new Error(`${at} has no DefaultObjectClass: the object class(es) of the entries it creates`);
  const rdnAttribute = typeof m.RDNAttributeIdentifier === "string" ? m.RDNAttributeIdentifier.trim() : "";
  if (rdnAttribute === "") throw new Error(`${at} has no RDNAttributeIdentifier: the attribute that names its entries (cn, uid…)`);
  const route_: LdapRoute = {
    resourceType: route.resourceType, objectClasses, rdnAttribute, rdnProperty: rdnAttribute, dnProperty: "dn", parentProperty: "parentdn",
    backlinks: new Map([["memberOf", "member"]]), separators: new Map(),
  };
  for (const p of mappingProperties(m.Property)) {
    const name = typeof p.Property === "string" ? p.Property : undefined;
    if (name === undefined) continue;
    if (truthy(p.IsDNProperty)) route_.dnProperty = name;
    if (truthy(p.IsParentProperty)) route_.parentProperty = name;
    if (truthy(p.IsRDNProperty)) route_.rdnProperty = name;
    if (typeof p.DataSourceBacklinkColumnName === "string" && p.DataSourceBacklinkColumnName !== "") route_.backlinks.set(name, p.DataSourceBacklinkColumnName);
    if (typeof p.MultiValueSeparator === "string" && p.MultiValueSeparator !== "") route_.separators.set(name, p.MultiValueSeparator);
  }
  return route_;
}

/** The mapping's Property children, however the stored item holds them (a list, or keyed by identifier). */
function mappingProperties(group: unknown): Record<string, unknown>[] {
  if (group === null || typeof group !== "object") return [];
  const values = Array.isArray(group) ? group : Object.entries(group as Record<string, unknown>).map(([key, v]) => ({ Property: key, ...(v as object) }));
  return values.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object");
}

const isReference = (v: unknown): v is OrderReference => v !== null && typeof v === "object" && typeof (v as OrderReference).Identifier === "string";

export class OrderPlanner {
  constructor(
    private readonly route: LdapRoute,
    private readonly settings: LdapSettings,
    private readonly resolve: ReferenceResolver,
  ) {}

  async plan(order: ProvisioningOrder): Promise<OrderPlan> {
    if (order.ChangeType === "Deleted") return { kind: "Deleted", dn: await this.currentDn(order) };
    if (order.ChangeType === "Added") return this.added(order.Changes);
    if (order.ChangeType === "Modified") return this.modified(order);
    throw new OrderError(`ChangeType ${String(order.ChangeType)} is not Added, Modified or Deleted`);
  }

  private async added(changes: Record<string, unknown>): Promise<OrderPlan> {
    const r = this.route;
    const attributes: Record<string, string[]> = {};
    const links: LinkChange[] = [];
    for (const [key, value] of Object.entries(changes)) {
      const { property, operation } = keyOf(key);
      if (operation === "delete" || this.isSpecial(property)) continue;
      const values = await this.values(property, value);
      const backlink = r.backlinks.get(property);
      if (backlink !== undefined) links.push(...values.map((entry) => ({ entry, attribute: backlink, operation: "add" as const })));
      else if (values.length > 0) attributes[property] = [...(attributes[property] ?? []), ...values];
    }
    if (!Object.keys(attributes).some((a) => a.toLowerCase() === "objectclass")) attributes.objectClass = r.objectClasses;
    const explicit = await this.single(r.dnProperty, changes[r.dnProperty]);
    let dn = explicit;
    if (dn === undefined) {
      const rdn = await this.single(r.rdnProperty, changes[r.rdnProperty]);
      if (rdn === undefined) throw new OrderError(`the order gives neither ${r.dnProperty} nor ${r.rdnProperty}: no DN to create the entry at`);
      dn = `${r.rdnAttribute}=${escapeRdnValue(rdn)},${await this.container(changes)}`;
      if (!Object.keys(attributes).some((a) => a.toLowerCase() === r.rdnAttribute.toLowerCase())) attributes[r.rdnAttribute] = [rdn];
    } else {
      // OpenLDAP refuses an entry without its naming value (AD sets cn itself): an order that gives
      // only the DN (CN=Ann Lee (E1),OU=Users,…) gets it from the DN.
      const naming = rdnAttributeValue(splitDn(dn).rdn);
      if (naming !== undefined && !Object.keys(attributes).some((a) => a.toLowerCase() === naming.attribute.toLowerCase())) attributes[naming.attribute] = [naming.value];
    }
    return { kind: "Added", dn, attributes, links };
  }

  private async modified(order: ProvisioningOrder): Promise<OrderPlan> {
    const r = this.route;
    const dn = await this.currentDn(order);
    const changes: AttributeChange[] = [];
    const links: LinkChange[] = [];
    for (const [key, value] of Object.entries(order.Changes)) {
      const { property, operation } = keyOf(key);
      if (this.isSpecial(property)) continue;
      const values = await this.values(property, value);
      const backlink = r.backlinks.get(property);
      if (backlink === undefined) changes.push({ attribute: property, operation, values });
      else if (operation !== "replace") links.push(...values.map((entry) => ({ entry, attribute: backlink, operation })));
      else throw new OrderError(`${property} is a back-link (${backlink} of the other entry): the order must list ${property}_add / ${property}_remove`);
    }
    return { kind: "Modified", dn, newDn: dn === undefined ? undefined : await this.renamed(dn, order.Changes), changes, links };
  }

  /** The DN the entry moves to, when the order changes its DN, container or RDN value. */
  private async renamed(dn: string, changes: Record<string, unknown>): Promise<string | undefined> {
    const r = this.route;
    const has = (p: string) => Object.hasOwn(changes, p) && changes[p] !== null;
    let next: string | undefined;
    if (has(r.dnProperty)) next = await this.single(r.dnProperty, changes[r.dnProperty]);
    else if (has(r.parentProperty) || has(r.rdnProperty)) {
      const current = splitDn(dn);
      const rdnValue = has(r.rdnProperty) ? await this.single(r.rdnProperty, changes[r.rdnProperty]) : undefined;
      const rdn = rdnValue === undefined ? current.rdn : `${r.rdnAttribute}=${escapeRdnValue(rdnValue)}`;
      const parent = has(r.parentProperty) ? await this.single(r.parentProperty, changes[r.parentProperty]) : current.parent;
      next = parent === undefined || parent === "" ? rdn : `${rdn},${parent}`;
    }
    return next === undefined || normaliseDn(next) === normaliseDn(dn) ? undefined : next;
  }

  private isSpecial(property: string): boolean {
    const r = this.route;
    // An RDN property that is not itself the RDN attribute only names the entry.
    return property === r.dnProperty || property === r.parentProperty || (property === r.rdnProperty && property !== r.rdnAttribute);
  }

  private async container(changes: Record<string, unknown>): Promise<string> {
    const parent = await this.single(this.route.parentProperty, changes[this.route.parentProperty]);
    const container = parent ?? this.settings.containers[this.route.resourceType] ?? this.settings.baseDN;
    if (container === undefined) {
      throw new OrderError(`no container for the new entry: the order has no ${this.route.parentProperty}, and settings Connections.${this.settings.connection} has neither Containers.${this.route.resourceType} nor BaseDN`);
    }
    return container;
  }

  /** The entry an existing resource is: its DN property, else its Identifier as a DN or a reference. */
  private async currentDn(order: ProvisioningOrder): Promise<string | undefined> {
    const resource = order.Resource ?? {};
    const dn = resource[this.route.dnProperty];
    if (typeof dn === "string" && dn !== "") return dn;
    const identifier = resource.Identifier;
    return typeof identifier === "string" && identifier !== "" ? this.resolve(identifier) : undefined;
  }

  private async single(property: string, value: unknown): Promise<string | undefined> {
    const values = await this.values(property, value);
    if (values.length > 1) throw new OrderError(`${property} has ${values.length} values where one is expected`);
    return values[0];
  }

  private async values(property: string, value: unknown): Promise<string[]> {
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) return (await Promise.all(value.map((v) => this.values(property, v)))).flat();
    if (isReference(value)) {
      const dn = await this.resolve(value.Identifier);
      if (dn === undefined) throw new OrderError(`${property}: no entry for the resource ${value.Identifier} (Id ${value.Id})`);
      return [dn];
    }
    if (typeof value === "object") throw new OrderError(`${property}: a value that is neither text nor a reference`);
    const text = String(value);
    const separator = this.route.separators.get(property);
    return separator === undefined ? [text] : text.split(separator).filter((v) => v !== "");
  }
}

function keyOf(key: string): { property: string; operation: AttributeChange["operation"] } {
  if (key.endsWith("_add")) return { property: key.slice(0, -4), operation: "add" };
  if (key.endsWith("_remove")) return { property: key.slice(0, -7), operation: "delete" };
  return { property: key, operation: "replace" };
}

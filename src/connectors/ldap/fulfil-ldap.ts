/**
 * The LDAP fulfilment package (Usercube.AD, Usercube.LDAP, Usercube.OpenLDAP, Usercube.LDAP.*): one
 * client bound per Fulfiller, each order applied as ldap-order.ts plans it.
 *
 * - Added: add the entry (object classes from DefaultObjectClass); when it already exists, its
 *   attributes are set to the order's values instead.
 * - Modified: rename or move when the DN changes, then one modify: `replace` for a property's value
 *   (null clears it), `add` / `delete` for `<property>_add` / `<property>_remove`.
 * - Deleted: delete the entry, or with the setting OnDelete `{ Attribute, Value }` set that attribute
 *   (disable). An entry already gone is already applied.
 * - Back-links (memberOf): modify the other entry's attribute (the group's member) with this DN.
 *
 * Idempotence in one round trip: each modify carries an assertion that the entry is not yet in the
 * order's final state (RFC 4528). When the server answers assertionFailed, the effect is already
 * there and nothing was written: the order is Executed with `alreadyApplied`. A change that cannot be
 * asserted exactly (a replace by several values, a password) is applied again, which sets it to the
 * same value. Modifies also carry permissive modify, so a half-applied order converges.
 */
import { AndFilter, Attribute, Change, EqualityFilter, NotFilter, OrFilter, PresenceFilter, ResultCodeError, type Client, type Control, type Filter } from "ldapts";
import type { FulfilContext, FulfilOrder, FulfilPackage, FulfilRoute, Fulfiller, OrderOutcome } from "../fulfil/fulfiller.js";
import { AssertionControl, describe, looksLikeDn, openLdapClient, PermissiveModifyControl, RESULT, resultCode } from "./ldap-client.js";
import { OrderError, OrderPlanner, readLdapRoute, type AttributeChange, type LinkChange, type OrderPlan } from "./ldap-order.js";
import { readLdapSettings, type LdapSettings } from "./ldap-settings.js";

const PACKAGE = /^Usercube\.(AD|LDAP|OpenLDAP)(@|$)|^Usercube\.LDAP\./i;

export const ldapFulfilPackage: FulfilPackage = {
  name: "LDAP",
  handles: (packageName) => PACKAGE.test(packageName),
  async open(route: FulfilRoute, context: FulfilContext): Promise<Fulfiller> {
    const settings = readLdapSettings(route.connection, context.settings);
    const ldapRoute = readLdapRoute(route);
    const client = await openLdapClient(settings);
    const references = new ReferenceCache(client, settings);
    return new LdapFulfiller(client, settings, new OrderPlanner(ldapRoute, settings, (id) => references.resolve(id)), context);
  },
};

/** Reference Identifier → DN, looked up once per Fulfiller. */
class ReferenceCache {
  readonly #known = new Map<string, string | undefined>();
  constructor(
    private readonly client: Client,
    private readonly settings: LdapSettings,
  ) {}

  async resolve(identifier: string): Promise<string | undefined> {
    if (looksLikeDn(identifier)) return identifier;
    if (this.#known.has(identifier)) return this.#known.get(identifier);
    const base = this.settings.baseDN;
    if (base === undefined) throw new OrderError(`the reference ${identifier} is not a DN, and settings Connections.${this.settings.connection}.BaseDN is missing to look it up`);
    const filter = new EqualityFilter({ attribute: this.settings.referenceAttribute, value: identifier });
    const { searchEntries } = await this.client.search(base, { scope: "sub", filter, attributes: ["1.1"], sizeLimit: 2 });
    const dn = searchEntries.length === 1 ? searchEntries[0]!.dn : undefined;
    if (searchEntries.length > 1) throw new OrderError(`the reference ${identifier}: several entries have ${this.settings.referenceAttribute}=${identifier}`);
    this.#known.set(identifier, dn);
    return dn;
  }
}

type Step = "applied" | "already";

class LdapFulfiller implements Fulfiller {
  constructor(
    private readonly client: Client,
    private readonly settings: LdapSettings,
    private readonly planner: OrderPlanner,
    private readonly context: FulfilContext,
  ) {}

  async *apply(orders: readonly FulfilOrder[], signal: AbortSignal): AsyncIterable<OrderOutcome> {
    for (const order of orders) {
      if (signal.aborted) return;
      yield await this.applyOne(order);
    }
  }

  async close(): Promise<void> {
    await this.client.unbind().catch(() => undefined);
  }

  private async applyOne({ id, order }: FulfilOrder): Promise<OrderOutcome> {
    try {
      const plan = await this.planner.plan(order);
      const { steps, message } = await this.execute(plan);
      const already = steps.length > 0 && steps.every((s) => s === "already");
      return already ? { id, state: "Executed", message: `already applied: ${message}`, alreadyApplied: true } : { id, state: "Executed", message };
    } catch (error) {
      // A refused operation fails its order; anything else is the connection failing (contract: throw).
      if (error instanceof OrderError || error instanceof ResultCodeError) {
        const message = error instanceof OrderError ? error.message : describe(error);
        this.context.log("Warning", `Connection ${this.settings.connection}: order ${id} (${order.ChangeType}) errored: ${message}`);
        return { id, state: "Errored", message };
      }
      throw error;
    }
  }

  private async execute(plan: OrderPlan): Promise<{ steps: Step[]; message: string }> {
    if (plan.kind === "Deleted") {
      if (plan.dn === undefined) return { steps: ["already"], message: "no entry to delete" };
      return { steps: [await this.remove(plan.dn)], message: `${this.settings.onDelete === "Delete" ? "deleted" : "disabled"} ${plan.dn}` };
    }
    if (plan.kind === "Added") {
      const steps = [await this.add(plan.dn, plan.attributes)];
      for (const link of plan.links) steps.push(await this.link(link, plan.dn));
      return { steps, message: `created ${plan.dn}` };
    }
    if (plan.dn === undefined) throw new OrderError("no entry for the resource to modify (its DN is unknown, and its Identifier names no entry)");
    const steps: Step[] = [];
    let dn = plan.dn;
    if (plan.newDn !== undefined) {
      steps.push(await this.rename(dn, plan.newDn));
      dn = plan.newDn;
    }
    if (plan.changes.length > 0) steps.push(await this.modify(dn, plan.changes));
    for (const link of plan.links) steps.push(await this.link(link, dn));
    return { steps, message: `modified ${dn}` };
  }

  private async add(dn: string, attributes: Record<string, string[]>): Promise<Step> {
    try {
      await this.client.add(dn, attributes);
      return "applied";
    } catch (error) {
      if (resultCode(error) !== RESULT.alreadyExists) throw error;
    }
    // A killed run may have created it: set it to the order's values (its classes stay as they are).
    const changes = Object.entries(attributes)
      .filter(([a]) => a.toLowerCase() !== "objectclass")
      .map(([attribute, values]): AttributeChange => ({ attribute, operation: "replace", values }));
    return changes.length === 0 ? "already" : this.modify(dn, changes);
  }

  private async remove(dn: string): Promise<Step> {
    const onDelete = this.settings.onDelete;
    if (onDelete !== "Delete") {
      try {
        return await this.modify(dn, [{ attribute: onDelete.attribute, operation: "replace", values: [onDelete.value] }]);
      } catch (error) {
        if (resultCode(error) === RESULT.noSuchObject) return "already";
        throw error;
      }
    }
    try {
      await this.client.del(dn);
      return "applied";
    } catch (error) {
      if (resultCode(error) === RESULT.noSuchObject) return "already";
      throw error;
    }
  }

  private async rename(dn: string, newDn: string): Promise<Step> {
    try {
      await this.client.modifyDN(dn, newDn);
      return "applied";
    } catch (error) {
      // Gone from the old DN and present at the new one: a previous run moved it.
      if (resultCode(error) === RESULT.noSuchObject && (await this.exists(newDn))) return "already";
      throw error;
    }
  }

  private async link(link: LinkChange, dn: string): Promise<Step> {
    const change: AttributeChange = { attribute: link.attribute, operation: link.operation, values: [dn] };
    const has = new EqualityFilter({ attribute: link.attribute, value: dn });
    // OpenLDAP's memberof overlay passes the request's controls on to its own update of the member
    // entry, which has no `member`: the "not yet removed" assertion must also hold there, or the
    // member keeps a stale memberOf. (A group with no member at all is written again, harmlessly.)
    const notYet = link.operation === "add" ? new NotFilter({ filter: has }) : new OrFilter({ filters: [has, new NotFilter({ filter: new PresenceFilter({ attribute: link.attribute }) })] });
    try {
      return await this.modify(link.entry, [change], notYet);
    } catch (error) {
      // A group already gone holds no member to remove.
      if (link.operation === "delete" && resultCode(error) === RESULT.noSuchObject) return "already";
      throw error;
    }
  }

  /** One modify, applied only when `notYet` holds (by default: the entry is not in the changes' final state). */
  private async modify(dn: string, changes: readonly AttributeChange[], notYet = notInFinalState(changes)): Promise<Step> {
    const ldapChanges = changes.map((c) => new Change({ operation: c.operation, modification: new Attribute({ type: c.attribute, values: c.values }) }));
    const controls: Control[] = [new PermissiveModifyControl()];
    if (notYet !== undefined) controls.push(new AssertionControl(notYet));
    try {
      await this.client.modify(dn, ldapChanges, controls);
      return "applied";
    } catch (error) {
      if (notYet !== undefined && resultCode(error) === RESULT.assertionFailed) return "already";
      throw error;
    }
  }

  private async exists(dn: string): Promise<boolean> {
    try {
      await this.client.search(dn, { scope: "base", attributes: ["1.1"] });
      return true;
    } catch (error) {
      if (resultCode(error) === RESULT.noSuchObject) return false;
      throw error;
    }
  }
}

/** A filter false exactly when the entry already holds what the changes make, or undefined when none is exact. */
function notInFinalState(changes: readonly AttributeChange[]): Filter | undefined {
  const filters: Filter[] = [];
  for (const { attribute, operation, values } of changes) {
    // A password is stored hashed: comparing it with the order's text says nothing.
    if (/password|unicodepwd/i.test(attribute)) return undefined;
    const present = new PresenceFilter({ attribute });
    const equal = (value: string) => new EqualityFilter({ attribute, value });
    if (operation === "replace") {
      // Several values: the entry may hold others besides them, which no filter can rule out.
      if (values.length > 1) return undefined;
      filters.push(values.length === 0 ? new NotFilter({ filter: present }) : equal(values[0]!));
    } else if (operation === "add") {
      filters.push(...values.map(equal));
    } else {
      filters.push(...(values.length === 0 ? [new NotFilter({ filter: present })] : values.map((v) => new NotFilter({ filter: equal(v) }))));
    }
  }
  if (filters.length === 0) return undefined;
  return new NotFilter({ filter: filters.length === 1 ? (filters[0] as Filter) : new AndFilter({ filters }) });
}

/**
 * What the assignment and order reports (assignment-report.ts, order-report.ts) look up beside the
 * rows: the entity type and key of a resource id, where a rule is written (`file:line`), and the
 * subject a user named (an entity type, a key, a resource type), refused with a did-you-mean when
 * nothing has that name.
 */
import { didYouMean } from "../../config/did-you-mean.js";
import { ResourceStore } from "../resources/resource-store.js";
import { readStoredItems, type LazyStoredItem } from "../stored-items.js";
import type { Store } from "../../store/store.js";
import { ruleAt, ruleOf } from "./assignment-rows.js";
import { ruleLocation } from "./role-model-items.js";

/** A resource as the reports name it. */
export interface ResourceRef {
  entityType: string;
  key: string;
  id: number;
}

/** What the user named is not there: `hint` is a did-you-mean when a name is close. */
export class UnknownSubjectError extends Error {
  constructor(
    readonly subject: "entity-type" | "key" | "resource-type" | "role-or-resource-type",
    message: string,
    readonly hint: string | undefined,
  ) {
    super(hint === undefined ? message : `${message}; ${hint}`);
  }
}

/** A resource no longer stored (deleted since the row was written): no entity type, its id as key. */
export function missingRef(id: number): ResourceRef {
  return { entityType: "", key: `#${id}`, id };
}

/** Resource id → its entity type and key; ids no current resource has are absent (missingRef). */
export async function resourceRefs(store: Store, ids: Iterable<number>): Promise<Map<number, ResourceRef>> {
  const wanted = [...new Set(ids)];
  const refs = new Map<number, ResourceRef>();
  if (wanted.length === 0) return refs;
  for (const row of await new ResourceStore(store.dataSource.manager).resourcesByIds(wanted)) {
    refs.set(row.id, { entityType: row.entityType, key: row.sourceKey, id: row.id });
  }
  return refs;
}

/**
 * An entity type is known when it is deployed or when resources of it are stored (a synchronized
 * type whose EntityType an older deploy had): the report then says what it holds, often nothing.
 */
export async function checkEntityType(store: Store, entityType: string): Promise<void> {
  const deployed = (await readStoredItems(store, "EntityType")).map((item) => item.identifier);
  if (deployed.includes(entityType)) return;
  const stored = await new ResourceStore(store.dataSource.manager).countResources([entityType]);
  if ((stored.get(entityType) ?? 0) > 0) return;
  throw new UnknownSubjectError("entity-type", `no entity type ${entityType} is deployed`, didYouMean(entityType, deployed));
}

/** The resource of this entity type and key; the did-you-mean is searched among the type's keys. */
export async function resourceByKey(store: Store, entityType: string, key: string): Promise<ResourceRef> {
  const resources = new ResourceStore(store.dataSource.manager);
  const found = (await resources.keysByKeys(entityType, [key])).get(key);
  if (found !== undefined) return { entityType, key, id: found.id };
  const keys: string[] = [];
  for await (const page of resources.resourceKeys(entityType)) keys.push(...page.map((r) => r.sourceKey));
  throw new UnknownSubjectError("key", `${entityType} has no resource with the key ${key}`, didYouMean(key, keys));
}

export async function checkResourceType(store: Store, resourceType: string): Promise<void> {
  const deployed = (await readStoredItems(store, "ResourceType")).map((item) => item.identifier);
  if (deployed.includes(resourceType)) return;
  throw new UnknownSubjectError("resource-type", `no resource type ${resourceType} is deployed`, didYouMean(resourceType, deployed));
}

type RuleColumns = Parameters<typeof ruleOf>[0];

/**
 * Where the rules that made rows are written. A row keeps the `file:line` of its rule; a row
 * written without one is looked up among the deployed items: the rule's own item, or for a rule
 * child (`<ResourceType>/<Kind>#<n>`, policy-loader.ts) its ResourceType's. A rule no longer
 * deployed is named by its kind and identifier.
 */
export class RuleLocator {
  #items: Map<string, LazyStoredItem> | undefined;

  constructor(private readonly store: Store) {}

  /** `file:line` of a row's rule; null when no rule made the row (manual, found). */
  async ofRow(row: RuleColumns): Promise<string | null> {
    const at = ruleAt(row);
    if (at !== undefined) return at;
    const rule = ruleOf(row);
    if (rule === null) return null;
    const item = await this.#item(rule.kind, rule.identifier);
    return item?.source ? `${item.source.file}:${item.source.line}` : ruleLocation(rule);
  }

  /** `file:line` of a ResourceCorrelationRule by its identifier, or the identifier when it is not deployed. */
  async ofCorrelationRule(identifier: string): Promise<string> {
    const item = await this.#item("ResourceCorrelationRule", identifier);
    return item?.source ? `${item.source.file}:${item.source.line}` : identifier;
  }

  async #item(kind: string, identifier: string): Promise<LazyStoredItem | undefined> {
    if (this.#items === undefined) {
      this.#items = new Map();
      for (const item of await readStoredItems(this.store, [
        "ContextRule", "SingleRoleRule", "CompositeRoleRule", "ResourceType", "Risk", "ResourceCorrelationRule", "ResourceClassificationRule",
      ])) this.#items.set(`${item.kind} ${item.identifier}`, item);
    }
    const child = /^([^/]+)\/[A-Za-z]+#\d+$/.exec(identifier);
    return this.#items.get(`${kind} ${identifier}`) ?? (child ? this.#items.get(`ResourceType ${child[1]}`) : undefined);
  }
}

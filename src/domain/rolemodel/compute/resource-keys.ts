/**
 * The key of a resource as the role model names it (a dimension value, a NavigationRule's Resource,
 * a target's key in an explanation): the value of its entity type's first IsKey property, else its
 * source key. The demo's AD_Entry has the synchronization key objectGuid as source key and dn as its
 * first IsKey property: NavigationRules name groups by dn, so the IsKey property wins.
 *
 * Keys resolve to ids once per run (a cache per entity type, absent keys included): by source key
 * when the entity type has no IsKey property, else by one keyset scan comparing the key property
 * (the properties are JSON, with no index to ask).
 */
import type { ResourceObject } from "../../expressions/compile-expressions.js";
import type { EntityModel } from "../../resources/entity-model.js";
import { decodeProperties, type Properties } from "../../resources/properties.js";
import { selectPropertiesByIds, selectResourceIdsByKeys, selectResources } from "../../resources/resource-queries.js";
import { batchSize, chunks } from "../../../store/statements.js";
import type { LoadContext } from "../../expressions/navigation-loader.js";

export function keyProperty(model: EntityModel, entityType: string): string | undefined {
  for (const p of model.entityTypes.get(entityType)?.properties.values() ?? []) if (p.isKey) return p.identifier;
  return undefined;
}

/** The key of a resource read as an expression sees it (navigations attached). */
export function keyOfObject(model: EntityModel, entityType: string, resource: ResourceObject): string | undefined {
  const name = keyProperty(model, entityType);
  const value = name === undefined ? undefined : resource.get(name);
  return value === undefined || typeof value === "object" ? undefined : String(value);
}

export function keyOfProperties(model: EntityModel, entityType: string, properties: Readonly<Properties>, sourceKey: string): string {
  const name = keyProperty(model, entityType);
  const value = name === undefined ? undefined : properties[name];
  return value === undefined || value === null ? sourceKey : String(value);
}

export class ResourceKeys {
  readonly #ids = new Map<string, Map<string, number>>();
  readonly #keys = new Map<number, string>();

  constructor(private readonly load: LoadContext) {}

  private idsOf(entityType: string): Map<string, number> {
    let ids = this.#ids.get(entityType);
    if (!ids) this.#ids.set(entityType, (ids = new Map()));
    return ids;
  }

  remember(entityType: string, id: number, key: string): void {
    this.idsOf(entityType).set(key, id);
    this.#keys.set(id, key);
  }

  /** Resolves keys of an entity type to ids (absent: no such resource). */
  async ids(entityType: string, keys: Iterable<string>): Promise<Map<string, number>> {
    const known = this.idsOf(entityType);
    const missing = [...new Set(keys)].filter((k) => !known.has(k) && !this.#absent.has(`${entityType}\u0000${k}`));
    if (missing.length > 0) await this.resolve(entityType, missing);
    return known;
  }

  readonly #absent = new Set<string>();

  private async resolve(entityType: string, keys: string[]): Promise<void> {
    const { m, dialect, model } = this.load;
    const property = keyProperty(model, entityType);
    const left = new Set(keys);
    if (property === undefined) {
      for (const batch of chunks(keys, batchSize(dialect, 1) - 1)) {
        const { sql, parameters } = selectResourceIdsByKeys(m, entityType, batch);
        for (const row of (await m.query(sql, parameters)) as { id: number | string; sourceKey: string }[]) {
          this.remember(entityType, Number(row.id), row.sourceKey);
          left.delete(row.sourceKey);
        }
      }
    }
    if (left.size > 0) {
      for (let after: string | undefined; ;) {
        const rows = await selectResources(m, entityType, after, 5000).getMany();
        for (const row of rows) {
          const key = keyOfProperties(model, entityType, decodeProperties(row.properties), row.sourceKey);
          if (left.has(key)) {
            this.remember(entityType, row.id, key);
            left.delete(key);
          }
        }
        if (rows.length < 5000 || left.size === 0) break;
        after = rows[rows.length - 1]!.sourceKey;
      }
    }
    for (const key of left) this.#absent.add(`${entityType}\u0000${key}`);
  }

  /** A key already read (keys() or ids() resolved it). */
  keyOf(id: number): string | undefined {
    return this.#keys.get(id);
  }

  /** The keys of these ids (resources of `entityType`). */
  async keys(entityType: string, ids: Iterable<number>): Promise<Map<number, string>> {
    const missing = [...new Set(ids)].filter((id) => !this.#keys.has(id));
    for (const batch of chunks(missing, batchSize(this.load.dialect, 1))) {
      for (const row of await selectPropertiesByIds(this.load.m, batch).addSelect("r.sourceKey", "sourceKey").getRawMany<{ id: number | string; properties: string; sourceKey: string }>()) {
        this.remember(entityType, Number(row.id), keyOfProperties(this.load.model, entityType, decodeProperties(row.properties), row.sourceKey));
      }
    }
    return this.#keys;
  }
}

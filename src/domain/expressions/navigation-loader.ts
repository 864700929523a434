/**
 * Loads, for a batch of resources, the linked resources their expressions navigate to: one query
 * per navigation per batch for the links, one for the targets' properties (IN lists within the
 * dialect's parameter limit), recursively along the compiled navigation tree. Never per resource.
 *
 * Also walks links backwards, for Dirty mode: which resources reach a dirty resource through a
 * navigation their expressions read.
 */
import type { EntityManager } from "typeorm";
import { decodeProperties, type Properties } from "../resources/properties.js";
import type { EntityModel, Navigation } from "../resources/entity-model.js";
import type { Dialect } from "../../store/database-url.js";
import { batchSize, chunks } from "../../store/statements.js";
import type { NavigationTree, ResourceObject } from "./compile-expressions.js";
import { selectPropertiesByIds } from "../resources/resource-queries.js";
import { selectLinksByEnd } from "./expression-queries.js";

export interface LoadContext {
  m: EntityManager;
  dialect: Dialect;
  model: EntityModel;
  /** Entity type → its integer properties (read by CEL as int). */
  integers: Map<string, string[]>;
}

/** Stored properties → what CEL reads: integer-typed properties as bigint (CEL's int), so `resource.Age + 1` works. */
export function resourceObject(properties: Readonly<Properties>, integers: readonly string[]): ResourceObject {
  const object: ResourceObject = new Map(Object.entries(properties));
  for (const name of integers) {
    const value = object.get(name);
    if (typeof value === "number" && Number.isInteger(value)) object.set(name, BigInt(value));
  }
  return object;
}

export function navigationOf(load: LoadContext, entityType: string, property: string): Navigation {
  const navigation = load.model.entityTypes.get(entityType)?.properties.get(property)?.navigation;
  if (!navigation) throw new Error(`${entityType}:${property} is not a navigation of the deployed model`);
  return navigation;
}

/** For each of `ids`, the resources at the other end of `navigation`, in id order. */
async function linkedIds(load: LoadContext, navigation: Navigation, ids: readonly number[]): Promise<Map<number, number[]>> {
  const result = new Map<number, number[]>();
  const other = navigation.end === "from" ? "toResourceId" : "fromResourceId";
  const own = navigation.end === "from" ? "fromResourceId" : "toResourceId";
  for (const batch of chunks(ids, batchSize(load.dialect, 1) - 1)) {
    for (const link of await selectLinksByEnd(load.m, navigation.association, navigation.end, batch).getMany()) {
      const list = result.get(link[own]);
      if (list) list.push(link[other]);
      else result.set(link[own], [link[other]]);
    }
  }
  for (const list of result.values()) list.sort((a, b) => a - b);
  return result;
}

/** Sets, on each subject, the navigation properties of `tree` (mono: the object or absent; collection: a list). */
export async function attachNavigations(load: LoadContext, entityType: string, tree: NavigationTree, subjects: ReadonlyMap<number, ResourceObject>): Promise<void> {
  if (tree.size === 0 || subjects.size === 0) return;
  const ids = [...subjects.keys()];
  for (const [property, subtree] of tree) {
    const navigation = navigationOf(load, entityType, property);
    const links = await linkedIds(load, navigation, ids);
    const targetIds = [...new Set([...links.values()].flat())];
    const targets = new Map<number, ResourceObject>();
    const integers = load.integers.get(navigation.target) ?? [];
    for (const batch of chunks(targetIds, batchSize(load.dialect, 1))) {
      for (const row of await selectPropertiesByIds(load.m, batch).getRawMany<{ id: number | string; properties: string }>()) {
        targets.set(Number(row.id), resourceObject(decodeProperties(row.properties), integers));
      }
    }
    await attachNavigations(load, navigation.target, subtree, targets);
    for (const [id, subject] of subjects) {
      const linked: ResourceObject[] = [];
      for (const t of links.get(id) ?? []) {
        const target = targets.get(t);
        if (target) linked.push(target);
      }
      if (navigation.collection) subject.set(property, linked);
      else if (linked.length > 0) subject.set(property, linked[0]!);
    }
  }
}

/**
 * The resources of `entityType` that reach one of `targetIds` through the navigation path `path`
 * (targetIds are resources of the type at the end of the path).
 */
export async function reachingIds(load: LoadContext, entityType: string, path: readonly string[], targetIds: readonly number[]): Promise<Set<number>> {
  const types = [entityType];
  for (const property of path) types.push(navigationOf(load, types[types.length - 1]!, property).target);
  let ids = [...targetIds];
  for (let i = path.length - 1; i >= 0 && ids.length > 0; i--) {
    const navigation = navigationOf(load, types[i]!, path[i]!);
    // From the target's side: the inverse navigation's end holds the targets.
    const inverse: Navigation = { ...navigation, end: navigation.end === "from" ? "to" : "from" };
    const links = await linkedIds(load, inverse, ids);
    ids = [...new Set([...links.values()].flat())];
  }
  return new Set(ids);
}

/**
 * What a Dirty-mode computation reads again: the dirty resources of a type, plus those whose
 * expressions navigate to a dirty resource (for each navigation path the expressions read, and each
 * of its prefixes, the dirty resources at the end are followed back through the links). Shared by
 * UpdateEntityPropertyExpressions and the role model's keys and classification.
 */
import type { NavigationTree } from "./compile-expressions.js";
import { selectDirtyIds } from "./expression-queries.js";
import { navigationOf, reachingIds, type LoadContext } from "./navigation-loader.js";

/** The dirty ids of each entity type, read once per run (several paths can end on the same type). */
export class DirtyIds {
  readonly #read = new Map<string, number[]>();

  constructor(private readonly load: LoadContext) {}

  async of(entityType: string): Promise<number[]> {
    let ids = this.#read.get(entityType);
    if (!ids) this.#read.set(entityType, (ids = await this.read(entityType)));
    return ids;
  }

  private async read(entityType: string): Promise<number[]> {
    const ids: number[] = [];
    const page = 10_000;
    for (let after = 0; ;) {
      const rows = await selectDirtyIds(this.load.m, entityType, after, page).getMany();
      for (const row of rows) ids.push(row.id);
      if (rows.length < page) return ids;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/** The resources of `entityType` to recompute in Dirty mode, in id order. */
export async function dirtySubjectIds(load: LoadContext, entityType: string, navigations: NavigationTree, dirty: DirtyIds): Promise<number[]> {
  const ids = [...(await dirty.of(entityType))];
  for (const path of treePaths(navigations)) {
    const target = path.reduce((type, property) => navigationOf(load, type, property).target, entityType);
    const dirtyTargets = await dirty.of(target);
    if (dirtyTargets.length > 0) for (const id of await reachingIds(load, entityType, path, dirtyTargets)) ids.push(id);
  }
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Every path of the tree, prefixes included: a dirty resource anywhere along a path counts. */
export function treePaths(tree: NavigationTree, prefix: string[] = []): string[][] {
  return [...tree].flatMap(([property, subtree]) => [[...prefix, property], ...treePaths(subtree, [...prefix, property])]);
}

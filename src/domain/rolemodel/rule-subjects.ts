/**
 * What the correlation keys and the classification share: a rule's Binding or Expression compiled
 * with the expression machinery (compileValue) for the entity type it reads, and the resources of
 * that type read in batches (all of them by keyset pages, or in Dirty mode the dirty ones and those
 * that navigate to one) with the navigations their rules read attached.
 */
import { compileValue, integerProperties, type Evaluation, type NavigationTree, type ResourceObject } from "../expressions/compile-expressions.js";
import { dirtySubjectIds, type DirtyIds } from "../expressions/dirty-subjects.js";
import { readExpressionForm } from "../expressions/expression-forms.js";
import { selectSubjectsByIds, selectSubjectsPage, type ComputedSubject } from "../expressions/expression-queries.js";
import { attachNavigations, resourceObject, type LoadContext } from "../expressions/navigation-loader.js";
import type { EntityModel, PropertyType } from "../resources/entity-model.js";
import { decodeProperties } from "../resources/properties.js";
import { batchSize, chunks } from "../../store/statements.js";
import type { Store } from "../../store/store.js";
import type { KeySource } from "./role-model-items.js";

export interface RuleProgram {
  evaluate(resource: ResourceObject): Evaluation;
  navigations: string[][];
}

/** A rule's Binding and/or Expression as an evaluator of a resource of `entityType` giving a `type` value. Throws when it cannot run. */
export function compileRuleValue(label: string, entityType: string, source: KeySource, type: PropertyType, model: EntityModel): RuleProgram {
  if (!model.entityTypes.has(entityType)) throw new Error(`${label}: EntityType ${entityType} is not deployed`);
  return compileValue({ label, entityType, form: readExpressionForm(source.expression, source.binding), type, model });
}

export function addNavigations(tree: NavigationTree, paths: readonly string[][]): void {
  for (const path of paths) {
    let node = tree;
    for (const name of path) {
      let next = node.get(name);
      if (!next) node.set(name, (next = new Map()));
      node = next;
    }
  }
}

export function loadContext(store: Store, model: EntityModel): LoadContext {
  return { m: store.dataSource.manager, dialect: store.dialect, model, integers: integerProperties(model) };
}

export interface SubjectBatch {
  rows: ComputedSubject[];
  /** Each row's resource as expressions read it, navigations attached. */
  resources: Map<number, ResourceObject>;
}

/**
 * The resources of an entity type in batches of `size`: every one (keyset pages in source key
 * order), or with `dirty` only the dirty ones, those reaching a dirty resource through `navigations`
 * and `alsoDirty` (what else the caller knows to be stale: the owners of a dirty target).
 */
export async function* subjectBatches(
  load: LoadContext, entityType: string, navigations: NavigationTree, dirty: DirtyIds | undefined, size: number, signal: AbortSignal, alsoDirty: readonly number[] = [],
): AsyncGenerator<SubjectBatch> {
  if (dirty) {
    const ids = [...new Set([...(await dirtySubjectIds(load, entityType, navigations, dirty)), ...alsoDirty])].sort((a, b) => a - b);
    for (const page of chunks(ids, size)) {
      signal.throwIfAborted();
      yield await subjectsByIds(load, entityType, navigations, page);
    }
    return;
  }
  for (let after: string | undefined; ;) {
    signal.throwIfAborted();
    const rows = await selectSubjectsPage(load.m, entityType, after, size).getMany();
    if (rows.length > 0) yield await withResources(load, entityType, navigations, rows);
    if (rows.length < size) return;
    after = rows[rows.length - 1]!.sourceKey;
  }
}

/** The resources of these ids, as one batch (`idm why` reads one owner as ComputeRoleModel reads many). */
export async function subjectsByIds(load: LoadContext, entityType: string, navigations: NavigationTree, ids: readonly number[]): Promise<SubjectBatch> {
  const rows: ComputedSubject[] = [];
  for (const batch of chunks(ids, batchSize(load.dialect, 1))) rows.push(...(await selectSubjectsByIds(load.m, batch).getMany()));
  return withResources(load, entityType, navigations, rows);
}

async function withResources(load: LoadContext, entityType: string, navigations: NavigationTree, rows: ComputedSubject[]): Promise<SubjectBatch> {
  const integers = load.integers.get(entityType) ?? [];
  const resources = new Map<number, ResourceObject>(rows.map((row) => [row.id, resourceObject(decodeProperties(row.properties), integers)]));
  await attachNavigations(load, entityType, navigations, resources);
  return { rows, resources };
}

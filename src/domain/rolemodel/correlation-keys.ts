/**
 * ComputeCorrelationKeysTask (README): the keys of every ResourceCorrelationRule (model.md §C.7), on
 * the owner side (SourceBinding / SourceExpression, evaluated on a resource of the ResourceType's
 * SourceEntityType) and on the target side (TargetBinding / TargetExpression, on its
 * TargetEntityType), stored in idm_correlation_keys for the role model to join owner key = target key.
 *
 * Per entity type in scope (every type a rule reads, or the TaskEntityType list): its resources in
 * batches (all of them, or in Dirty mode the dirty ones and those navigating to a dirty one), each
 * rule evaluated on each, the batch's keys compared with the stored ones and replaced, in one
 * transaction, only for the resources whose keys changed. A key is the value as text, compared
 * exactly; no value and the empty text are no key; a key longer than 405 characters (the indexed
 * column) is left out with a warning, as is a key that fails to compute. A Complete run also removes
 * the keys of rules no longer deployed.
 */
import { ENTITY } from "../../store/entities.js";
import { refreshStatistics } from "../../store/refresh-statistics.js";
import type { NavigationTree, ResourceObject } from "../expressions/compile-expressions.js";
import { DirtyIds } from "../expressions/dirty-subjects.js";
import { readEntityModel, type EntityModel } from "../resources/entity-model.js";
import type { EntityTypeRun, WorkContext } from "../work-context.js";
import type { CorrelationKeyRow, KeySide, NewCorrelationKey } from "./assignment-rows.js";
import { AssignmentStore } from "./assignment-store.js";
import { LimitedWarnings } from "./limited-warnings.js";
import { readCorrelationRules, readResourceTypes, ruleLocation, type CorrelationRuleModel, type ResourceTypeModel } from "./role-model-items.js";
import { addNavigations, compileRuleValue, loadContext, subjectBatches, type RuleProgram } from "./rule-subjects.js";

export const DEFAULT_KEYS_BATCH_SIZE = 5000;
/** The indexed key column's length (migrations/0007). */
export const MAX_KEY_LENGTH = 405;

export interface CorrelationKeysCounters {
  /** Resources whose keys were computed. */
  resources: number;
  /** Resources whose stored keys changed. */
  changed: number;
  /** Keys stored for the resources computed. */
  keys: number;
  /** Keys that failed to compute or were too long (left out, with a warning). */
  errors: number;
  /** Rules no longer deployed whose keys were removed (Complete mode). */
  retired: number;
  [name: string]: number;
}

/** entityTypes undefined: every type a correlation rule reads (AllEntityType); batchSize 0: DEFAULT_KEYS_BATCH_SIZE. */
export type CorrelationKeysOptions = EntityTypeRun<CorrelationKeysCounters>;

/** One side of one rule, compiled for the entity type it reads. */
interface KeyProgram {
  rule: CorrelationRuleModel;
  side: KeySide;
  program: RuleProgram;
}

interface EntityKeys {
  programs: KeyProgram[];
  navigations: NavigationTree;
}

export async function computeCorrelationKeys(options: CorrelationKeysOptions): Promise<CorrelationKeysCounters> {
  const { store, log } = options;
  const model = await readEntityModel(store);
  const rules = await readCorrelationRules(store);
  const byEntityType = compileKeys(model, await readResourceTypes(store), rules, log);
  const assignments = new AssignmentStore(store.dataSource.manager);
  const counters: CorrelationKeysCounters = { resources: 0, changed: 0, keys: 0, errors: 0, retired: 0 };
  const warnings = new LimitedWarnings(log);
  const load = loadContext(store, model);
  const dirty = options.dirty ? new DirtyIds(load) : undefined;
  const size = options.batchSize > 0 ? options.batchSize : DEFAULT_KEYS_BATCH_SIZE;

  for (const entityType of options.entityTypes ?? [...byEntityType.keys()].sort()) {
    const keys = byEntityType.get(entityType);
    if (!keys) {
      log("Information", `${entityType}: no correlation rule reads this entity type, no key to compute`);
      continue;
    }
    let resources = 0;
    for await (const batch of subjectBatches(load, entityType, keys.navigations, dirty, size, options.signal)) {
      const computed: NewCorrelationKey[] = [];
      for (const row of batch.rows) {
        const resource = batch.resources.get(row.id)!;
        for (const { rule, side, program } of keys.programs) {
          const key = keyOf(program, resource, `${entityType} ${row.sourceKey}: ${rule.rule.kind} at ${ruleLocation(rule.rule)} (${side} key)`, warnings);
          if (key !== undefined) computed.push({ resourceId: row.id, entityType, resourceType: rule.resourceType, ruleIdentifier: rule.rule.identifier, side, keyValue: key });
        }
      }
      const changed = await replaceChanged(assignments, batch.rows.map((r) => r.id), computed);
      resources += batch.rows.length;
      counters.resources += batch.rows.length;
      counters.keys += computed.length;
      counters.changed += changed;
      options.progress({ ...counters, errors: warnings.count });
    }
    log("Information", `${entityType}: keys of ${resources} resources computed`);
  }
  // The role model joins these keys next: planned for the table as it was, the join scans them all.
  await refreshStatistics(store, ENTITY.correlationKey, counters.changed);
  if (!options.dirty) counters.retired = await retireKeys(assignments, rules, log);
  warnings.summarize("correlation key warnings");
  counters.errors = warnings.count;
  return counters;
}

/** Every rule side that can run, grouped by the entity type it reads; the others are warned about and left out. */
function compileKeys(model: EntityModel, types: Map<string, ResourceTypeModel>, rules: readonly CorrelationRuleModel[], log: WorkContext["log"]): Map<string, EntityKeys> {
  const byEntityType = new Map<string, EntityKeys>();
  for (const rule of rules) {
    const where = `${rule.rule.kind} at ${ruleLocation(rule.rule)}`;
    const type = types.get(rule.resourceType);
    if (!type) {
      log("Warning", `${where}: ResourceType ${rule.resourceType || "(none)"} is not deployed; the rule has no keys`);
      continue;
    }
    for (const [side, entityType, source, names] of [
      ["owner", type.sourceEntityType, rule.source, "SourceBinding or SourceExpression"],
      ["target", type.targetEntityType, rule.target, "TargetBinding or TargetExpression"],
    ] as const) {
      if (entityType === undefined) {
        log("Warning", `${where}: ResourceType ${type.identifier} has no ${side === "owner" ? "SourceEntityType" : "TargetEntityType"}; no ${side} keys`);
        continue;
      }
      if (source.binding === undefined && source.expression === undefined) {
        log("Warning", `${where}: no ${names}; no ${side} keys`);
        continue;
      }
      let program: RuleProgram;
      try {
        program = compileRuleValue(`${where} ${side} key`, entityType, source, "String", model);
      } catch (error) {
        log("Warning", `${(error as Error).message}; no ${side} keys`);
        continue;
      }
      let keys = byEntityType.get(entityType);
      if (!keys) byEntityType.set(entityType, (keys = { programs: [], navigations: new Map() }));
      keys.programs.push({ rule, side, program });
      addNavigations(keys.navigations, program.navigations);
    }
  }
  return byEntityType;
}

/** The key a program gives a resource, as stored; undefined for no key. */
function keyOf(program: RuleProgram, resource: ResourceObject, what: string, warnings: LimitedWarnings): string | undefined {
  const result = program.evaluate(resource);
  if (!result.ok) {
    warnings.warn(`${what} failed: ${result.message}`);
    return undefined;
  }
  if (result.value === undefined) return undefined;
  const key = String(result.value);
  if (key === "") return undefined;
  if (key.length > MAX_KEY_LENGTH) {
    warnings.warn(`${what} is ${key.length} characters long, over the ${MAX_KEY_LENGTH} a key may have: left out`);
    return undefined;
  }
  return key;
}

const keyText = (k: Pick<CorrelationKeyRow, "resourceType" | "ruleIdentifier" | "side" | "keyValue">) => JSON.stringify([k.resourceType, k.ruleIdentifier, k.side, k.keyValue]);

/** Replaces the keys of the batch's resources whose keys differ from the stored ones; returns how many. */
async function replaceChanged(assignments: AssignmentStore, ids: readonly number[], computed: readonly NewCorrelationKey[]): Promise<number> {
  const stored = new Map<number, string[]>();
  for (const key of await assignments.keysOf(ids)) (stored.get(key.resourceId) ?? stored.set(key.resourceId, []).get(key.resourceId)!).push(keyText(key));
  const fresh = new Map<number, string[]>();
  for (const key of computed) (fresh.get(key.resourceId) ?? fresh.set(key.resourceId, []).get(key.resourceId)!).push(keyText(key));
  const same = (a: string[] = [], b: string[] = []) => a.length === b.length && JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  const changed = ids.filter((id) => !same(stored.get(id), fresh.get(id)));
  if (changed.length === 0) return 0;
  const changedSet = new Set(changed);
  await assignments.replaceKeys(changed, computed.filter((k) => changedSet.has(k.resourceId)));
  return changed.length;
}

/** Removes the keys of (resource type, rule) pairs no longer deployed; returns how many pairs. */
async function retireKeys(assignments: AssignmentStore, rules: readonly CorrelationRuleModel[], log: WorkContext["log"]): Promise<number> {
  const deployed = new Set(rules.map((r) => JSON.stringify([r.resourceType, r.rule.identifier])));
  let retired = 0;
  for (const { resourceType, ruleIdentifier } of await assignments.keyRules()) {
    if (deployed.has(JSON.stringify([resourceType, ruleIdentifier]))) continue;
    await assignments.deleteKeysOfRule(resourceType, ruleIdentifier);
    log("Information", `keys of ${resourceType} rule ${ruleIdentifier} removed: the rule is no longer deployed`);
    retired++;
  }
  return retired;
}

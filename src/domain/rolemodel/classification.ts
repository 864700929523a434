/**
 * UpdateClassificationTask (README): the ResourceClassificationRules (model.md §C.7) give each
 * owner-less resource of a target entity type its resource type, as an assignment that Evaluate
 * Policy later matches against what the rules expect (origin `found`, workflow state Found, no owner).
 *
 * For each entity type in scope (the TaskEntityType list; without one, every TargetEntityType of a
 * resource type that has classification rules), its resources in batches (all, or in Dirty mode the
 * dirty ones and those whose rules navigate to a dirty one). A resource that an owned assignment
 * targets is not owner-less and is left alone. For the others, the rules of the resource types
 * targeting that entity type are tried by falling ResourceTypeIdentificationConfidenceLevel, then in
 * the order they are written; the first whose TargetExpression is true (a rule without one matches
 * every resource) classifies it. Its found assignment is then inserted, changed to the new resource
 * type, or deleted when no rule matches any more (the replaced version historized); one transaction
 * per batch. Found assignments whose target no longer exists are deleted too.
 *
 * A found assignment has no owner (owner_id null): the account exists, nobody is known to own it
 * until correlation or Resource Reconciliation says who. Its provisioning state is Verified (it is
 * what the synchronized data shows; nothing is to be provisioned), its validity unbounded.
 */
import type { NavigationTree, ResourceObject } from "../expressions/compile-expressions.js";
import { DirtyIds } from "../expressions/dirty-subjects.js";
import { readEntityModel, type EntityModel } from "../resources/entity-model.js";
import { ResourceStore } from "../resources/resource-store.js";
import type { EntityTypeRun, WorkContext } from "../work-context.js";
import { ruleColumns, type NewResourceType, type ResourceTypeRow } from "./assignment-rows.js";
import { AssignmentStore, type RowUpdate } from "./assignment-store.js";
import { LimitedWarnings } from "./limited-warnings.js";
import { readClassificationRules, readResourceTypes, ruleLocation, type ClassificationRuleModel, type ResourceTypeModel } from "./role-model-items.js";
import { addNavigations, compileRuleValue, loadContext, subjectBatches, type RuleProgram } from "./rule-subjects.js";

export const DEFAULT_CLASSIFICATION_BATCH_SIZE = 5000;

export interface ClassificationCounters {
  /** Resources examined. */
  resources: number;
  /** Resources an owned assignment targets (not owner-less, left alone). */
  owned: number;
  /** Found assignments inserted. */
  classified: number;
  /** Found assignments given another resource type or rule. */
  reclassified: number;
  /** Found assignments deleted: no rule matches any more, or the resource is gone. */
  unclassified: number;
  /** Evaluations that failed (the resource's found assignment is left as it is). */
  errors: number;
  [name: string]: number;
}

/** entityTypes: the target entity types; undefined: every one that classification rules apply to. */
export interface ClassificationOptions extends EntityTypeRun<ClassificationCounters> {
  jobInstanceId: number | null;
  /** The time written into the history (now). */
  at?: Date;
}

interface TypeDelta {
  insert: NewResourceType[];
  update: RowUpdate<ResourceTypeRow>[];
  delete: number[];
}

interface CompiledRule {
  rule: ClassificationRuleModel;
  /** undefined: no TargetExpression, the rule matches every resource. */
  program: RuleProgram | undefined;
}

interface EntityRules {
  /** Most confident first, then in the order written. */
  rules: CompiledRule[];
  resourceTypes: string[];
  navigations: NavigationTree;
}

export async function updateClassification(options: ClassificationOptions): Promise<ClassificationCounters> {
  const { store, log } = options;
  const model = await readEntityModel(store);
  const byEntityType = compileRules(model, await readResourceTypes(store), await readClassificationRules(store), log);
  const assignments = new AssignmentStore(store.dataSource.manager);
  const counters: ClassificationCounters = { resources: 0, owned: 0, classified: 0, reclassified: 0, unclassified: 0, errors: 0 };
  const warnings = new LimitedWarnings(log);
  const load = loadContext(store, model);
  const dirty = options.dirty ? new DirtyIds(load) : undefined;
  const size = options.batchSize > 0 ? options.batchSize : DEFAULT_CLASSIFICATION_BATCH_SIZE;
  const write = { at: options.at ?? new Date(), jobInstanceId: options.jobInstanceId };

  for (const entityType of options.entityTypes ?? [...byEntityType.keys()].sort()) {
    const rules = byEntityType.get(entityType);
    if (!rules) {
      log("Information", `${entityType}: no resource type with classification rules targets this entity type, nothing to classify`);
      continue;
    }
    for await (const batch of subjectBatches(load, entityType, rules.navigations, dirty, size, options.signal)) {
      const existing = await assignments.resourceTypesByTargets(batch.rows.map((r) => r.id));
      const delta: TypeDelta = { insert: [], update: [], delete: [] };
      for (const row of batch.rows) {
        const onTarget = existing.filter((a) => a.targetId === row.id);
        if (onTarget.some((a) => a.ownerId !== null)) {
          counters.owned++;
          continue;
        }
        const choice = classify(rules.rules, batch.resources.get(row.id)!, (rule, message) =>
          warnings.warn(`${entityType} ${row.sourceKey}: ${rule.rule.kind} at ${ruleLocation(rule.rule)} failed: ${message}`));
        if (choice === "error") continue;
        reconcile(row.id, onTarget.filter((a) => a.origin === "found"), choice, delta, counters);
      }
      await assignments.writeDelta({ resourceTypes: delta }, write);
      counters.resources += batch.rows.length;
      options.progress({ ...counters, errors: warnings.count });
    }
    counters.unclassified += await removeVanished(store, assignments, rules.resourceTypes, write);
  }
  warnings.summarize("classification warnings");
  counters.errors = warnings.count;
  return counters;
}

/** The most confident rule whose expression holds, undefined when none does, "error" when one failed before a match. */
function classify(rules: readonly CompiledRule[], resource: ResourceObject, fail: (rule: ClassificationRuleModel, message: string) => void): ClassificationRuleModel | undefined | "error" {
  for (const { rule, program } of rules) {
    if (program === undefined) return rule;
    const result = program.evaluate(resource);
    if (!result.ok) {
      fail(rule, result.message);
      return "error";
    }
    if (result.value === true) return rule;
  }
  return undefined;
}

/** The delta that makes a target's found assignments say `choice`. */
function reconcile(targetId: number, found: readonly ResourceTypeRow[], choice: ClassificationRuleModel | undefined, delta: TypeDelta, counters: ClassificationCounters): void {
  const [kept, ...extra] = found;
  // One found assignment per target: any other is left over from an older rule set.
  delta.delete.push(...extra.map((a) => a.id));
  counters.unclassified += extra.length;
  if (choice === undefined) {
    if (kept) {
      delta.delete.push(kept.id);
      counters.unclassified++;
    }
    return;
  }
  const wanted = { resourceType: choice.resourceType, confidence: choice.confidence, ...ruleColumns(choice.rule) };
  if (!kept) {
    delta.insert.push({
      ownerId: null, targetId, correlationRule: null, provisioningState: "Verified", changeType: null, heldBack: null, origin: "found", workflowState: "Found",
      validFrom: null, validTo: null, parameters: null, ...wanted,
    });
    counters.classified++;
    return;
  }
  const same = (Object.keys(wanted) as (keyof typeof wanted)[]).every((k) => kept[k] === wanted[k]);
  if (!same) {
    delta.update.push({ id: kept.id, set: wanted });
    counters.reclassified++;
  }
}

/** Deletes the owner-less found assignments of these resource types whose target no longer exists; returns how many. */
async function removeVanished(store: WorkContext["store"], assignments: AssignmentStore, resourceTypes: readonly string[], write: { at: Date; jobInstanceId: number | null }): Promise<number> {
  const resources = new ResourceStore(store.dataSource.manager);
  let removed = 0;
  for await (const page of assignments.ownerlessFound(resourceTypes)) {
    const existing = await resources.sourceKeysByIds(page.map((a) => a.targetId!).filter((id) => id !== null));
    const vanished = page.filter((a) => a.targetId === null || !existing.has(a.targetId)).map((a) => a.id);
    if (vanished.length === 0) continue;
    await assignments.writeDelta({ resourceTypes: { delete: vanished } }, write);
    removed += vanished.length;
  }
  return removed;
}

/** The rules of each target entity type, compiled; those that cannot run are warned about and left out. */
function compileRules(model: EntityModel, types: Map<string, ResourceTypeModel>, rules: readonly ClassificationRuleModel[], log: WorkContext["log"]): Map<string, EntityRules> {
  const byEntityType = new Map<string, EntityRules>();
  for (const rule of rules) {
    const where = `${rule.rule.kind} at ${ruleLocation(rule.rule)}`;
    const type = types.get(rule.resourceType);
    if (!type?.targetEntityType) {
      log("Warning", type ? `${where}: ResourceType ${type.identifier} has no TargetEntityType; the rule classifies nothing`
        : `${where}: ResourceType ${rule.resourceType || "(none)"} is not deployed; the rule classifies nothing`);
      continue;
    }
    let program: RuleProgram | undefined;
    if (rule.targetExpression !== undefined) {
      try {
        program = compileRuleValue(`${where} TargetExpression`, type.targetEntityType, { binding: undefined, expression: rule.targetExpression }, "Bool", model);
      } catch (error) {
        log("Warning", `${(error as Error).message}; the rule classifies nothing`);
        continue;
      }
    }
    let entry = byEntityType.get(type.targetEntityType);
    if (!entry) byEntityType.set(type.targetEntityType, (entry = { rules: [], resourceTypes: [], navigations: new Map() }));
    entry.rules.push({ rule, program });
    if (!entry.resourceTypes.includes(type.identifier)) entry.resourceTypes.push(type.identifier);
    if (program) addNavigations(entry.navigations, program.navigations);
  }
  // Stable sort: equal confidences stay in the order written.
  for (const entry of byEntityType.values()) entry.rules.sort((a, b) => b.rule.confidence - a.rule.confidence);
  return byEntityType;
}

/**
 * Each owner of a batch as the engine reads it (evaluate/model.ts OwnerInput): its context
 * resources with their dimension keys and validity, its rule expressions' values (a QueryRule's: the
 * keys of the resources whose target side equals its source side), its correlation
 * candidates (the store's key matches), its stored assignments, and the current values of every
 * target they name (scalar properties, and navigation properties as the keys of what they point to).
 * A handful of queries per batch, never per owner.
 */
import type { NavigationTree, ResourceObject } from "../../expressions/compile-expressions.js";
import type { DirtyIds } from "../../expressions/dirty-subjects.js";
import { attachNavigations, resourceObject, type LoadContext } from "../../expressions/navigation-loader.js";
import type { EntityModel } from "../../resources/entity-model.js";
import { decodeProperties } from "../../resources/properties.js";
import { selectPropertiesByIds, selectResources } from "../../resources/resource-queries.js";
import { batchSize, chunks } from "../../../store/statements.js";
import type { Store } from "../../../store/store.js";
import type { AssignmentStore } from "../assignment-store.js";
import type { CorrelationCandidate, EvaluationScope, EvaluatedRule, OwnerInput, PolicyModel, QueryRule, ResourceType, TargetValues, Value } from "../evaluate/model.js";
import { readCorrelationRules } from "../role-model-items.js";
import { addNavigations, loadContext, type SubjectBatch } from "../rule-subjects.js";
import type { AssignmentAdapter, OwnerRows } from "./assignment-adapter.js";
import { dimensionValue, follow, type OwnerPrograms, type QueryProgram } from "./owner-programs.js";
import { awaitingAssignments, stateSince } from "./state-since.js";
import { keyOfObject, keyOfProperties, type ResourceKeys } from "./resource-keys.js";

export interface LoadedOwner {
  id: number;
  input: OwnerInput;
  rows: OwnerRows;
  /** Stored row id → when it entered its Transmitted or Executed state. */
  stateSince: Map<string, Date>;
}

interface Setup {
  store: Store;
  entities: EntityModel;
  policy: PolicyModel;
  programs: OwnerPrograms;
  keys: ResourceKeys;
  assignments: AssignmentStore;
  warn(message: string): void;
}

type CorrelationRuleOf = { rule: CorrelationCandidate["rule"]; confidence: number };

export class OwnerInputs {
  readonly #load: LoadContext;
  readonly #types: ResourceType[];
  readonly #rules: Map<string, CorrelationRuleOf>;

  private constructor(private readonly s: Setup, rules: Map<string, CorrelationRuleOf>) {
    this.#load = loadContext(s.store, s.entities);
    this.#types = s.policy.resourceTypes.filter((rt) => rt.sourceEntityType === s.programs.entityType);
    this.#rules = rules;
  }

  /** Per QueryRule, its target side's value (as text) → the keys of the resources that give it. */
  readonly #queryIndex = new Map<QueryRule, Map<string, string[]>>();

  static async create(setup: Setup): Promise<OwnerInputs> {
    const rules = new Map<string, { rule: CorrelationCandidate["rule"]; confidence: number }>();
    for (const r of await readCorrelationRules(setup.store)) {
      rules.set(`${r.resourceType}\u0000${r.rule.identifier}`, { rule: { kind: r.rule.kind, identifier: r.rule.identifier, file: r.rule.file ?? "", line: r.rule.line ?? 0 }, confidence: r.confidence });
    }
    const inputs = new OwnerInputs(setup, rules);
    for (const [rule, program] of setup.programs.queries) inputs.#queryIndex.set(rule, await inputs.queryIndex(program));
    return inputs;
  }

  /**
   * A QueryRule's target side over every resource of its entity type, read once per run by keyset
   * pages: matching an owner is then a lookup, never a query per owner.
   */
  private async queryIndex(program: QueryProgram): Promise<Map<string, string[]>> {
    const index = new Map<string, string[]>();
    const tree: NavigationTree = new Map();
    addNavigations(tree, program.target.navigations);
    const page = 5000;
    for (let after: string | undefined; ;) {
      const rows = await selectResources(this.#load.m, program.targetEntityType, after, page).getMany();
      const objects = new Map(rows.map((r) => [r.id, resourceObject(decodeProperties(r.properties), this.#load.integers.get(program.targetEntityType) ?? [])]));
      await attachNavigations(this.#load, program.targetEntityType, tree, objects);
      for (const row of rows) {
        const result = program.target.evaluate(objects.get(row.id)!);
        if (!result.ok || result.value === undefined || result.value === "") continue;
        const key = keyOfProperties(this.s.entities, program.targetEntityType, decodeProperties(row.properties), row.sourceKey);
        this.s.keys.remember(program.targetEntityType, row.id, key);
        this.#resolved.set(`${program.targetEntityType}\u0000${key}`, row.id);
        const text = String(result.value);
        (index.get(text) ?? index.set(text, []).get(text)!).push(key);
      }
      if (rows.length < page) return index;
      after = rows[rows.length - 1]!.sourceKey;
    }
  }

  /** A deployed ResourceCorrelationRule of a resource type, by its identifier. */
  correlationRule(resourceType: string, identifier: string): CorrelationCandidate["rule"] | undefined {
    return this.#rules.get(`${resourceType}\u0000${identifier}`)?.rule;
  }

  /** The entity type a navigation property of a resource type's target leads to. */
  private navigationTarget(resourceType: string, property: string): string | undefined {
    const rt = this.#types.find((t) => t.identifier === resourceType);
    return rt === undefined ? undefined : this.s.entities.entityTypes.get(rt.targetEntityType)?.properties.get(property)?.navigation?.target;
  }

  navigationId(resourceType: string, property: string, key: string): number | undefined {
    const target = this.navigationTarget(resourceType, property);
    return target === undefined ? undefined : this.#resolved.get(`${target}\u0000${key}`);
  }

  readonly #resolved = new Map<string, number>();
  readonly #missing = new Set<string>();

  /** Resolves the keys navigation values name, before the delta is written. */
  async resolveNavigations(values: ReadonlyArray<{ resourceType: string; property: string; key: string }>): Promise<void> {
    const byType = new Map<string, Set<string>>();
    for (const v of values) {
      const target = this.navigationTarget(v.resourceType, v.property);
      if (target === undefined) continue;
      const set = byType.get(target) ?? byType.set(target, new Set()).get(target)!;
      if (!this.#resolved.has(`${target}\u0000${v.key}`)) set.add(v.key);
    }
    for (const [entityType, wanted] of byType) {
      if (wanted.size === 0) continue;
      const ids = await this.s.keys.ids(entityType, wanted);
      for (const key of wanted) {
        const id = ids.get(key);
        if (id === undefined) {
          // Once per run, whatever the number of batches that name it.
          if (!this.#missing.has(`${entityType}\u0000${key}`)) this.s.warn(`no ${entityType} has the key ${key}: a NavigationRule names it, the value is not provisioned`);
          this.#missing.add(`${entityType}\u0000${key}`);
        }
        else this.#resolved.set(`${entityType}\u0000${key}`, id);
      }
    }
  }

  /** Dirty mode: the owners holding a target that changed. */
  async ownersOfDirtyTargets(dirty: DirtyIds): Promise<number[]> {
    const owners = new Set<number>();
    for (const target of new Set(this.#types.map((t) => t.targetEntityType))) {
      const ids = await dirty.of(target);
      if (ids.length === 0) continue;
      for (const row of await this.s.assignments.resourceTypesByTargets(ids)) if (row.ownerId !== null) owners.add(row.ownerId);
    }
    return [...owners];
  }

  async load(batch: SubjectBatch, adapter: AssignmentAdapter): Promise<LoadedOwner[]> {
    const { entities, programs } = this.s;
    const ids = batch.rows.map((r) => r.id);
    const stored = await this.s.assignments.readOwners(ids);
    const withPeriod = new Set(this.#types.filter((t) => t.transmittedStateValidityPeriod > 0).map((t) => t.identifier));
    const awaiting = withPeriod.size === 0 ? [] : awaitingAssignments(stored.values(), withPeriod);
    const orderTimes = awaiting.length === 0 ? new Map() : await this.s.assignments.latestOrderTimes(awaiting);
    const candidates = new Map<number, Map<string, CorrelationCandidate[]>>();
    const targetIds = new Set<number>();
    const matches: Array<{ ownerId: number; targetId: number; resourceType: string; ruleIdentifier: string }> = [];
    for (const rt of this.#types) {
      for (const m of await this.s.assignments.correlationMatches(rt.identifier, ids)) {
        matches.push({ ...m, resourceType: rt.identifier });
        targetIds.add(m.targetId);
      }
    }
    for (const owner of stored.values()) for (const t of owner.resourceTypes) if (t.targetId !== null) targetIds.add(t.targetId);
    const targets = await this.targets([...targetIds]);
    await this.storedNavigationKeys([...stored.values()].flatMap((o) => o.resourceTypes));
    for (const m of matches) {
      const rule = this.#rules.get(`${m.resourceType}\u0000${m.ruleIdentifier}`);
      if (!rule) continue;
      const byType = candidates.get(m.ownerId) ?? candidates.set(m.ownerId, new Map()).get(m.ownerId)!;
      const list = byType.get(m.resourceType) ?? byType.set(m.resourceType, []).get(m.resourceType)!;
      list.push({ target: { id: String(m.targetId), key: this.s.keys.keyOf(m.targetId) ?? String(m.targetId) }, confidence: rule.confidence, rule: rule.rule });
    }
    return batch.rows.map((row) => {
      const resource = batch.resources.get(row.id)!;
      const properties = decodeProperties(row.properties);
      const rows = adapter.toEngine(stored.get(row.id)!);
      const input: OwnerInput = {
        id: String(row.id),
        key: keyOfProperties(entities, programs.entityType, properties, row.sourceKey),
        entityType: programs.entityType,
        contextResources: this.contextResources(resource, row.sourceKey),
        evaluate: (rule, scope) => this.evaluate(rule, scope, resource, row.sourceKey),
        candidates: candidates.get(row.id) ?? new Map(),
        properties: properties as Record<string, Value | null>,
        existing: rows.stored,
        targets,
      };
      return { id: row.id, input, rows, stateSince: stateSince(stored.get(row.id)!, orderTimes) };
    });
  }

  private evaluate(rule: EvaluatedRule, _scope: EvaluationScope, resource: ResourceObject, key: string): readonly Value[] {
    const program = this.s.programs.rules.get(rule);
    if (!program) return [];
    const result = program.evaluate(resource);
    if (!result.ok) {
      this.s.warn(`${this.s.programs.entityType} ${key}: ${rule.source.kind} ${rule.source.identifier} (${rule.source.file}:${rule.source.line}) failed: ${result.message}`);
      return [];
    }
    if (result.value === undefined || result.value === "") return [];
    const index = "confidence" in rule ? this.#queryIndex.get(rule) : undefined;
    return index ? (index.get(String(result.value)) ?? []) : [result.value];
  }

  private contextResources(owner: ResourceObject, key: string): OwnerInput["contextResources"] {
    const context = this.s.programs.context;
    if (!context) return [];
    const resources = (context.resources.length ? follow(owner, context.resources) : [owner]).filter((r): r is ResourceObject => r instanceof Map);
    return resources.map((r) => {
      const dimensions: Record<number, string> = {};
      for (const d of context.dimensions) {
        const value = dimensionValue(this.s.entities, r, d);
        if (value !== undefined) dimensions[d.column] = value;
      }
      let excluded = false;
      if (context.exclude) {
        const result = context.exclude.evaluate(r);
        if (!result.ok) this.s.warn(`${this.s.programs.entityType} ${key}: ContextRule ${context.rule.identifier} ExcludeExpression failed: ${result.message}`);
        excluded = result.ok && result.value === true;
      }
      return { dimensions, start: dateAt(r, context.start), end: dateAt(r, context.end), ...(excluded ? { excluded } : {}) };
    });
  }

  /** Current values of the targets: scalar properties, and the navigations the rules fill as keys. */
  private async targets(ids: number[]): Promise<TargetValues> {
    const values = new Map<string, Record<string, Value | readonly Value[] | null>>();
    const { entities } = this.s;
    const byType = new Map<string, Map<number, ResourceObject>>();
    for (const batch of chunks(ids, batchSize(this.#load.dialect, 1))) {
      for (const row of await selectPropertiesByIds(this.#load.m, batch).addSelect("r.entityType", "entityType").addSelect("r.sourceKey", "sourceKey")
        .getRawMany<{ id: number | string; properties: string; entityType: string; sourceKey: string }>()) {
        const properties = decodeProperties(row.properties);
        const id = Number(row.id);
        this.s.keys.remember(row.entityType, id, keyOfProperties(entities, row.entityType, properties, row.sourceKey));
        values.set(String(id), { ...(properties as Record<string, Value>) });
        const objects = byType.get(row.entityType) ?? byType.set(row.entityType, new Map()).get(row.entityType)!;
        objects.set(id, resourceObject(properties, []));
      }
    }
    for (const [entityType, objects] of byType) {
      const tree: NavigationTree = new Map();
      for (const rt of this.#types) if (rt.targetEntityType === entityType) for (const n of rt.navigationRules) tree.set(n.property, new Map());
      if (tree.size === 0) continue;
      await attachNavigations(this.#load, entityType, tree, objects);
      for (const [id, object] of objects) {
        const record = values.get(String(id))!;
        for (const property of tree.keys()) {
          const target = entities.entityTypes.get(entityType)?.properties.get(property)?.navigation?.target ?? entityType;
          const linked = follow(object, [property]).filter((r): r is ResourceObject => r instanceof Map);
          record[property] = linked.map((r) => keyOfObject(entities, target, r)).filter((k): k is string => k !== undefined);
        }
      }
    }
    return values;
  }

  /** Reads the keys of the resources stored navigation values point to, so that the adapter can name them. */
  private async storedNavigationKeys(types: ReadonlyArray<{ resourceType: string; values: ReadonlyArray<{ kind: string; property: string; policyValue: string | null; currentValue: string | null }> }>): Promise<void> {
    const byType = new Map<string, Set<number>>();
    for (const t of types) {
      for (const v of t.values) {
        if (v.kind !== "navigation") continue;
        const target = this.navigationTarget(t.resourceType, v.property);
        if (target === undefined) continue;
        const set = byType.get(target) ?? byType.set(target, new Set()).get(target)!;
        for (const id of [v.policyValue, v.currentValue]) if (id !== null) set.add(Number(id));
      }
    }
    for (const [entityType, ids] of byType) {
      const keys = await this.s.keys.keys(entityType, ids);
      for (const id of ids) {
        const key = keys.get(id);
        if (key !== undefined) this.#resolved.set(`${entityType}\u0000${key}`, id);
      }
    }
  }
}

function dateAt(resource: ResourceObject, path: readonly string[] | undefined): Date | null {
  if (!path) return null;
  const [value] = follow(resource, path);
  if (value === undefined || value instanceof Map || Array.isArray(value) || typeof value === "boolean") return null;
  const date = new Date(typeof value === "bigint" ? Number(value) : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

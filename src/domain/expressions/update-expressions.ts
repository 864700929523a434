/**
 * Recomputes entity property expressions and writes the values that changed (README,
 * UpdateEntityPropertyExpressionsTask). Per entity type: read a batch (BatchSelectSize), load the
 * navigations its expressions read, evaluate the expressions in Priority order on each resource
 * (a later one reads the earlier ones' results), and queue the resources whose stored properties
 * change; every BatchUpdateSize queued resources are written in one transaction: the current
 * versions archived into idm_resource_history, then the new properties (hash unchanged).
 *
 * Dirty mode reads only the dirty resources of the type, plus those that reach a dirty resource
 * through a navigation their expressions read; it leaves the dirty flags as they are.
 */
import type { EntityManager } from "typeorm";
import { readEntityModel } from "../resources/entity-model.js";
import { decodeProperties, encodeProperties, type Properties, type PropertyInput } from "../resources/properties.js";
import { replaceVersions } from "../resources/resource-versions.js";
import { batchSize, chunks } from "../../store/statements.js";
import { compileExpressions, integerProperties, type EntityTypeProgram, type ResourceObject } from "./compile-expressions.js";
import { DirtyIds, dirtySubjectIds } from "./dirty-subjects.js";
import { selectSubjectsByIds, selectSubjectsPage, type ComputedSubject } from "./expression-queries.js";
import { attachNavigations, resourceObject, type LoadContext } from "./navigation-loader.js";
import type { WorkContext } from "../work-context.js";

export const DEFAULT_BATCH_SELECT_SIZE = 10_000;
export const DEFAULT_BATCH_UPDATE_SIZE = 20_000;

export interface UpdateExpressionsOptions extends Pick<WorkContext<UpdateExpressionsCounters>, "store" | "signal" | "log" | "progress"> {
  /** The entity types to recompute; undefined: every type that has expressions (AllEntityType). */
  entityTypes: readonly string[] | undefined;
  dirty: boolean;
  batchSelectSize: number;
  batchUpdateSize: number;
  jobInstanceId: number | null;
  /** Filled with the milliseconds spent reading, evaluating and writing, when given (bench:expressions prints them). */
  phases?: UpdateExpressionsPhases;
}

export interface UpdateExpressionsPhases {
  read: number;
  evaluate: number;
  write: number;
}

export interface UpdateExpressionsCounters {
  /** Resources whose expressions were evaluated. */
  computed: number;
  /** Resources written with new values. */
  changed: number;
  /** Evaluations that failed (the property keeps its stored value). */
  errors: number;
}

interface PendingWrite {
  id: number;
  properties: string;
}

export async function updateExpressions(options: UpdateExpressionsOptions): Promise<UpdateExpressionsCounters> {
  const { store } = options;
  const model = await readEntityModel(store);
  const programs = await compileExpressions(store, model);
  const load: LoadContext = { m: store.dataSource.manager, dialect: store.dialect, model, integers: integerProperties(model) };
  const counters: UpdateExpressionsCounters = { computed: 0, changed: 0, errors: 0 };
  const types = options.entityTypes ?? [...programs.keys()].sort();
  for (const entityType of types) {
    const program = programs.get(entityType);
    if (!program) {
      options.log("Information", `${entityType}: no EntityPropertyExpression, nothing to compute`);
      continue;
    }
    const typeRun = new TypeRun(options, load, program, counters);
    if (options.dirty) await typeRun.dirty();
    else await typeRun.full();
    await typeRun.flush();
    options.log("Information", `${entityType}: ${typeRun.computed} resources computed, ${typeRun.changed} changed`);
  }
  return counters;
}

/** Runs `work`, adding its duration to `phases[phase]` when phases are measured. */
async function timedPhase<T>(phases: UpdateExpressionsPhases | undefined, phase: keyof UpdateExpressionsPhases, work: () => Promise<T>): Promise<T> {
  if (phases === undefined) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    phases[phase] += performance.now() - start;
  }
}

/** One entity type's recomputation. */
class TypeRun {
  readonly integers: string[];
  readonly pending: PendingWrite[] = [];
  computed = 0;
  changed = 0;

  constructor(
    readonly options: UpdateExpressionsOptions,
    readonly load: LoadContext,
    readonly program: EntityTypeProgram,
    readonly counters: UpdateExpressionsCounters,
  ) {
    this.integers = load.integers.get(program.entityType) ?? [];
  }

  async full(): Promise<void> {
    const size = this.selectSize();
    for (let after: string | undefined; ;) {
      this.options.signal.throwIfAborted();
      const rows = await timedPhase(this.options.phases, "read", () => selectSubjectsPage(this.load.m, this.program.entityType, after, size).getMany());
      await this.batch(rows);
      if (rows.length < size) return;
      after = rows[rows.length - 1]!.sourceKey;
    }
  }

  async dirty(): Promise<void> {
    const ids = await timedPhase(this.options.phases, "read", () => dirtySubjectIds(this.load, this.program.entityType, this.program.navigations, new DirtyIds(this.load)));
    for (const page of chunks(ids, this.selectSize())) {
      this.options.signal.throwIfAborted();
      const rows = await timedPhase(this.options.phases, "read", async () => {
        const subjects: ComputedSubject[] = [];
        for (const batch of chunks(page, batchSize(this.load.dialect, 1))) subjects.push(...(await selectSubjectsByIds(this.load.m, batch).getMany()));
        return subjects;
      });
      await this.batch(rows);
    }
  }

  selectSize(): number {
    return this.options.batchSelectSize > 0 ? this.options.batchSelectSize : DEFAULT_BATCH_SELECT_SIZE;
  }

  updateSize(): number {
    return this.options.batchUpdateSize > 0 ? this.options.batchUpdateSize : DEFAULT_BATCH_UPDATE_SIZE;
  }

  async batch(rows: readonly ComputedSubject[]): Promise<void> {
    if (rows.length === 0) return;
    const subjects = new Map<number, ResourceObject>();
    const stored = new Map<number, Properties>();
    for (const row of rows) {
      const properties = decodeProperties(row.properties);
      stored.set(row.id, properties);
      subjects.set(row.id, resourceObject(properties, this.integers));
    }
    await timedPhase(this.options.phases, "read", () => attachNavigations(this.load, this.program.entityType, this.program.navigations, subjects));
    await timedPhase(this.options.phases, "evaluate", async () => {
      for (const row of rows) {
        const next = this.evaluate(row, stored.get(row.id)!, subjects.get(row.id)!);
        this.computed++;
        this.counters.computed++;
        if (next !== row.properties) this.pending.push({ id: row.id, properties: next });
      }
    });
    if (this.pending.length >= this.updateSize()) await this.flush();
    this.options.progress({ ...this.counters });
  }

  /** The resource's stored properties with the computed ones replaced, as stored text. */
  evaluate(row: ComputedSubject, properties: Properties, resource: ResourceObject): string {
    // Written back: the stored properties (not the CEL view with bigints and navigations) with the computed ones replaced.
    const stored: Record<string, PropertyInput> = properties;
    for (const expression of this.program.expressions) {
      const result = expression.evaluate(resource);
      if (!result.ok) {
        this.counters.errors++;
        const at = expression.at ? ` at ${expression.at}` : "";
        this.options.log("Warning", `${this.program.entityType} ${row.sourceKey}: ${expression.identifier}${at} (${expression.property}) failed: ${result.message}`);
        continue;
      }
      stored[expression.property] = result.value;
      if (result.value === undefined) resource.delete(expression.property);
      else resource.set(expression.property, typeof result.value === "number" && this.integers.includes(expression.property) && Number.isInteger(result.value) ? BigInt(result.value) : result.value);
    }
    return encodeProperties(stored);
  }

  /** Writes the queued resources in one transaction per BatchUpdateSize. */
  flush(): Promise<void> {
    return timedPhase(this.options.phases, "write", () => this.write());
  }

  async write(): Promise<void> {
    const size = this.updateSize();
    while (this.pending.length > 0) {
      const writes = this.pending.splice(0, size);
      const context = { at: new Date(), jobInstanceId: this.options.jobInstanceId };
      await this.load.m.transaction(async (m: EntityManager) => {
        // No hash: it stays the hash of the synchronized properties.
        for (const batch of chunks(writes, batchSize(this.load.dialect, 1) - 2)) await replaceVersions(m, batch, context);
      });
      this.changed += writes.length;
      this.counters.changed += writes.length;
    }
  }
}

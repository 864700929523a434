/**
 * The diff of one entity type's file of a batch and where its outcome goes: for a Complete batch a
 * merge join of its `.sorted.csv` with the stored keys, in compareSourceKeys order (here); for an
 * Incremental one its commands resolved against the stored keys (synchronize-incremental.ts). The same
 * diff runs up to three times with different sinks: it counts (for the thresholds, when one is on),
 * then either applies in the apply transaction or, when a threshold blocks, writes change rows for
 * review. Applying straight from the file spares every change a round trip through idm_resource_changes.
 *
 * Writing into idm_resources while its keys are read page by page is safe: an insert is emitted only
 * for a file key below the current stored key, and the next page is read after the last key of the
 * pages already read, so no page ever sees a row this merge inserted.
 */
import { join } from "node:path";
import { decodeProperties, EncodedProperties, encodeProperties, hashProperties } from "../resources/properties.js";
import type { NewResourceChange, ResourceInput, ResourceStore, ResourceUpdate, WriteContext } from "../resources/resource-store.js";
import { compareSourceKeys } from "../resources/source-key-order.js";
import { readCsvChunks } from "../../connectors/csv/csv-read.js";
import type { ManifestEntry } from "./batch-queue.js";
import { diffIncremental } from "./synchronize-incremental.js";
import { propertiesEncoder, type EntityTypeModel } from "./synchronize-model.js";

export type Operation = NewResourceChange["operation"];

/** What a diff already knows of an update: the new properties' hash, and the stored properties it replaces (when it read them). */
export interface KnownVersion {
  hash?: string;
  stored?: string;
}

/** Where a diff's changes go; `properties` is the stored text of the synchronized properties. */
export interface DiffSink {
  /** Whether an Incremental diff should read the stored properties with the keys it resolves (and pass them on: KnownVersion). */
  readonly wantsStored?: boolean;
  change(operation: Operation, sourceKey: string, id: number | null, properties: string | null, known?: KnownVersion): Promise<void> | void;
  flush(): Promise<void>;
}

const FLUSH = 500;

/** Counts per entity type and operation: what the thresholds check. */
export class CountingSink implements DiffSink {
  constructor(
    private readonly counts: Record<string, Record<string, number>>,
    private readonly entityType: string,
  ) {}
  change(operation: Operation): void {
    const byOperation = (this.counts[this.entityType] ??= {});
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
  }
  async flush(): Promise<void> {}
}

/** Change rows in idm_resource_changes, a full INSERT at a time. */
export class ChangeRowSink implements DiffSink {
  #rows: NewResourceChange[] = [];
  constructor(
    private readonly resources: ResourceStore,
    private readonly template: Pick<NewResourceChange, "jobInstanceId" | "connector" | "entityType" | "state">,
  ) {}
  async change(operation: Operation, sourceKey: string, resourceId: number | null, after: string | null): Promise<void> {
    const { jobInstanceId, connector, entityType, state } = this.template;
    this.#rows.push({ jobInstanceId, connector, entityType, state, sourceKey, resourceId, operation, before: null, after });
    if (this.#rows.length >= this.resources.insertBatch("resourceChanges")) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#rows.length > 0) await this.resources.insertResourceChanges(this.#rows.splice(0));
  }
}

export interface AppliedCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

/**
 * Writes a diff's changes into idm_resources (inside the caller's transaction): inserts a full INSERT
 * at a time, updates and deletes `FLUSH` at a time; an Incremental run marks what it writes dirty. Under
 * DoNotDeleteChanges they are also kept as applied change rows, for SetRecentlyModifiedFlagTask.
 */
export class ApplySink implements DiffSink {
  /** Its new versions keep the stored computed properties: read with the keys, not again by id. */
  readonly wantsStored = true;
  #inserts: ResourceInput[] = [];
  #updates: NewVersion[] = [];
  #deletes: number[] = [];
  readonly #kept: ChangeRowSink | undefined;

  constructor(
    private readonly rs: ResourceStore,
    private readonly model: EntityTypeModel,
    private readonly connector: string,
    private readonly context: WriteContext,
    private readonly counts: AppliedCounts,
    /** DoNotDeleteChanges: the job instance the kept change rows belong to. */
    keepChangesOf: number | undefined,
    /** Incremental: inserted and updated resources are marked dirty (for the Dirty-mode tasks). */
    private readonly dirty = false,
  ) {
    this.#kept = keepChangesOf === undefined ? undefined
      : new ChangeRowSink(rs, { jobInstanceId: keepChangesOf, connector, entityType: model.identifier, state: "applied" });
  }

  async change(operation: Operation, sourceKey: string, id: number | null, properties: string | null, known?: KnownVersion): Promise<void> {
    if (operation === "insert") this.#inserts.push({ entityType: this.model.identifier, connector: this.connector, sourceKey, properties: new EncodedProperties(properties ?? "{}") });
    else if (operation === "update") this.#updates.push({ id: id as number, properties: properties ?? "{}", ...known });
    else this.#deletes.push(id as number);
    await this.#kept?.change(operation, sourceKey, id, properties);
    if (this.#inserts.length >= this.rs.insertBatch("resources")) await this.#flushInserts();
    if (this.#updates.length + this.#deletes.length >= FLUSH) await this.#flushChanges();
  }

  async flush(): Promise<void> {
    await this.#flushChanges();
    await this.#flushInserts();
    await this.#kept?.flush();
  }

  async #flushInserts(): Promise<void> {
    if (this.#inserts.length > 0) await this.rs.insertResources(this.#inserts, this.context, this.dirty);
    this.counts.inserted += this.#inserts.length;
    this.#inserts = [];
  }

  async #flushChanges(): Promise<void> {
    if (this.#deletes.length > 0) await this.rs.deleteResources(this.#deletes, this.context);
    if (this.#updates.length > 0) await this.rs.updateResources(await keepComputed(this.rs, this.model, this.#updates), this.context, this.dirty || undefined);
    this.counts.deleted += this.#deletes.length;
    this.counts.updated += this.#updates.length;
    this.#deletes = [];
    this.#updates = [];
  }
}

/** An update to write: the resource, its new synchronized properties, and what the diff knew of them. */
type NewVersion = { id: number; properties: string } & KnownVersion;

/**
 * New versions that keep what the synchronization does not own: the stored properties that no
 * column of the mapping fills (computed by UpdateEntityPropertyExpressionsTask) are carried over,
 * and the hash stays the hash of the synchronized properties alone. The stored properties the diff
 * did not pass on are read by id.
 */
export async function keepComputed(rs: ResourceStore, model: EntityTypeModel, updates: readonly NewVersion[]): Promise<ResourceUpdate[]> {
  const mapped = new Set(model.properties.values());
  const unknown = updates.filter((u) => u.stored === undefined).map((u) => u.id);
  const stored = unknown.length === 0 ? new Map<number, string>() : await rs.propertiesByIds(unknown);
  return updates.map(({ id, properties, ...known }) => {
    const hash = known.hash ?? hashProperties(properties);
    const current = decodeProperties(known.stored ?? stored.get(id) ?? "{}");
    const computed = Object.keys(current).filter((name) => !mapped.has(name));
    if (computed.length === 0) return { id, properties: new EncodedProperties(properties), hash };
    const merged = decodeProperties(properties);
    for (const name of computed) merged[name] = current[name]!;
    return { id, properties: new EncodedProperties(encodeProperties(merged)), hash };
  });
}

/** The rows of a sorted file, a chunk at a time, each padded to the header's width. */
async function* sortedChunks(path: string, columns: readonly string[], signal: AbortSignal): AsyncGenerator<string[][]> {
  let header = true;
  for await (const chunk of readCsvChunks(path, signal)) {
    if (header) {
      header = false;
      const first = chunk.shift()!;
      if (first.join("\u0000") !== columns.join("\u0000")) throw new Error(`${path} has the columns ${first.join(", ")}, its manifest ${columns.join(", ")}`);
    }
    for (const record of chunk) while (record.length < columns.length) record.push("");
    if (chunk.length > 0) yield chunk;
  }
  if (header) throw new Error(`${path} is empty (it needs a header row)`);
}

/** The diff of a batch's file of one entity type, by the batch's mode, into a sink. */
export function diffEntry(
  mode: "Complete" | "Incremental", rs: ResourceStore, folder: string, entry: ManifestEntry, model: EntityTypeModel, sink: DiffSink, signal: AbortSignal,
): Promise<void> {
  const path = join(folder, entry.file);
  return mode === "Complete" ? mergeComplete(rs, path, entry, model, sink, signal) : diffIncremental(rs, path, entry, model, sink, signal);
}

/**
 * Merges a `.sorted.csv` with the stored keys of its entity type: a key only in the file is an
 * insert, only in the store a delete, in both with another hash an update.
 */
export async function mergeComplete(
  rs: ResourceStore, path: string, entry: ManifestEntry, model: EntityTypeModel, sink: DiffSink, signal: AbortSignal,
): Promise<void> {
  const stored = rs.resourceKeys(entry.identifier);
  const file = sortedChunks(path, entry.columns, signal);
  const encode = propertiesEncoder(model, entry.columns);
  try {
    let page = (await stored.next()).value ?? [];
    let p = 0;
    let previousKey: string | undefined;
    const nextStored = async () => {
      if (++p < page.length) return;
      const next = await stored.next();
      page = next.done ? [] : next.value;
      p = 0;
    };
    for await (const rows of file) {
      signal.throwIfAborted();
      for (const row of rows) {
        const key = row[0]!;
        if (previousKey !== undefined && compareSourceKeys(previousKey, key) >= 0) {
          throw new Error(`${entry.file} is not in source key order at "${key}" after "${previousKey}" (keys mixing characters above U+FFFF and U+E000–U+FFFF are not supported yet)`);
        }
        previousKey = key;
        let order = p < page.length ? compareSourceKeys(key, page[p]!.sourceKey) : -1;
        while (order > 0) {
          const gone = page[p]!;
          await sink.change("delete", gone.sourceKey, gone.id, null);
          await nextStored();
          order = p < page.length ? compareSourceKeys(key, page[p]!.sourceKey) : -1;
        }
        const properties = encode(row);
        if (order < 0) {
          await sink.change("insert", key, null, properties);
        } else {
          const current = page[p]!;
          const hash = hashProperties(properties);
          if (hash !== current.hash) await sink.change("update", key, current.id, properties, { hash });
          await nextStored();
        }
      }
    }
    while (p < page.length) {
      const gone = page[p]!;
      await sink.change("delete", gone.sourceKey, gone.id, null);
      await nextStored();
    }
    await sink.flush();
  } finally {
    await stored.return(undefined);
    await file.return(undefined);
  }
}

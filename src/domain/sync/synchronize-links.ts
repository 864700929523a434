/**
 * The links of SynchronizeTask (README, SynchronizeTask): an EntityAssociationMapping's sorted file
 * holds (Column1, Column2) pairs of key values; Column1's side is the link's from end, Column2's its
 * to end. Link changes are computed by source keys (idm_resource_link_changes) and resolved to
 * resource ids when applied, after the resources: a pair whose end has no resource then is an orphan.
 *
 * An end names its resource by the primary key of its EntityTypeMapping (the value is the source
 * key), or by another mapped property, a unique key such as an LDAP dn: the value is then resolved to
 * the source key of the resource that will hold it once the batch is applied (endResolver). A Complete
 * or Incremental diff holds the association's stored links (as source key pairs) in memory, and a
 * unique-key end's values of its entity type.
 */
import { join } from "node:path";
import type { EntityManager } from "typeorm";
import { decodeProperties } from "../resources/properties.js";
import { ResourceStore, type NewLinkChange, type WriteContext } from "../resources/resource-store.js";
import { ENTITY } from "../../store/entities.js";
import { type ChangeState } from "../vocabulary.js";
import { CsvWriter } from "../../connectors/csv/csv-write.js";
import type { ManifestEntry, TakenBatch } from "./batch-queue.js";
import type { AssociationModel, ConnectorModel, EntityTypeModel } from "./synchronize-model.js";
import { readCsvRecords } from "../../connectors/csv/csv-read.js";

export interface Orphan {
  association: string;
  fromKey: string;
  toKey: string;
}

export interface LinkContext {
  connector: string;
  jobInstanceId: number;
  signal: AbortSignal;
}

/** The association's model, checked: each end is its type's primary key or a mapped property. */
export function associationOf(model: ConnectorModel, entry: ManifestEntry): AssociationModel {
  const association = model.associations.get(entry.identifier);
  if (association === undefined) throw new Error(`${entry.identifier} has no EntityAssociationMapping of ${model.connector} any more`);
  for (const side of [association.side1, association.side2]) {
    const type = model.entityTypes.get(side.entityType);
    if (type === undefined) throw new Error(`EntityAssociationMapping ${association.identifier}: ${side.entityType} has no EntityTypeMapping of ${model.connector}`);
    if (type.primaryKey !== side.property && columnOf(type, side.property) === undefined) {
      throw new Error(`EntityAssociationMapping ${association.identifier}: ${side.entityType}:${side.property} is not a property the EntityTypeMapping ${side.entityType} fills`);
    }
  }
  return association;
}

function columnOf(type: EntityTypeModel, property: string): string | undefined {
  for (const [column, mapped] of type.properties) if (mapped === property) return column;
  return undefined;
}

/** An end's value → the source key of the resource it names after the batch, or undefined: an orphan. */
export type EndResolver = (value: string) => string | undefined;

/**
 * How an end's values are resolved. By the primary key, the value is the source key: checked against
 * the keys the type will hold after a whole-set batch, and when applying for an Incremental one. By a
 * unique key, the value is looked up among the values the type will hold: its file in a whole-set
 * batch, else the stored resources with an Incremental batch's commands applied over them.
 */
export async function endResolver(
  rs: ResourceStore, folder: string, typeEntry: ManifestEntry | undefined, type: EntityTypeModel, property: string, signal: AbortSignal,
): Promise<EndResolver> {
  const wholeSet = typeEntry === undefined || typeEntry.delta === "none";
  if (property === type.primaryKey) {
    if (!wholeSet) return (value) => value;
    const keys = await keysAfterComplete(rs, folder, typeEntry, type.identifier, signal);
    return (value) => (keys.has(value) ? value : undefined);
  }
  const column = columnOf(type, property)!;
  const keyOf = new Map<string, string>();
  if (typeEntry !== undefined && wholeSet) {
    const index = typeEntry.columns.indexOf(column);
    for await (const row of pairs(join(folder, typeEntry.file), typeEntry.columns, signal)) if (row[index] !== "") keyOf.set(row[index]!, row[0]!);
    return (value) => keyOf.get(value);
  }
  const valueOf = new Map<string, string>();
  for await (const page of rs.resources(type.identifier)) {
    for (const r of page) {
      const value = decodeProperties(r.properties)[property];
      if (value !== undefined) valueOf.set(r.sourceKey, String(value));
    }
  }
  if (typeEntry !== undefined) {
    const index = typeEntry.columns.indexOf(column) + 1;
    for await (const row of pairs(join(folder, typeEntry.file), ["command", ...typeEntry.columns], signal)) {
      if (row[0] !== "delete" && row[index] !== "") valueOf.set(row[1]!, row[index]!);
      else valueOf.delete(row[1]!);
    }
  }
  for (const [key, value] of valueOf) keyOf.set(value, key);
  return (value) => keyOf.get(value);
}

async function* pairs(path: string, columns: readonly string[], signal: AbortSignal): AsyncGenerator<string[]> {
  const records = readCsvRecords(path, signal);
  try {
    const first = await records.next();
    if (first.done || first.value.join("\u0000") !== columns.join("\u0000")) throw new Error(`${path} does not have the columns ${columns.join(", ")}`);
    for await (const record of records) {
      while (record.length < columns.length) record.push("");
      yield record;
    }
  } finally {
    await records.return(undefined);
  }
}

/** The association's stored links: "fromKey\0toKey" → the link and its ends' ids. */
async function storedLinks(rs: ResourceStore, association: string): Promise<Map<string, { id: number; from: number; to: number }>> {
  const stored = new Map<string, { id: number; from: number; to: number }>();
  for await (const page of rs.links(association)) {
    // Only the keys: the ends' properties are never needed to compare links.
    const keys = await rs.sourceKeysByIds([...new Set(page.flatMap((l) => [l.fromResourceId, l.toResourceId]))]);
    for (const l of page) stored.set(`${keys.get(l.fromResourceId)}\u0000${keys.get(l.toResourceId)}`, { id: l.id, from: l.fromResourceId, to: l.toResourceId });
  }
  return stored;
}

/**
 * Link changes of a Complete (whole set) or Incremental (commands) file, written pending. A pair an
 * end of which resolves to no resource is an orphan at once (no change row, so it counts against no
 * threshold); an Incremental batch's primary-key ends are checked when applied.
 */
export async function diffLinks(
  context: LinkContext, rs: ResourceStore, folder: string, entry: ManifestEntry, association: AssociationModel, mode: "Complete" | "Incremental",
  resolve: readonly [EndResolver, EndResolver], orphans: Orphan[],
): Promise<number> {
  let orphanCount = 0;
  const stored = await storedLinks(rs, association.identifier);
  const rows: NewLinkChange[] = [];
  const flush = async () => {
    if (rows.length > 0) await rs.insertLinkChanges(rows.splice(0));
  };
  const add = async (operation: "insert" | "delete", fromKey: string, toKey: string, link?: { id: number; from: number; to: number }) => {
    rows.push({
      jobInstanceId: context.jobInstanceId, connector: context.connector, association: association.identifier,
      fromEntityType: association.side1.entityType, fromSourceKey: fromKey, toEntityType: association.side2.entityType, toSourceKey: toKey,
      fromResourceId: link?.from ?? null, toResourceId: link?.to ?? null, linkId: link?.id ?? null, operation, state: "pending",
    });
    if (rows.length >= rs.insertBatch("linkChanges")) await flush();
  };
  if (mode === "Complete") {
    if (entry.delta !== "none") throw new Error(`${entry.file} is not a whole set`);
    for await (const [fromValue, toValue] of pairs(join(folder, entry.file), entry.columns, context.signal)) {
      const fromKey = resolve[0](fromValue!);
      const toKey = resolve[1](toValue!);
      if (fromKey === undefined || toKey === undefined) {
        orphanCount++;
        orphans.push({ association: association.identifier, fromKey: fromValue!, toKey: toValue! });
        continue; // a stored link of this pair stays in `stored`: deleted below
      }
      if (stored.delete(`${fromKey}\u0000${toKey}`)) continue;
      await add("insert", fromKey, toKey);
    }
    for (const [key, link] of stored) {
      const [fromKey, toKey] = key.split("\u0000");
      await add("delete", fromKey!, toKey!, link);
    }
  } else {
    if (entry.delta === "none") throw new Error(`${entry.file} is a whole set, not changes`);
    const decided = new Map<string, string>();
    for await (const [command, fromValue, toValue] of pairs(join(folder, entry.file), ["command", ...entry.columns], context.signal)) {
      const fromKey = resolve[0](fromValue!);
      const toKey = resolve[1](toValue!);
      if (fromKey === undefined || toKey === undefined) {
        if (command !== "delete") {
          orphanCount++;
          orphans.push({ association: association.identifier, fromKey: fromValue!, toKey: toValue! });
        }
        continue;
      }
      decided.set(`${fromKey}\u0000${toKey}`, command!);
    }
    for (const [key, command] of decided) {
      const [fromKey, toKey] = key.split("\u0000");
      const link = stored.get(key);
      if (command === "delete") {
        if (link !== undefined) await add("delete", fromKey!, toKey!, link);
      } else if (link === undefined) {
        await add("insert", fromKey!, toKey!);
      }
    }
  }
  await flush();
  return orphanCount;
}

/** The keys an entity type will hold after a Complete batch: its file's when the batch has one, else the stored ones. */
export async function keysAfterComplete(rs: ResourceStore, folder: string, entry: ManifestEntry | undefined, entityType: string, signal: AbortSignal): Promise<Set<string>> {
  const keys = new Set<string>();
  if (entry !== undefined) {
    for await (const row of pairs(join(folder, entry.file), entry.columns, signal)) keys.add(row[0]!);
  } else {
    for await (const page of rs.resourceKeys(entityType)) for (const r of page) keys.add(r.sourceKey);
  }
  return keys;
}

/** The links stored now per association: the base of the link percentage thresholds. */
export async function currentLinkCounts(m: EntityManager, associations: readonly string[]): Promise<Map<string, number>> {
  if (associations.length === 0) return new Map();
  const rows = await m.createQueryBuilder(ENTITY.resourceLink, "l").select("l.association", "association").addSelect("COUNT(*)", "count")
    .where("l.association IN (:...associations)", { associations }).groupBy("l.association").getRawMany<{ association: string; count: number | string }>();
  return new Map(rows.map((r) => [r.association, Number(r.count)]));
}

export interface LinkCounters {
  linksInserted: number;
  linksDeleted: number;
  orphans: number;
}

/** The end resolvers of each association, made once per entity type and property. */
export function endResolvers(
  resources: ResourceStore, batch: Pick<TakenBatch, "folder">, model: ConnectorModel, typeEntries: ManifestEntry[], signal: AbortSignal,
): (association: AssociationModel) => Promise<[EndResolver, EndResolver]> {
  const made = new Map<string, Promise<EndResolver>>();
  const resolver = (side: AssociationModel["side1"]) => {
    const id = `${side.entityType}:${side.property}`;
    if (!made.has(id)) {
      const typeEntry = typeEntries.find((e) => e.identifier === side.entityType);
      made.set(id, endResolver(resources, batch.folder, typeEntry, model.entityTypes.get(side.entityType)!, side.property, signal));
    }
    return made.get(id)!;
  };
  return async (association) => [await resolver(association.side1), await resolver(association.side2)];
}

/** Ends the links of the delete changes in `state` (before the resources are applied). */
export async function applyLinkDeletes(rs: ResourceStore, context: LinkContext, state: ChangeState, write: WriteContext, counters: LinkCounters): Promise<void> {
  for await (const page of rs.linkChanges(context.jobInstanceId, { connector: context.connector, state })) {
    const ids = page.filter((c) => c.operation === "delete" && c.linkId !== null).map((c) => c.linkId as number);
    if (ids.length === 0) continue;
    await rs.endLinks(ids, write);
    counters.linksDeleted += ids.length;
  }
}

/** Inserts the links of the insert changes in `state`, resolved by source keys (after the resources). */
export async function applyLinkInserts(
  rs: ResourceStore, context: LinkContext, state: ChangeState, write: WriteContext, counters: LinkCounters, orphans: Orphan[],
): Promise<void> {
  for await (const page of rs.linkChanges(context.jobInstanceId, { connector: context.connector, state })) {
    context.signal.throwIfAborted();
    const inserts = page.filter((c) => c.operation === "insert");
    await insertResolved(rs, inserts.map((c) => ({
      association: c.association, fromEntityType: c.fromEntityType, fromKey: c.fromSourceKey, toEntityType: c.toEntityType, toKey: c.toSourceKey,
    })), write, counters, orphans);
  }
}

export interface LinkByKeys {
  association: string;
  fromEntityType: string;
  fromKey: string;
  toEntityType: string;
  toKey: string;
}

export async function insertResolved(rs: ResourceStore, links: readonly LinkByKeys[], write: WriteContext, counters: LinkCounters, orphans: Orphan[]): Promise<void> {
  if (links.length === 0) return;
  const ids = new Map<string, Map<string, number>>();
  const wanted = new Map<string, Set<string>>();
  for (const l of links) {
    (wanted.get(l.fromEntityType) ?? wanted.set(l.fromEntityType, new Set()).get(l.fromEntityType)!).add(l.fromKey);
    (wanted.get(l.toEntityType) ?? wanted.set(l.toEntityType, new Set()).get(l.toEntityType)!).add(l.toKey);
  }
  for (const [entityType, keys] of wanted) ids.set(entityType, await rs.idsByKeys(entityType, [...keys]));
  const resolved = [];
  for (const l of links) {
    const from = ids.get(l.fromEntityType)?.get(l.fromKey);
    const to = ids.get(l.toEntityType)?.get(l.toKey);
    if (from === undefined || to === undefined) {
      counters.orphans++;
      orphans.push({ association: l.association, fromKey: l.fromKey, toKey: l.toKey });
    } else {
      resolved.push({ association: l.association, fromResourceId: from, toResourceId: to });
    }
  }
  if (resolved.length > 0) await rs.insertLinks(resolved, write);
  counters.linksInserted += resolved.length;
}

/** Initial mode: every pair of the file, resolved against the resources just inserted. */
export async function insertInitialLinks(
  rs: ResourceStore, context: LinkContext, folder: string, entry: ManifestEntry, association: AssociationModel, write: WriteContext,
  counters: LinkCounters, orphans: Orphan[], resolve: readonly [EndResolver, EndResolver],
): Promise<void> {
  if (entry.delta !== "none") throw new Error(`${entry.file} is not a whole set`);
  let batch: LinkByKeys[] = [];
  for await (const [fromValue, toValue] of pairs(join(folder, entry.file), entry.columns, context.signal)) {
    const fromKey = resolve[0](fromValue!);
    const toKey = resolve[1](toValue!);
    if (fromKey === undefined || toKey === undefined) {
      counters.orphans++;
      orphans.push({ association: association.identifier, fromKey: fromValue!, toKey: toValue! });
      continue;
    }
    batch.push({ association: association.identifier, fromEntityType: association.side1.entityType, fromKey, toEntityType: association.side2.entityType, toKey });
    if (batch.length >= rs.insertBatch("links")) {
      await insertResolved(rs, batch, write, counters, orphans);
      batch = [];
    }
  }
  await insertResolved(rs, batch, write, counters, orphans);
}

/** Orphans="true": the unresolved pairs, one CSV per synchronization. */
export async function writeOrphans(path: string, orphans: readonly Orphan[]): Promise<void> {
  const writer = CsvWriter.create(path, ["association", "from_key", "to_key"]);
  let ok = false;
  try {
    for (const o of orphans) writer.write([o.association, o.fromKey, o.toKey]);
    ok = true;
  } finally {
    writer.close(ok);
  }
}

/**
 * The plan: what a deploy would insert, update and delete, computed from the desired items and the
 * stored ones without touching the database. Pure, so that `idm plan` and `idm deploy` show and
 * apply the very same change set.
 */
import type { SourcePosition } from "../config/problems.js";
import { describeJobChanges } from "./job-changes.js";
import { contributionsColumn } from "./stored-items.js";
import type { Contribution } from "../config/overlays.js";
import type { StoredItem } from "../domain/stored-items.js";
import { setHash, type Item, type ItemChildren } from "../config/items.js";

export const PLAN_VERSION = 1;

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface ItemUpdate {
  kind: string;
  identifier: string;
  changes: FieldChange[];
  item: Item;
}

export interface ItemDelete {
  kind: string;
  identifier: string;
  source: SourcePosition | null;
  attributes: Item["attributes"];
  children: ItemChildren;
}

/** An unchanged item whose element moved (another file, another line): only its source is updated. */
export interface ItemMove {
  kind: string;
  identifier: string;
  from: SourcePosition | null;
  to: SourcePosition;
  /** The files that now make the overlaid item (its stored contributions are replaced). */
  contributions?: Contribution[];
}

export interface JobChanges {
  job: string;
  changes: string[];
}

export interface Plan {
  version: number;
  /** Hash of the stored state the plan was computed against: applying it elsewhere is refused. */
  basis: string;
  configurationHash: string;
  scope?: string;
  summary: { insert: number; update: number; delete: number };
  inserts: Item[];
  updates: ItemUpdate[];
  deletes: ItemDelete[];
  moves: ItemMove[];
  jobs: JobChanges[];
}

export interface PlanOptions {
  /** Only items whose source file is under this folder (relative to the configuration folder). */
  scope?: string;
}

const key = (kind: string, identifier: string): string => `${kind}\u0000${identifier}`;

export function planDeploy(desired: Item[], stored: StoredItem[], options: PlanOptions = {}): Plan {
  const inScope = (source: SourcePosition | null): boolean => isUnder(source?.file, options.scope);
  const storedByKey = new Map(stored.map((s) => [key(s.kind, s.identifier), s]));
  const desiredKeys = new Set<string>();
  const inserts: Item[] = [];
  const updates: ItemUpdate[] = [];
  const moves: ItemMove[] = [];
  for (const item of desired) {
    const k = key(item.kind, item.identifier);
    desiredKeys.add(k);
    if (!inScope(item.source)) continue;
    const before = storedByKey.get(k);
    if (!before) inserts.push(item);
    else if (before.hash !== item.hash) {
      updates.push({ kind: item.kind, identifier: item.identifier, changes: diffFields(before, item), item });
    } else if (!sameSource(before.source, item.source) ||
      (before.contributions !== undefined && before.contributions !== contributionsColumn(item.contributions))) {
      moves.push({ kind: item.kind, identifier: item.identifier, from: before.source, to: item.source,
        ...(item.contributions ? { contributions: item.contributions } : {}) });
    }
  }
  const deletes: ItemDelete[] = stored
    .filter((s) => !desiredKeys.has(key(s.kind, s.identifier)) && inScope(s.source))
    .map(({ kind, identifier, source, attributes, children }) => ({ kind, identifier, source, attributes, children }));
  const byKindThenId = (a: { kind: string; identifier: string }, b: { kind: string; identifier: string }): number =>
    a.kind === b.kind ? compare(a.identifier, b.identifier) : compare(a.kind, b.kind);
  inserts.sort(byKindThenId);
  updates.sort(byKindThenId);
  deletes.sort(byKindThenId);
  moves.sort(byKindThenId);
  return {
    version: PLAN_VERSION,
    basis: setHash(stored),
    configurationHash: setHash(desired),
    ...(options.scope ? { scope: options.scope } : {}),
    summary: { insert: inserts.length, update: updates.length, delete: deletes.length },
    inserts,
    updates,
    deletes,
    moves,
    jobs: describeJobChanges(desired, stored, { inserts, updates, deletes }),
  };
}

/**
 * The plan as the ledger keeps it: what changed, by key, with the changed fields of each update.
 * The items themselves are in that deployment's revisions, so a cold deploy of 50,000 items writes
 * each item's JSON twice (item and revision), not a third time into one plan row.
 */
export function ledgerPlan(plan: Plan): string {
  const keyOf = ({ kind, identifier }: { kind: string; identifier: string }) => ({ kind, identifier });
  return JSON.stringify({
    ...plan,
    inserts: plan.inserts.map((item) => ({ ...keyOf(item), source: item.source })),
    updates: plan.updates.map(({ kind, identifier, changes }) => ({ kind, identifier, changes })),
    deletes: plan.deletes.map((item) => ({ ...keyOf(item), source: item.source })),
  });
}

/** The plan of a folder whose items are the stored ones (`stateHash`: their setHash). */
export function emptyPlan(stateHash: string): Plan {
  return {
    version: PLAN_VERSION, basis: stateHash, configurationHash: stateHash, summary: { insert: 0, update: 0, delete: 0 },
    inserts: [], updates: [], deletes: [], moves: [], jobs: [],
  };
}

export function hasChanges(plan: Plan): boolean {
  return plan.inserts.length + plan.updates.length + plan.deletes.length + plan.moves.length > 0;
}

/** Attribute-level differences, as dotted paths (`attributes.Dirty`, `children.steps[2].level`). */
export function diffFields(before: { attributes: unknown; children: unknown }, after: { attributes: unknown; children: unknown }): FieldChange[] {
  const changes: FieldChange[] = [];
  diffValue("attributes", before.attributes, after.attributes, changes);
  diffValue("children", before.children, after.children, changes);
  return changes;
}

function diffValue(path: string, before: unknown, after: unknown, changes: FieldChange[]): void {
  if (isObject(before) && isObject(after)) {
    for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      diffValue(`${path}.${k}`, before[k], after[k], changes);
    }
  } else if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && before.some(isObject)) {
    before.forEach((b, i) => diffValue(`${path}[${i}]`, b, after[i], changes));
  } else if (JSON.stringify(before) !== JSON.stringify(after)) {
    changes.push({ path, before: before ?? null, after: after ?? null });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameSource(a: SourcePosition | null, b: SourcePosition): boolean {
  return a !== null && a.file === b.file && a.line === b.line && a.column === b.column && a.generatedBy === b.generatedBy;
}

export function isUnder(file: string | undefined, scope: string | undefined): boolean {
  if (!scope) return true;
  return file !== undefined && (file === scope || file.startsWith(`${scope}/`));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

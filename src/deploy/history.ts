/** The ledger read back: deployments, one stored item with its history, and past item sets (rollback). */
import type { SourcePosition } from "../config/problems.js";
import { ENTITY, type DeploymentRow, type ItemRow, type RevisionRow } from "../store/entities.js";
import type { Store } from "../store/store.js";
import { DeployError } from "./deploy-error.js";
import type { Item } from "../config/items.js";
import { selectDeployments, selectRevisions } from "./item-queries.js";
import { readStoredItems } from "./read-stored.js";
import { LazyStoredItem } from "../domain/stored-items.js";
import type { StoredItem } from "../domain/stored-items.js";

export type DeploymentSummary = Omit<DeploymentRow, "plan">;

export async function listDeployments(store: Store): Promise<DeploymentSummary[]> {
  return selectDeployments(store.dataSource.manager).getMany();
}

/** The source folder of the newest applied deploy (not a rollback, whose "folder" is a description). */
export async function newestDeploymentFolder(store: Store): Promise<string | undefined> {
  const row = await store.dataSource.manager.getRepository<DeploymentRow>(ENTITY.deployment).findOne({
    select: { id: true, sourceFolder: true },
    where: { status: "applied", kind: "deploy" },
    order: { id: "DESC" },
  });
  return row?.sourceFolder ?? undefined;
}

export interface ShownItem {
  item: StoredItem;
  createdBy: DeploymentSummary | undefined;
  changedBy: DeploymentSummary | undefined;
}

export async function showItem(store: Store, kind: string, identifier: string): Promise<ShownItem | undefined> {
  const manager = store.dataSource.manager;
  const row = await manager.getRepository<ItemRow>(ENTITY.item).findOneBy({ kind, identifier });
  if (!row) return undefined;
  const deployment = async (id: number | null): Promise<DeploymentSummary | undefined> => {
    if (id === null) return undefined;
    const found = await manager.getRepository<DeploymentRow>(ENTITY.deployment).findOneBy({ id });
    if (!found) return undefined;
    const { plan: _, ...summary } = found;
    return summary;
  };
  return { item: new LazyStoredItem(row), createdBy: await deployment(row.createdBy), changedBy: await deployment(row.changedBy) };
}

export async function jobIdentifiers(store: Store): Promise<string[]> {
  const rows = await store.dataSource.manager.getRepository<ItemRow>(ENTITY.item).find({ select: { identifier: true }, where: { kind: "Job" } });
  return rows.map((r) => r.identifier);
}

/**
 * The items as they stood right after a deployment. A revision keeps the state before its change
 * (`after` only in revisions written before that rule): the state after an item's last change up to
 * the deployment is the `before` of its next revision, or the item as stored now when it has none.
 */
export async function itemsAfter(store: Store, deploymentId: number): Promise<Item[]> {
  const manager = store.dataSource.manager;
  const exists = await manager.getRepository<DeploymentRow>(ENTITY.deployment).existsBy({ id: deploymentId });
  if (!exists) throw new DeployError("unknown-deployment", `there is no deployment ${deploymentId} (idm deployments lists them)`);
  /** Per item: its last revision up to the deployment, and the first one after that. */
  const history = new Map<string, { last: RevisionRow; next?: RevisionRow }>();
  for (const revision of await selectRevisions(manager).getMany()) {
    const key = `${revision.kind}\u0000${revision.identifier}`;
    const known = history.get(key);
    if (revision.deploymentId <= deploymentId) history.set(key, { last: revision });
    else if (known && !known.next) known.next = revision;
  }
  const current = new Map((await readStoredItems(manager)).map((s) => [`${s.kind}\u0000${s.identifier}`, s]));
  const items: Item[] = [];
  for (const [key, { last, next }] of history) {
    if (last.operation === "delete") continue;
    const state = last.after ?? next?.before ?? null;
    const now = current.get(key);
    if (state === null && !now) throw new DeployError("unknown-deployment", `the history of ${last.kind} ${last.identifier} is incomplete: no state after deployment ${deploymentId}`);
    const after = state === null
      ? { attributes: now!.attributes, children: now!.children, hash: now!.hash, source: now!.source }
      : JSON.parse(state) as Pick<Item, "attributes" | "children" | "hash"> & { source: SourcePosition | null };
    items.push({
      kind: last.kind,
      identifier: last.identifier,
      attributes: after.attributes,
      children: after.children,
      hash: after.hash,
      source: after.source ?? { file: "", line: 1, column: 1 },
    });
  }
  return items;
}

/** The ledger read back: deployments, one stored item with its history, and past item sets (rollback). */
import type { SourcePosition } from "../config/problems.js";
import { ENTITY, type DeploymentRow, type ItemRow } from "../store/entities.js";
import type { Store } from "../store/store.js";
import { DeployError } from "./deploy-error.js";
import type { Item } from "../config/items.js";
import { selectDeployments, selectRevisionsUpTo } from "./item-queries.js";
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

/** The items as they stood right after a deployment, rebuilt from the revisions up to it. */
export async function itemsAfter(store: Store, deploymentId: number): Promise<Item[]> {
  const manager = store.dataSource.manager;
  const exists = await manager.getRepository<DeploymentRow>(ENTITY.deployment).existsBy({ id: deploymentId });
  if (!exists) throw new DeployError("unknown-deployment", `there is no deployment ${deploymentId} (idm deployments lists them)`);
  const state = new Map<string, Item>();
  for (const revision of await selectRevisionsUpTo(manager, deploymentId).getMany()) {
    const key = `${revision.kind}\u0000${revision.identifier}`;
    if (revision.after === null) {
      state.delete(key);
      continue;
    }
    const after = JSON.parse(revision.after) as Pick<Item, "attributes" | "children" | "hash"> & { source: SourcePosition | null };
    state.set(key, {
      kind: revision.kind,
      identifier: revision.identifier,
      attributes: after.attributes,
      children: after.children,
      hash: after.hash,
      source: after.source ?? { file: "", line: 1, column: 1 },
    });
  }
  return [...state.values()];
}

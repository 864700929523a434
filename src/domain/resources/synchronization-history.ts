/** One row per synchronization (idm_synchronization_history): its mode, state and counts. */
import type { SynchronizationRow } from "../../store/entities.js";
import { run } from "../../store/statements.js";
import * as q from "./resource-queries.js";
import type { StoreSession } from "./store-session.js";

export type NewSynchronization = Pick<SynchronizationRow, "connector" | "taskInstanceId" | "jobInstanceId" | "mode" | "startedAt">;

export class SynchronizationHistory {
  constructor(private readonly session: StoreSession) {}

  /** Records a synchronization as InProgress with zero counts; returns its id. */
  async start(sync: NewSynchronization): Promise<number> {
    const row: Omit<SynchronizationRow, "id"> = {
      ...sync, state: "InProgress", endedAt: null, resourcesInserted: 0, resourcesUpdated: 0, resourcesDeleted: 0, linksInserted: 0, linksDeleted: 0, error: null,
    };
    const result = await q.insertSynchronization(this.session.m, row).execute();
    return Number((result.identifiers[0] as { id: number }).id);
  }

  async update(id: number, set: Partial<Omit<SynchronizationRow, "id">>): Promise<void> {
    await run(this.session.m, q.updateSynchronization(this.session.m, id, set));
  }

  /** A connector's synchronizations, newest first. */
  async ofConnector(connector: string, limit: number): Promise<SynchronizationRow[]> {
    return q.selectSynchronizations(this.session.m, connector, limit).getMany();
  }

  async ofTask(taskInstanceId: number): Promise<SynchronizationRow | undefined> {
    return (await q.selectSynchronizationOfTask(this.session.m, taskInstanceId).getOne()) ?? undefined;
  }
}

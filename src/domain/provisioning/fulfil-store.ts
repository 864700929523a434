/**
 * FulfillTask's reads and writes of idm_provisioning_orders (migrations/0007, 0009) and of the
 * assignments the orders are for: the orders still to fulfil, the InFlight mark committed before a
 * package runs, and the outcomes, recorded with the assignments' move Transmitted → Executed or
 * Errored in one transaction.
 */
import type { EntityManager } from "typeorm";
import { chunks, run } from "../../store/statements.js";
import type { Store } from "../../store/store.js";
import type { OrderOutcome } from "../../connectors/fulfil/fulfiller.js";
import { keysetPages, StoreSession } from "../resources/store-session.js";
import type { OrderRow } from "../rolemodel/assignment-rows.js";
import { AssignmentStore } from "../rolemodel/assignment-store.js";
import * as q from "./fulfil-queries.js";

const PAGE = 1000;

/** What the fulfilment reads of an order (its document is in its file). */
export type FulfilOrderRow = Pick<OrderRow, "id" | "assignedResourceTypeId" | "resourceType" | "connector" | "changeType" | "ownerId" | "orderFile" | "fulfilState" | "fulfilMessage">;

/** An outcome with what it is recorded with. */
export interface RecordedOutcome extends OrderOutcome {
  assignedResourceTypeId: number;
}

/** Outcomes per UPDATE: its CASE is scanned for each row it writes, so it stays short (as resource versions). */
const OUTCOMES_PER_UPDATE = 200;

export class FulfilStore {
  constructor(private readonly store: Store) {}

  private get m(): EntityManager {
    return this.store.dataSource.manager;
  }

  /** The orders written to files (state applied) of these resource types without an outcome yet, in id order. */
  async outstanding(resourceTypes: readonly string[]): Promise<FulfilOrderRow[]> {
    const rows: FulfilOrderRow[] = [];
    for (const batch of chunks(resourceTypes, new StoreSession(this.m).idBatch() - 3)) {
      const pages = keysetPages(async (afterId: number | undefined) => (await q.selectOutstanding(this.m, batch, afterId ?? 0, PAGE).getMany()) as FulfilOrderRow[], (r) => r.id, PAGE);
      for await (const page of pages) rows.push(...page);
    }
    return rows.sort((a, b) => a.id - b.id);
  }

  /** Every order of one file (of these resource types), in id order: the results list those with an outcome. */
  async ofFile(resourceTypes: readonly string[], orderFile: string): Promise<FulfilOrderRow[]> {
    return (await q.selectOfFile(this.m, resourceTypes, orderFile).getMany()) as FulfilOrderRow[];
  }

  /** Marks orders handed to a package (committed before it runs), or takes the mark back from those it did not reach. */
  async setInFlight(ids: readonly number[], inFlight: boolean): Promise<void> {
    for (const batch of chunks(ids, new StoreSession(this.m).idBatch() - 2)) await run(this.m, q.setFulfilState(this.m, batch, inFlight ? "InFlight" : null));
  }

  /** Records the outcomes and moves their assignments (and Transmitted values) to Executed or Errored, in one transaction. */
  async record(outcomes: readonly RecordedOutcome[], at: Date, jobInstanceId: number | null): Promise<void> {
    if (outcomes.length === 0) return;
    await this.store.dataSource.transaction(async (m) => {
      // Five parameters per outcome (its id three times, state, message): 200 stay under SQL Server's 2,100.
      for (const group of chunks(outcomes, OUTCOMES_PER_UPDATE)) await run(m, q.recordOutcomes(m, group, at, jobInstanceId));
      const assignments = new AssignmentStore(m);
      for (const state of ["Executed", "Errored"] as const) {
        const ids = outcomes.filter((o) => o.state === state).map((o) => o.assignedResourceTypeId);
        if (ids.length > 0) await assignments.moveProvisioningState(ids, "Transmitted", state);
      }
    });
  }

  /** Where a completed file is now, for every order of it. */
  async moveFile(ids: readonly number[], orderFile: string): Promise<void> {
    await new AssignmentStore(this.m).setOrderFile(ids, orderFile, "applied");
  }
}

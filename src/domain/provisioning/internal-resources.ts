/**
 * The InternalResources fulfilment package (`Usercube.FulfillDatabase@0000001`): the orders of
 * resource types whose target lives in the product itself are written straight into the resource
 * store (internal-resource-writes.ts), without any connector. It lives in the domain, not in
 * src/connectors/fulfil/, because the system it fulfils is the store.
 *
 * A batch (one apply call) is one transaction, so a killed run leaves none of its writes; each order
 * runs under a savepoint, so an order the store refuses is rolled back alone and ends Errored while
 * the others commit. Outcomes are reported once the transaction has committed: an Executed outcome
 * is never reported for a write that could still be lost.
 */
import type { EntityManager } from "typeorm";
import type { FulfilOrder, FulfilPackage, Fulfiller, OrderOutcome } from "../../connectors/fulfil/fulfiller.js";
import type { Store } from "../../store/store.js";
import { readEntityModel, type EntityModel } from "../resources/entity-model.js";
import { ResourceStore } from "../resources/resource-store.js";
import { OrderError } from "./internal-resource-changes.js";
import { InternalResourceWrites } from "./internal-resource-writes.js";

export interface InternalResourcesOptions {
  store: Store;
  /** FulfillTask's Dirty: the resources written are flagged dirty. */
  dirty: boolean;
  /** FulfillTask's IgnoreHistorization: the versions replaced and the links ended are not archived. */
  ignoreHistorization: boolean;
  jobInstanceId: number | null;
}

export function internalResourcesPackage(options: InternalResourcesOptions): FulfilPackage {
  return {
    name: "InternalResources",
    handles: (packageName) => /^Usercube\.FulfillDatabase(@|$)/i.test(packageName),
    // No settings: the store is the connection. The model is read once, as deployed when the task starts.
    open: async () => new InternalResourcesFulfiller(options, await readEntityModel(options.store)),
  };
}

const SAVEPOINT = "internal_resources_order";

class InternalResourcesFulfiller implements Fulfiller {
  constructor(private readonly options: InternalResourcesOptions, private readonly model: EntityModel) {}

  async *apply(orders: readonly FulfilOrder[], signal: AbortSignal): AsyncIterable<OrderOutcome> {
    const { store, dirty, ignoreHistorization, jobInstanceId } = this.options;
    const outcomes = await store.dataSource.manager.transaction(async (m) => {
      const context = { at: new Date(), jobInstanceId, ...(ignoreHistorization ? { withoutHistory: true } : {}) };
      const writes = new InternalResourceWrites(new ResourceStore(m), this.model, context, dirty);
      const done: OrderOutcome[] = [];
      for (const order of orders) {
        if (signal.aborted) break;
        done.push(await applyOne(m, writes, order));
      }
      return done;
    });
    yield* outcomes;
  }

  async close(): Promise<void> {}
}

async function applyOne(m: EntityManager, writes: InternalResourceWrites, { id, order }: FulfilOrder): Promise<OrderOutcome> {
  await m.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const result = await writes.apply(order);
    await m.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return { id, state: "Executed", message: result.message, ...(result.alreadyApplied ? { alreadyApplied: true } : {}) };
  } catch (error) {
    // A failing rollback means the connection itself failed: that throws, and the batch with it.
    await m.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    await m.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    const message = error instanceof Error ? error.message : String(error);
    return { id, state: "Errored", message: error instanceof OrderError ? message : `the resource store refused it: ${message}` };
  }
}

/**
 * SetRecentlyModifiedFlagTask: turns the change rows that SynchronizeTasks kept as applied
 * (DoNotDeleteChanges="true") into dirty marks on the resources they name, then deletes those rows,
 * all in one transaction: the Dirty="true" tasks after it process exactly what the synchronizations
 * changed. Every applied row counts, whichever job instance or connector wrote it. Pending and blocked
 * rows are not applied yet (a blocked synchronization waits for review): they are left alone and flag
 * nothing; discarded rows too. Rules: README, SetRecentlyModifiedFlagTask.
 *
 * Work is in ranges of change ids within the transaction: each range is claimed (derived-queries.ts
 * CLAIMED), flagged and deleted by three set-based statements, whose size stays bounded (SQL Server's
 * request timeout and lock escalation) however many rows the synchronizations kept. The claim makes
 * the delete take exactly the rows the flag saw, even when a synchronization commits more applied
 * rows meanwhile. Cancelling lets the running statement finish; the check after it rolls back all.
 */
import type { EntityManager, QueryRunner } from "typeorm";
import {
  claimAppliedChanges, deleteClaimedChanges, execute, flagClaimedChanges, selectAppliedChangeBound, type IdRange,
} from "../domain/resources/derived-queries.js";
import { ENTITY } from "../store/entities.js";
import { defineTask, type TaskContext, type TaskResult } from "./task-handler.js";

/** Change rows per range. */
export const DEFAULT_FLAG_BATCH = 50_000;

export interface FlagCounters {
  /** Resources this run set dirty (those already dirty are not counted). */
  flagged: number;
  changesCleared: number;
  linkChangesCleared: number;
  [name: string]: number;
}

export interface FlagOptions {
  /** Change rows per range (tests use small ones to cross range boundaries). */
  batchSize?: number;
  /** Awaited between a range's flag and its delete: tests commit a concurrent write there. */
  beforeDelete?: () => Promise<void>;
}

function transactionRunner(m: EntityManager): QueryRunner {
  if (m.queryRunner === undefined) throw new Error("SetRecentlyModifiedFlagTask runs in a transaction");
  return m.queryRunner;
}

const TABLES = [
  [ENTITY.resourceChange, "changesCleared"],
  [ENTITY.resourceLinkChange, "linkChangesCleared"],
] as const;

async function nextBound(m: EntityManager, entity: (typeof TABLES)[number][0], after: number, size: number): Promise<number | undefined> {
  const row = await selectAppliedChangeBound(m, entity, after, size).getRawOne<{ id: number | string }>();
  return row === undefined ? undefined : Number(row.id);
}

export async function setRecentlyModifiedFlag(context: TaskContext, options: FlagOptions = {}): Promise<FlagCounters> {
  const size = options.batchSize ?? DEFAULT_FLAG_BATCH;
  const counters: FlagCounters = { flagged: 0, changesCleared: 0, linkChangesCleared: 0 };
  context.signal.throwIfAborted();
  // Read before the transaction, so that it starts with a write: in WAL mode SQLite refuses (SQLITE_BUSY_SNAPSHOT,
  // not waited for) the first write of a transaction that has read while another connection committed. A bound
  // read early is still a bound: the claim takes the rows applied within it when it runs.
  const firstBound = await nextBound(context.store.dataSource.manager, TABLES[0][0], 0, size);
  await context.store.dataSource.transaction(async (m) => {
    const runner = transactionRunner(m);
    for (const [entity, cleared] of TABLES) {
      let range: IdRange = { after: 0, upto: entity === TABLES[0][0] ? firstBound : await nextBound(m, entity, 0, size) };
      for (;;) {
        // An abort between statements throws here, and the transaction rolls back: nothing flagged, nothing deleted.
        context.signal.throwIfAborted();
        if (await execute(runner, claimAppliedChanges(m, entity, range)) > 0) {
          counters.flagged += await execute(runner, flagClaimedChanges(m, entity, range));
          await options.beforeDelete?.();
          context.signal.throwIfAborted();
          counters[cleared] += await execute(runner, deleteClaimedChanges(m, entity, range));
        }
        context.progress({ ...counters });
        if (range.upto === undefined) break;
        range = { after: range.upto, upto: await nextBound(m, entity, range.upto, size) };
      }
    }
  });
  return counters;
}

export default defineTask<"SetRecentlyModifiedFlagTask">({
  type: "SetRecentlyModifiedFlagTask",
  side: "server",
  async run(context): Promise<TaskResult> {
    const counters = await setRecentlyModifiedFlag(context);
    const cleared = counters.changesCleared + counters.linkChangesCleared;
    context.log("Information", cleared === 0
      ? "no applied change rows: nothing flagged (a synchronization keeps its changes as applied under DoNotDeleteChanges=\"true\")"
      : `${counters.flagged} resources flagged dirty; ${counters.changesCleared} resource changes and ${counters.linkChangesCleared} link changes cleared`);
    // Work is consuming applied changes: even when their resources are gone or already dirty, they
    // are changes the Dirty-mode tasks after this one may have to account for.
    return { state: "Succeeded", didWork: cleared > 0, counters: { ...counters } };
  },
});

/**
 * ResetValidFromTask: the first version of every resource becomes valid from 0001-01-01T00:00:00Z,
 * so that what the initial load found counts as valid "forever back" (history queries at any date
 * before the load see it). The first version is the earliest archived one (idm_resource_history) when
 * the resource has any, else its current row. Rules: README, ResetValidFromTask.
 *
 * In ranges of ids (keyset), one statement each and no enclosing transaction: every range commits on
 * its own, and since rows already at year 1 are left out, a run stopped half-way (cancel, failure) is
 * finished by the next one and a second full run changes nothing.
 */
import type { EntityManager, QueryRunner, SelectQueryBuilder } from "typeorm";
import {
  execute, resetFirstArchivedVersions, resetUnarchivedResources, selectHistoryBound, selectResourceBound, type IdRange,
} from "../domain/resources/derived-queries.js";
import type { Statement } from "../store/statements.js";
import { defineTask, type TaskResult } from "./task-handler.js";
import type { WorkContext } from "../domain/work-context.js";

/** Rows per range: each range is one UPDATE. */
export const DEFAULT_RESET_BATCH = 20_000;

export interface ResetCounters {
  reset: number;
  [name: string]: number;
}

export interface ResetOptions extends Pick<WorkContext, "store" | "signal">, Partial<Pick<WorkContext<ResetCounters>, "progress">> {
  /** Rows per range (tests use small ones to cross range boundaries). */
  batchSize?: number;
}

interface Pass {
  bound(m: EntityManager, after: number, size: number): SelectQueryBuilder<object>;
  reset(m: EntityManager, range: IdRange): Statement;
}

/** Archived versions first, then the current rows of resources that have none. */
const PASSES: Pass[] = [
  { bound: selectHistoryBound, reset: resetFirstArchivedVersions },
  { bound: selectResourceBound, reset: resetUnarchivedResources },
];

export async function resetValidFrom(options: ResetOptions): Promise<ResetCounters> {
  const size = options.batchSize ?? DEFAULT_RESET_BATCH;
  const counters: ResetCounters = { reset: 0 };
  options.signal.throwIfAborted();
  const runner: QueryRunner = options.store.dataSource.createQueryRunner();
  try {
    for (const pass of PASSES) {
      let after = 0;
      for (;;) {
        options.signal.throwIfAborted();
        const bound = await pass.bound(runner.manager, after, size).getRawOne<{ id: number | string }>();
        const range: IdRange = { after, upto: bound === undefined ? undefined : Number(bound.id) };
        counters.reset += await execute(runner, pass.reset(runner.manager, range));
        options.progress?.({ ...counters });
        if (range.upto === undefined) break;
        after = range.upto;
      }
    }
  } finally {
    await runner.release();
  }
  return counters;
}

export default defineTask<"ResetValidFromTask">({
  type: "ResetValidFromTask",
  side: "server",
  async run(context): Promise<TaskResult> {
    const counters = await resetValidFrom({ store: context.store, signal: context.signal, progress: (c) => context.progress({ ...c }) });
    context.log("Information", counters.reset === 0
      ? "every first version was already valid from 0001-01-01: nothing reset"
      : `${counters.reset} first versions reset to valid from 0001-01-01`);
    return { state: "Succeeded", didWork: counters.reset > 0, counters: { ...counters } };
  },
});

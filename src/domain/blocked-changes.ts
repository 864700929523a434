/**
 * Held changes: work a task computes, checks, then applies, held Blocked for review when a check
 * fails, and applied on resume. SynchronizeTask holds its resource and link changes this way (its
 * thresholds); provisioning orders and certification decisions are to block and resume the same way.
 *
 * A queue of held changes is one or more tables of change rows sharing an owner column (the job
 * instance that computed them) and a subject column (what they are for: a connector), each row
 * with a `state` (vocabulary.ts' ChangeState). Its states move only along TRANSITIONS:
 *
 *   pending ──hold──▶ blocked            a check failed: the task ends Blocked, the rows wait
 *   pending | blocked ──apply──▶ applied  kept after applying (or removed: `remove`)
 *   pending | blocked ──supersede──▶ discarded   a later run computed them again
 *
 * On resume the runner forces the Blocked task: it finds its rows still held (`isHeld`), applies
 * them from `blocked` without computing anything again, then marks them applied or removes them.
 */
import { Not, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from "typeorm";
import { chunks, batchSize, run, type Statement } from "../store/statements.js";
import { dialectOfDriver } from "../store/column-types.js";
import { TableWriter, updateWhere } from "./table-statements.js";
import type { ChangeState } from "./vocabulary.js";

// The decision --------------------------------------------------------------------------------

export type HoldDecision = { action: "apply" } | { action: "hold"; reason: string };

/** A check of computed changes: why they must be held (a threshold exceeded), or undefined. */
export type HoldCheck = () => string | undefined | Promise<string | undefined>;

/**
 * Runs the checks in order and holds at the first that fails. They run lazily (a check may read
 * the store; those after a failed one are not needed), and not at all when forced: a resume,
 * `idm run --force`, or the task's own Force attribute.
 */
export async function decideHold(forced: boolean, checks: readonly HoldCheck[]): Promise<HoldDecision> {
  if (forced) return { action: "apply" };
  for (const check of checks) {
    const reason = await check();
    if (reason !== undefined) return { action: "hold", reason };
  }
  return { action: "apply" };
}

// The states ----------------------------------------------------------------------------------

export const TRANSITIONS: Readonly<Record<ChangeState, readonly ChangeState[]>> = {
  pending: ["blocked", "applied", "discarded"],
  blocked: ["applied", "discarded"],
  applied: [],
  discarded: [],
};

export function canMove(from: ChangeState, to: ChangeState): boolean {
  return TRANSITIONS[from].includes(to);
}

function checkMove(from: ChangeState, to: ChangeState): void {
  if (!canMove(from, to)) throw new Error(`held changes cannot move from ${from} to ${to} (allowed from ${from}: ${TRANSITIONS[from].join(", ") || "none"})`);
}

// The queue -----------------------------------------------------------------------------------

export interface HeldChangeTable {
  /** The entity (store/entities.ts' ENTITY) of the change rows. */
  entity: string;
  /** What a count groups the rows by: what a change is for (an entity type, an association), then its operation. */
  countBy: readonly [group: string, operation: string];
}

export interface HeldChangeQueue {
  /** Every transition moves the rows of all these tables together. */
  tables: readonly HeldChangeTable[];
  /** The property naming the run that computed a change (a job instance id). */
  owner: string;
  /** The property naming what the changes are for (a connector). */
  subject: string;
}

/** One run's changes for one subject. */
export interface HeldScope {
  owner: number;
  subject: string;
}

/** Changes counted per group and operation: `{ "HR_Person": { insert: 3, update: 1 } }`. */
export type ChangeCounts = Record<string, Record<string, number>>;

export function totalChanges(counts: ChangeCounts): number {
  return Object.values(counts).reduce((sum, byOperation) => sum + Object.values(byOperation).reduce((a, b) => a + b, 0), 0);
}

/** Moves a scope's rows of one table from one state to another. */
export function moveStatement(m: EntityManager, entity: string, queue: HeldChangeQueue, scope: HeldScope, from: ChangeState, to: ChangeState): Statement {
  return updateWhere<ObjectLiteral>(m, entity, { state: to }, (w) => w.equal({ [queue.owner]: scope.owner, [queue.subject]: scope.subject, state: from }));
}

/** Sets the state of these rows (a batch just applied). */
export function moveByIdsStatement(m: EntityManager, entity: string, ids: readonly number[], to: ChangeState): Statement {
  return updateWhere<ObjectLiteral>(m, entity, { state: to }, (w) => w.in("id", ids));
}

/** Deletes a scope's rows of one table, whatever their state. */
export function removeStatement(m: EntityManager, entity: string, queue: HeldChangeQueue, scope: HeldScope): Statement {
  const w = new TableWriter(m, entity);
  return w.statement(`DELETE FROM ${w.table} WHERE ${w.equal({ [queue.owner]: scope.owner, [queue.subject]: scope.subject })}`);
}

/** A scope's rows of one table in one state, counted per group and operation. */
export function countQuery(m: EntityManager, table: HeldChangeTable, queue: HeldChangeQueue, scope: HeldScope, state: ChangeState): SelectQueryBuilder<ObjectLiteral> {
  const [group, operation] = table.countBy;
  return m.createQueryBuilder<ObjectLiteral>(table.entity, "c")
    .select(`c.${group}`, group).addSelect(`c.${operation}`, "operation").addSelect("COUNT(*)", "count")
    .where(`c.${queue.owner} = :owner AND c.${queue.subject} = :subject AND c.state = :state`, { owner: scope.owner, subject: scope.subject, state })
    .groupBy(`c.${group}`).addGroupBy(`c.${operation}`);
}

/** The state transitions of one queue, over a DataSource's manager or a transaction's. */
export class HeldChanges {
  constructor(
    private readonly m: EntityManager,
    readonly queue: HeldChangeQueue,
  ) {}

  private table(entity: string): HeldChangeTable {
    const found = this.queue.tables.find((t) => t.entity === entity);
    if (found === undefined) throw new Error(`${entity} is not a table of this held-change queue (${this.queue.tables.map((t) => t.entity).join(", ")})`);
    return found;
  }

  /** The rows of one table in `state`, counted per group and operation. */
  async count(entity: string, scope: HeldScope, state: ChangeState): Promise<ChangeCounts> {
    const table = this.table(entity);
    const rows = await countQuery(this.m, table, this.queue, scope, state).getRawMany<Record<string, string | number>>();
    const counts: ChangeCounts = {};
    for (const row of rows) (counts[String(row[table.countBy[0]])] ??= {})[String(row.operation)] = Number(row.count);
    return counts;
  }

  /** Whether the scope has blocked rows, in any table: what a resume applies. */
  async isHeld(scope: HeldScope): Promise<boolean> {
    const counts: ChangeCounts[] = [];
    for (const table of this.queue.tables) counts.push(await this.count(table.entity, scope, "blocked"));
    return counts.some((c) => Object.keys(c).length > 0);
  }

  /** A check failed: the scope's pending rows are held as blocked. */
  async hold(scope: HeldScope): Promise<void> {
    await this.move(scope, "pending", "blocked");
  }

  /** Applied, and kept (for the tasks that read what changed): the rows applied from `from`. */
  async markApplied(scope: HeldScope, from: ChangeState): Promise<void> {
    await this.move(scope, from, "applied");
  }

  /** Moves the scope's rows of every table from one state to another, in one transaction. */
  async move(scope: HeldScope, from: ChangeState, to: ChangeState): Promise<void> {
    checkMove(from, to);
    await this.transaction(async (m) => {
      for (const { entity } of this.queue.tables) await run(m, moveStatement(m, entity, this.queue, scope, from, to));
    });
  }

  /** Moves rows of one table by id. */
  async moveByIds(entity: string, ids: readonly number[], to: ChangeState): Promise<void> {
    this.table(entity);
    const size = batchSize(dialectOfDriver(this.m.connection.options.type), 1) - 1;
    for (const batch of chunks(ids, size)) await run(this.m, moveByIdsStatement(this.m, entity, batch, to));
  }

  /** Applied, and not kept: the scope's rows are deleted, in every state. */
  async remove(scope: HeldScope): Promise<void> {
    await this.transaction(async (m) => {
      for (const { entity } of this.queue.tables) await run(m, removeStatement(m, entity, this.queue, scope));
    });
  }

  /**
   * A new run for the subject supersedes what older ones left: their pending rows (a run that died
   * before applying them) and, when `blockedOfOthers`, the rows other owners left blocked (a run
   * that recomputes everything lifts their block).
   */
  async discardSuperseded(scope: HeldScope, options: { blockedOfOthers: boolean }): Promise<void> {
    const { owner, subject } = this.queue;
    for (const { entity } of this.queue.tables) {
      await this.m.createQueryBuilder().update(entity).set({ state: "discarded" }).where({ [subject]: scope.subject, state: "pending" }).execute();
      if (options.blockedOfOthers) {
        await this.m.createQueryBuilder().update(entity).set({ state: "discarded" })
          .where({ [subject]: scope.subject, state: "blocked", [owner]: Not(scope.owner) }).execute();
      }
    }
  }

  private async transaction(work: (m: EntityManager) => Promise<void>): Promise<void> {
    if (this.m.queryRunner?.isTransactionActive) return work(this.m);
    await this.m.transaction(work);
  }
}

/**
 * Runs planned statements one at a time: the signal is checked before each, each is logged with its
 * reason, and a failing one is logged and counted but does not stop the others (one index that
 * cannot be rebuilt must not leave every other one fragmented); the task then ends Error.
 */
import type { WorkContext } from "../work-context.js";
import type { LogLevel } from "../vocabulary.js";
import type { MaintenanceOptions } from "./options.js";
import type { Action, Note } from "./plan.js";
import type { Session } from "./session.js";

export interface MaintenanceCounters {
  indexesExamined: number;
  indexesRebuilt: number;
  indexesReorganized: number;
  statisticsUpdated: number;
  rowsRepaired: number;
}

const COUNTER_OF: Partial<Record<Action["kind"], keyof MaintenanceCounters>> = {
  rebuild: "indexesRebuilt",
  reorganize: "indexesReorganized",
  statistics: "statisticsUpdated",
};

export class MaintenanceRun {
  readonly counters: MaintenanceCounters = { indexesExamined: 0, indexesRebuilt: 0, indexesReorganized: 0, statisticsUpdated: 0, rowsRepaired: 0 };
  readonly failures: string[] = [];
  /** Work done that no counter shows (kind "cleanup": leftovers of an interrupted rebuild dropped). */
  otherWork = false;
  /** A problem found that ends the task Error even when every statement ran (SQLite integrity_check). */
  problem: string | undefined;

  constructor(
    readonly context: WorkContext,
    readonly session: Session,
    readonly options: MaintenanceOptions,
  ) {}

  log(level: LogLevel, message: string): void {
    this.context.log(level, message);
  }

  note(notes: Note[]): void {
    for (const note of notes) this.log(note.level, note.message);
  }

  count(counter: keyof MaintenanceCounters, by = 1): void {
    this.counters[counter] += by;
    this.context.progress({ ...this.counters });
  }

  /** Runs the action; false when it failed (logged). A cancellation is thrown. */
  async perform(action: Action): Promise<boolean> {
    this.session.throwIfAborted();
    this.log("Information", `${action.sql} (${action.reason})`);
    const started = Date.now();
    try {
      await this.session.query(action.sql);
    } catch (error) {
      if (this.context.signal.aborted) throw error;
      const message = `${action.sql} failed: ${error instanceof Error ? error.message : String(error)}`;
      this.log("Error", message);
      this.failures.push(message);
      return false;
    }
    this.log("Debug", `done in ${((Date.now() - started) / 1000).toFixed(2)} s: ${action.sql}`);
    const counter = COUNTER_OF[action.kind];
    if (counter !== undefined) this.count(counter);
    if (action.kind === "cleanup") this.otherWork = true;
    return true;
  }

  async performAll(actions: Action[]): Promise<void> {
    for (const action of actions) await this.perform(action);
  }

  get didWork(): boolean {
    const c = this.counters;
    return this.otherWork || c.indexesRebuilt + c.indexesReorganized + c.statisticsUpdated + c.rowsRepaired > 0;
  }
}

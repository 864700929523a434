/**
 * The log of a job instance: lines are kept when at or above the level the Job or task asks for,
 * buffered, and written in one multi-row insert at most every quarter second, so that a chatty
 * script does not cost one round trip per line.
 */
import type { AttributeValue } from "../config/coerce-attribute.js";
import type { TaskLogRow } from "../store/entities.js";
import { batchSize, run } from "../store/statements.js";
import type { Store } from "../store/store.js";
import { LOG_LEVELS, type LogLevel } from "../domain/vocabulary.js";
import { insertTaskLogs } from "../store/job-instance-queries.js";

/**
 * The lowest level kept: the task's LogLevel, else the job's, else Information. "None" (6) is the
 * reference's default on both elements, so it cannot mean "keep nothing": it means "not set".
 * A name or its number (Trace 0 … Critical 5) both work, as in the XML.
 */
export function logThreshold(...levels: (AttributeValue | undefined)[]): number {
  for (const level of levels) {
    if (typeof level === "number" && level >= 0 && level < LOG_LEVELS.length) return level;
    const index = LOG_LEVELS.indexOf(level as LogLevel);
    if (index !== -1) return index;
  }
  return LOG_LEVELS.indexOf("Information");
}

export class TaskLogWriter {
  #pending: Omit<TaskLogRow, "id">[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(
    private readonly store: Store,
    private readonly jobInstanceId: number,
    private readonly flushMs = 250,
  ) {}

  add(taskInstanceId: number | null, level: LogLevel, message: string, threshold: number): void {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    this.#pending.push({ jobInstanceId: this.jobInstanceId, taskInstanceId, loggedAt: new Date(), level, message });
    this.#timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Writes what is buffered; throws the first write failure, once every line so far was tried. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const rows = this.#pending;
    this.#pending = [];
    this.#flushing = this.#flushing.then(async () => {
      const size = batchSize(this.store.dialect, 5);
      for (let i = 0; i < rows.length; i += size) {
        await run(this.store.dataSource.manager, insertTaskLogs(this.store.dataSource.manager, rows.slice(i, i + size)));
      }
    }).catch((error: unknown) => {
      this.#failure ??= error;
    });
    await this.#flushing;
    if (this.#failure !== undefined) throw this.#failure;
  }
}

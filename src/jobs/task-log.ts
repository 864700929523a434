/**
 * The log of a job instance: lines are kept when at or above the level the Job or task asks for,
 * buffered, and written in one multi-row insert at most every quarter second, so that a chatty
 * script does not cost one round trip per line.
 */
import type { AttributeValue } from "../config/coerce-attribute.js";
import type { TaskLogRow } from "../store/entities.js";
import { insertBatchSize, run } from "../store/statements.js";
import type { Store } from "../store/store.js";
import { LOG_LEVELS, type LogLevel } from "../domain/vocabulary.js";
import { insertTaskLogs } from "../store/job-instance-queries.js";

/**
 * The lowest level kept: the task's LogLevel, else the job's, else Debug (the terminal shows Debug
 * lines only with --verbose, so the stored log is where they are read afterwards). "None" (6) is the
 * reference's default on both elements, so it cannot mean "keep nothing": it means "not set".
 * A name or its number (Trace 0 … Critical 5) both work, as in the XML.
 */
export function logThreshold(...levels: (AttributeValue | undefined)[]): number {
  for (const level of levels) {
    if (typeof level === "number" && level >= 0 && level < LOG_LEVELS.length) return level;
    const index = LOG_LEVELS.indexOf(level as LogLevel);
    if (index !== -1) return index;
  }
  return LOG_LEVELS.indexOf("Debug");
}

/**
 * A message as every database can store it: PostgreSQL refuses NUL in text, and a lone UTF-16
 * surrogate is not text at all. They are written as the escape `\uXXXX`, so that nothing a script
 * prints can make the log, or the run, fail.
 */
function storable(message: string): string {
  return message.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
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
    this.#pending.push({ jobInstanceId: this.jobInstanceId, taskInstanceId, loggedAt: new Date(), level, message: storable(message) });
    // A failure here is kept for the runner's own flush at the end, which reports it.
    this.#timer ??= setTimeout(() => void this.flush().catch(() => {}), this.flushMs);
  }

  /** Writes what is buffered; throws the first write failure, once every line so far was tried. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const rows = this.#pending;
    this.#pending = [];
    this.#flushing = this.#flushing.then(async () => {
      const size = insertBatchSize(this.store.dialect, 5);
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

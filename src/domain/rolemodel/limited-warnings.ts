/**
 * Warnings about single resources (a key that failed to compute, an expression that threw) are
 * logged up to a limit, then counted: a rule wrong for every resource must not write a line per
 * resource into the task's log.
 */
import type { LogLevel } from "../vocabulary.js";

export const WARNINGS_SHOWN = 20;

export class LimitedWarnings {
  #count = 0;

  constructor(private readonly log: (level: LogLevel, message: string) => void, private readonly limit = WARNINGS_SHOWN) {}

  get count(): number {
    return this.#count;
  }

  warn(message: string): void {
    this.#count++;
    if (this.#count <= this.limit) this.log("Warning", message);
  }

  /** Says how many were not shown, if any. */
  summarize(what: string): void {
    if (this.#count > this.limit) this.log("Warning", `${this.#count - this.limit} more ${what} not shown (${this.#count} in all)`);
  }
}

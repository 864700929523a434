/**
 * A Job's schedule as croner reads it: CronTabExpression in 5 fields, or 6 with seconds first, in
 * UTC (CronTimeZone UTC, 0, the default) or in the server's own time zone (ServerTime, 1: TZ).
 * Validation, `idm jobs` and the scheduler all read it here, so they cannot disagree.
 */
import { Cron } from "croner";

/** Throws croner's error when the expression is not valid. */
export function jobCron(expression: string, cronTimeZone?: unknown): Cron {
  const serverTime = cronTimeZone === "ServerTime" || cronTimeZone === 1;
  return new Cron(expression, { mode: "5-or-6-parts", paused: true, ...(serverTime ? {} : { timezone: "UTC" }) });
}

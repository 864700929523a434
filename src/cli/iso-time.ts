import { CliError } from "./cli-error.js";
import { EXIT_USAGE } from "./exit-codes.js";

/** ISO 8601 only: Date also parses free text ("March 7"), which a typo should not turn into an instant. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The instant an option names (`--at`), or a usage error. */
export function parseIsoTime(option: string, text: string): Date {
  const at = new Date(text);
  if (!ISO_TIME.test(text) || Number.isNaN(at.getTime())) throw new CliError(`${option} ${text} is not an ISO 8601 time, e.g. 2026-11-28T02:00:00Z`, EXIT_USAGE);
  return at;
}

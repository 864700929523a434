/**
 * What cancelled work throws: the reason its signal was aborted with (a Timeout, a cancel of the job,
 * a lost lease: each says why), or, when it was aborted without one, an Error saying what stopped.
 */
export function cancellationError(signal: AbortSignal, fallback: string): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(fallback);
}

/**
 * What a piece of domain work gets from whoever runs it (a task handler, a test, a benchmark): the
 * store, the job it runs for, a cancel signal, a log and a progress sink. TaskContext extends it.
 */
import type { Store } from "../store/store.js";
import type { LogLevel } from "./vocabulary.js";

/** The job instance the work runs for: change rows, versions and logs are attributed to it. */
export interface JobRef {
  identifier: string;
  instanceId: number;
}

export interface WorkContext<Counters extends object = Record<string, number>> {
  store: Store;
  job: JobRef;
  /** Aborted on cancel, Ctrl-C or loss of the job's lease: stop the query or process, then return or throw. */
  signal: AbortSignal;
  log(level: LogLevel, message: string): void;
  /** Replaces the work's counters, shown live and kept with the task instance. */
  progress(counters: Counters): void;
}

/**
 * What a run over the resources of some entity types is given (correlation keys, classification,
 * role model, risk scores): the store, cancellation, log and progress, the entity types (undefined:
 * every one its rules read), Dirty mode, and resources per batch (0: the run's default).
 */
export interface EntityTypeRun<Counters extends object> extends Pick<WorkContext<Counters>, "store" | "signal" | "log" | "progress"> {
  entityTypes: readonly string[] | undefined;
  dirty: boolean;
  batchSize: number;
}

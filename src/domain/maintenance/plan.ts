/**
 * What the three databases share: the decision for one index and for one table's statistics, and
 * the shape of a planned statement. Each dialect module reads its catalog into rows, then turns the
 * rows into statements with pure functions (so that SQL Server, which cannot run here, is reviewed
 * from a fixture), and the handler runs them.
 */
import type { LogLevel } from "../vocabulary.js";
import type { MaintenanceOptions } from "./options.js";

export type ActionKind = "rebuild" | "reorganize" | "statistics" | "cleanup" | "other";

/** One maintenance statement, and why it runs (logged after it as "SQL (reason)"). */
export interface Action {
  kind: ActionKind;
  sql: string;
  reason: string;
}

/** Something the plan decided not to do, worth a log line. */
export interface Note {
  level: LogLevel;
  message: string;
}

export interface Plan {
  actions: Action[];
  notes: Note[];
}

/** Identifier quoting of the store's driver (`driver.escape`). */
export type Quote = (identifier: string) => string;

export interface IndexMeasure {
  pages: number;
  /** Fragmentation or bloat %; undefined when it cannot be measured (the index is then rebuilt only with AllIndexes). */
  fragmentation: number | undefined;
}

export type IndexDecision = "rebuild" | "reorganize" | undefined;

/**
 * AllIndexes rebuilds every index ("rebuild everything, ignore fragmentation": size too); otherwise
 * an index under PageCount pages is left alone, then fragmentation ≥ RebuildThreshold rebuilds and
 * ≥ ReorganizeThreshold reorganises.
 */
export function indexDecision(index: IndexMeasure, options: MaintenanceOptions): IndexDecision {
  if (options.allIndexes) return "rebuild";
  if (index.pages < options.pageCount || index.fragmentation === undefined) return undefined;
  if (index.fragmentation >= options.rebuildThreshold) return "rebuild";
  if (index.fragmentation >= options.reorganizeThreshold) return "reorganize";
  return undefined;
}

/** A table's statistics are refreshed when the rows modified since reach UpdateStatsThreshold % of its rows. */
export function statisticsDue(modified: number, rows: number, options: MaintenanceOptions): boolean {
  return modified > 0 && modified * 100 >= options.updateStatsThreshold * Math.max(rows, 0);
}

/** 42, 4.6: one decimal at most, so that 4.96 does not read as a 5 that missed a threshold of 5. */
export function percent(value: number): string {
  return `${Math.floor(value * 10) / 10}%`;
}

/** The reason of a rebuild or reorganise: what was measured, and AllIndexes when that decided. */
export function indexReason(measure: IndexMeasure, word: "fragmentation" | "bloat", options: MaintenanceOptions, extra: string[] = []): string {
  const parts = [
    ...(options.allIndexes ? ["AllIndexes"] : []),
    ...(measure.fragmentation === undefined ? [] : [`${word} ${percent(measure.fragmentation)}`]),
    `${measure.pages} pages`,
    ...extra,
  ];
  return parts.join(", ");
}

export function statisticsReason(modified: number, rows: number, since: string): string {
  const share = rows > 0 ? ` (${percent((modified * 100) / rows)})` : "";
  return `${modified} of ${rows} rows modified since ${since}${share}`;
}

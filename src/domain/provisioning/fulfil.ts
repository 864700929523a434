/**
 * FulfillTask (README "Provisioning (FulfillTask)"): applies the orders GenerateProvisioningOrdersTask
 * wrote to files, through the fulfilment package of each resource type's route (route.ts).
 *
 * - Which orders: those of the task's resource types (TaskResourceType; else every resource type
 *   routed to a Connection of its Connector; with Connection, only those routed to it) written to a
 *   file and without an outcome yet, file by file in the order they were written, each file's in its
 *   order. An order with an outcome is never taken again.
 * - Before a package gets a batch (BatchSize orders, 0: DEFAULT_BATCH_SIZE), its orders are marked
 *   InFlight, committed. A run killed after that leaves them InFlight: the next run hands them to the
 *   package again, whose idempotence (an order whose effect is there is Executed without a second
 *   write) keeps any order from being applied twice. Orders the package did not reach (a cancel) lose
 *   the mark.
 * - Each outcome is recorded with its assignment: Transmitted → Executed or Errored (with its
 *   Transmitted values), in one transaction per batch. A Ticket outcome (the Manual package) leaves
 *   the order open and its assignment Transmitted until `idm orders complete` closes it (tickets.ts).
 * - ContinueOnError false: the batch with the first Errored order is the last (its other orders'
 *   outcomes are recorded; the orders after it stay Transmitted) and the task ends Error. True: every
 *   order is tried, and Errored ones make the task end Error, which the runner turns into a Warning.
 * - After each file: its results CSV, and the move to Completed/ once all its orders have an outcome
 *   (order-results.ts). A cancel stops between two orders.
 */
import type { FulfilOrder, FulfilPackage, Fulfiller, OrderOutcome, ProvisioningOrder } from "../../connectors/fulfil/fulfiller.js";
import { FULFIL_PACKAGES } from "../../connectors/fulfil/packages.js";
import { cancellationError } from "../cancellation.js";
import type { JobRef, WorkContext } from "../work-context.js";
import { internalResourcesPackage } from "./internal-resources.js";
import { FulfilStore, type FulfilOrderRow, type RecordedOutcome } from "./fulfil-store.js";
import { completeOrderFile, readOrderFile, writeResults } from "./order-results.js";
import { isRoute, readRoutes, routeOf, type BrokenRoute, type ResolvedRoute, type Routes } from "./route.js";

export const DEFAULT_BATCH_SIZE = 100;

export interface FulfilCounters {
  orders: number;
  addedExecuted: number;
  addedErrored: number;
  modifiedExecuted: number;
  modifiedErrored: number;
  deletedExecuted: number;
  deletedErrored: number;
  /** Executed orders whose effect the package found already there (a killed run had applied them). */
  alreadyApplied: number;
  /** Orders left open as tickets (the Manual package), counted in `orders` too. */
  tickets: number;
  /** Order files completed (moved to Completed/). */
  files: number;
  [name: string]: number;
}

export interface FulfilOptions extends Pick<WorkContext<FulfilCounters>, "store" | "signal" | "log" | "progress"> {
  job: JobRef;
  workFolder: string;
  /** The folders a script package may run scripts from (FulfilContext.scriptRoots). */
  scriptRoots?: readonly string[];
  /** TaskResourceType list; undefined: the resource types routed to the connector's connections. */
  resourceTypes: readonly string[] | undefined;
  connector: string | undefined;
  connection: string | undefined;
  /** Orders per package call and transaction; 0: DEFAULT_BATCH_SIZE. */
  batchSize: number;
  continueOnError: boolean;
  /** The settings' Connections (secrets inside: never logged). */
  connections: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The packages to route to (tests); default connectors/fulfil/packages.ts and InternalResources. */
  packages?: readonly FulfilPackage[];
  /** InternalResources: flag the resources it writes dirty, and write them without history. */
  dirty?: boolean;
  ignoreHistorization?: boolean;
  at?: () => Date;
}

export interface FulfilResult {
  state: "Succeeded" | "Error";
  counters: FulfilCounters;
  message?: string;
}

/** The resource types the task fulfils, and their routes; a broken route of one of them throws. */
export function selectRoutes(options: Pick<FulfilOptions, "resourceTypes" | "connector" | "connection">, routes: Routes): ResolvedRoute[] {
  const { resourceTypes, connector, connection } = options;
  let chosen: ReturnType<typeof routeOf>[];
  if (resourceTypes !== undefined) chosen = resourceTypes.map((type) => routeOf(routes, type));
  else if (connector !== undefined) chosen = [...routes.values()].filter((r) => r.connector === connector);
  else throw new Error("FulfillTask names no TaskResourceType and no Connector: which orders to fulfil");
  const errors = chosen.filter((r): r is BrokenRoute => !isRoute(r)).map((r) => r.error);
  const found = chosen.filter(isRoute);
  if (connection !== undefined) {
    for (const r of found.filter((f) => f.connection !== connection)) {
      if (resourceTypes !== undefined) errors.push(`TaskResourceType ${r.resourceType} is fulfilled by Connection ${r.connection}, not by the task's Connection ${connection}`);
    }
  }
  if (errors.length > 0) throw new Error(errors.join("; "));
  return connection === undefined ? found : found.filter((r) => r.connection === connection);
}

export async function fulfilOrders(options: FulfilOptions): Promise<FulfilResult> {
  // InternalResources writes the store itself, so it is made per run, with the task's flags.
  const packages = options.packages ?? [
    ...FULFIL_PACKAGES,
    internalResourcesPackage({ store: options.store, dirty: options.dirty === true, ignoreHistorization: options.ignoreHistorization === true, jobInstanceId: options.job.instanceId }),
  ];
  const routes = selectRoutes(options, await readRoutes(options.store, packages));
  if (routes.length === 0) {
    const through = options.connection === undefined ? "" : ` through Connection ${options.connection}`;
    options.log("Warning", `Connector ${options.connector ?? ""} has no resource type whose ResourceTypeMapping routes it to a connection${through}: nothing to fulfil`);
  }
  const run = new FulfilRun(options, new Map(routes.map((r) => [r.resourceType, r])));
  try {
    return await run.run();
  } finally {
    await run.close();
  }
}

class FulfilRun {
  readonly counters: FulfilCounters = {
    orders: 0, addedExecuted: 0, addedErrored: 0, modifiedExecuted: 0, modifiedErrored: 0, deletedExecuted: 0, deletedErrored: 0, alreadyApplied: 0, tickets: 0, files: 0,
  };
  readonly #store: FulfilStore;
  readonly #fulfillers = new Map<string, Fulfiller>();
  #firstError: string | undefined;

  constructor(private readonly options: FulfilOptions, private readonly routes: ReadonlyMap<string, ResolvedRoute>) {
    this.#store = new FulfilStore(options.store);
  }

  private get batchSize(): number {
    return this.options.batchSize > 0 ? Math.floor(this.options.batchSize) : DEFAULT_BATCH_SIZE;
  }

  async run(): Promise<FulfilResult> {
    const { log, signal } = this.options;
    const outstanding = await this.#store.outstanding([...this.routes.keys()]);
    if (outstanding.length === 0) {
      log("Information", `no order to fulfil for ${[...this.routes.keys()].join(", ") || "(no resource type)"}`);
      return { state: "Succeeded", counters: this.counters };
    }
    // Every package is opened before the first order: a missing setting fails the task with nothing applied.
    for (const type of new Set(outstanding.map((o) => o.resourceType))) await this.open(this.routes.get(type)!);
    const files = new Map<string, FulfilOrderRow[]>();
    for (const row of outstanding) {
      if (row.orderFile === null) continue;
      (files.get(row.orderFile) ?? files.set(row.orderFile, []).get(row.orderFile)!).push(row);
    }
    for (const [file, rows] of files) {
      const stop = await this.file(file, rows);
      if (stop || signal.aborted) break;
    }
    if (signal.aborted) throw cancellationError(signal, "FulfillTask was cancelled");
    const errored = this.counters.addedErrored + this.counters.modifiedErrored + this.counters.deletedErrored;
    if (errored === 0) return { state: "Succeeded", counters: this.counters };
    const rest = this.options.continueOnError ? "" : "; the orders after it stay Transmitted for the next run";
    return { state: "Error", counters: this.counters, message: `${errored} orders Errored; the first: ${this.#firstError ?? ""}${rest}` };
  }

  async close(): Promise<void> {
    for (const fulfiller of this.#fulfillers.values()) await fulfiller.close().catch(() => undefined);
  }

  private async open(route: ResolvedRoute): Promise<void> {
    const key = `${route.connection}\u0000${route.resourceType}`;
    if (this.#fulfillers.has(key)) return;
    const { connections, workFolder, scriptRoots, log } = this.options;
    const settings = Object.hasOwn(connections, route.connection) ? connections[route.connection] : undefined;
    if (settings === undefined && !route.package.settingsOptional) {
      throw new Error(`settings Connections.${route.connection} is missing: the ${route.package.name} package of Connection ${route.connection} reads its settings there (ResourceType ${route.resourceType})`);
    }
    this.#fulfillers.set(key, await route.package.open(route, { settings: settings ?? {}, workFolder, ...(scriptRoots === undefined ? {} : { scriptRoots }), log: (level, message) => log(level, message) }));
  }

  private fulfillerOf(resourceType: string): Fulfiller {
    const route = this.routes.get(resourceType)!;
    return this.#fulfillers.get(`${route.connection}\u0000${route.resourceType}`)!;
  }

  /** One file's outstanding orders, in the file's order; whether the task stops here (ContinueOnError false). */
  private async file(orderFile: string, rows: FulfilOrderRow[]): Promise<boolean> {
    const { workFolder, signal } = this.options;
    const read = await readOrderFile(workFolder, orderFile);
    const documents = Array.isArray(read) ? read : [];
    const byAssignment = new Map(rows.map((r) => [String(r.assignedResourceTypeId), r]));
    const ordered: { row: FulfilOrderRow; order: ProvisioningOrder }[] = [];
    for (const order of documents) {
      const row = byAssignment.get(String(order.AssignedResourceTypeId));
      if (row === undefined) continue;
      byAssignment.delete(String(order.AssignedResourceTypeId));
      ordered.push({ row, order });
    }
    // Orders the store has for the file and the file has not: an outcome says why, instead of waiting forever.
    const missing = [...byAssignment.values()].map((row): RecordedOutcome => ({
      id: row.id, assignedResourceTypeId: row.assignedResourceTypeId, state: "Errored",
      message: Array.isArray(read) ? `order of assignment ${row.assignedResourceTypeId} is not in its order file ${orderFile}` : read.error,
    }));
    let stop = await this.record(missing, rows);
    for (let start = 0; start < ordered.length && !stop && !signal.aborted;) {
      const type = ordered[start]!.row.resourceType;
      let end = start + 1;
      while (end < ordered.length && end - start < this.batchSize && ordered[end]!.row.resourceType === type) end++;
      stop = await this.batch(ordered.slice(start, end), rows);
      start = end;
    }
    await this.finish(orderFile, [...new Set(rows.map((r) => r.resourceType))], documents);
    return stop;
  }

  /** Hands one batch to its package and records what came of it; whether the task stops. */
  private async batch(batch: { row: FulfilOrderRow; order: ProvisioningOrder }[], rows: FulfilOrderRow[]): Promise<boolean> {
    const ids = batch.map((b) => b.row.id);
    await this.#store.setInFlight(ids, true);
    const fulfiller = this.fulfillerOf(batch[0]!.row.resourceType);
    const given: FulfilOrder[] = batch.map((b) => ({ id: b.row.id, order: b.order }));
    const outcomes = new Map<number, OrderOutcome>();
    try {
      for await (const outcome of fulfiller.apply(given, this.options.signal)) {
        if (!ids.includes(outcome.id)) throw new Error(`the ${this.routes.get(batch[0]!.row.resourceType)!.package.name} package reported order ${outcome.id}, which it was not given`);
        if (!outcomes.has(outcome.id)) outcomes.set(outcome.id, outcome);
      }
    } finally {
      // Those reported are recorded even when the package then fails; the others stay InFlight (perhaps applied).
      await this.record([...outcomes.values()].map((o) => ({ ...o, assignedResourceTypeId: batch.find((b) => b.row.id === o.id)!.row.assignedResourceTypeId })), rows);
    }
    const unreached = ids.filter((id) => !outcomes.has(id));
    if (unreached.length > 0) await this.#store.setInFlight(unreached, false);
    return !this.options.continueOnError && [...outcomes.values()].some((o) => o.state === "Errored");
  }

  /** Records outcomes, counts them, and notes them on the file's rows (for its results); whether one Errored. */
  private async record(outcomes: RecordedOutcome[], rows: FulfilOrderRow[]): Promise<boolean> {
    if (outcomes.length === 0) return false;
    await this.#store.record(outcomes, this.options.at?.() ?? new Date(), this.options.job.instanceId);
    const byId = new Map(rows.map((r) => [r.id, r]));
    let errored = false;
    for (const outcome of outcomes) {
      const row = byId.get(outcome.id)!;
      const change = row.changeType === "Added" ? "added" : row.changeType === "Modified" ? "modified" : "deleted";
      this.counters.orders++;
      if (outcome.state === "Ticket") this.counters.tickets++;
      else this.counters[`${change}${outcome.state}`]++;
      if (outcome.alreadyApplied === true) this.counters.alreadyApplied++;
      if (outcome.state === "Errored") {
        errored = true;
        const text = `order ${outcome.id} (ResourceType ${row.resourceType}, assignment ${row.assignedResourceTypeId}, ${row.changeType}) Errored: ${outcome.message}`;
        this.#firstError ??= text;
        this.options.log("Warning", text);
      }
    }
    this.options.progress({ ...this.counters });
    return errored && !this.options.continueOnError;
  }

  /** The file's results, and its move to Completed/ once every order of it has an outcome. */
  private async finish(orderFile: string, resourceTypes: readonly string[], documents: readonly ProvisioningOrder[]): Promise<void> {
    const { workFolder, log } = this.options;
    const rows = await this.#store.ofFile(resourceTypes, orderFile);
    const results = await writeResults(workFolder, orderFile, rows, documents);
    if (!rows.every((r) => r.fulfilState === "Executed" || r.fulfilState === "Errored")) return;
    const moved = await completeOrderFile(workFolder, orderFile);
    if (moved === undefined) return;
    await this.#store.moveFile(rows.map((r) => r.id), moved);
    this.counters.files++;
    log("Information", `${orderFile}: every order has an outcome (results in ${results}); moved to ${moved}`);
  }
}

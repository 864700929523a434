/**
 * GenerateProvisioningOrdersTask (README): the Pending resource type assignments of the task's
 * resource types (TaskResourceType; else those whose TargetEntityType the task's Connector maps;
 * else all) become orders in files under `<Paths.Work>/ProvisioningOrders/<Connector>/`
 * (order-files.ts, §C.13 documents: order-documents.ts), BatchInsertSize orders per file; each order
 * is recorded in idm_provisioning_orders and its assignment and Pending values move to Transmitted.
 *
 * A Pending assignment held back (held_back: what it depends on is not there yet) makes no order
 * until the role model clears it.
 *
 * Per resource type, the orders are a queue of held changes (blocked-changes.ts, scope: this job
 * instance and the resource type). Before anything is written, the Pending assignments are counted
 * per change type against the ResourceType's provisioning thresholds (provisioning-thresholds.ts):
 * over one, the orders are recorded Blocked (nothing is written, the assignments stay Pending) and
 * the task ends Blocked. The resume of the job, `idm run --force` and ForceProvisioning force it: a
 * resume writes the blocked orders as they were recorded (what was reviewed is what is sent), a
 * new run recomputes them (the blocked orders of earlier runs are discarded). With nothing Pending
 * a run writes nothing.
 *
 * Orders a provisioning review approved (order-review.ts: blocked, decision Approved, of any job
 * instance) are written first, as they were reviewed, whatever the thresholds say.
 */
import { relative } from "node:path";
import { HeldChanges, decideHold, type HeldScope } from "../blocked-changes.js";
import { ResourceStore } from "../resources/resource-store.js";
import type { JobRef, WorkContext } from "../work-context.js";
import type { NewOrder, ResourceTypeWithValues } from "./assignment-rows.js";
import { AssignmentStore, type OrderFilter } from "./assignment-store.js";
import { orderDocumentsOf, type OrderDocuments, type OrderParts } from "./order-documents.js";
import { OrderFiles } from "./order-files.js";
import { PROVISIONING_ORDERS } from "./order-queries.js";
import { exceededProvisioningThreshold, readThresholds } from "./provisioning-thresholds.js";
import { readMappedConnectors, readResourceTypes, type ResourceTypeModel } from "./role-model-items.js";
import type { OrderChangeType } from "./states.js";

export const DEFAULT_ORDERS_PER_FILE = 1000;
export const DEFAULT_ORDERS_SELECT_SIZE = 1000;

export interface OrderCounters {
  /** Orders written to files (released ones included). */
  orders: number;
  added: number;
  modified: number;
  deleted: number;
  files: number;
  /** Orders held Blocked by a threshold. */
  blocked: number;
  /** Blocked orders written by a forced run. */
  released: number;
  /** Pending assignments held back (DependsOn…): no order yet. */
  heldBack: number;
  [name: string]: number;
}

export interface ProvisioningOrdersOptions extends Pick<WorkContext<OrderCounters>, "store" | "signal" | "log" | "progress"> {
  job: JobRef;
  workFolder: string;
  /** TaskResourceType list; undefined: by connector, or every resource type. */
  resourceTypes: readonly string[] | undefined;
  connector: string | undefined;
  /** Orders per file; 0: DEFAULT_ORDERS_PER_FILE. */
  batchInsertSize: number;
  /** Assignments read per page; 0: DEFAULT_ORDERS_SELECT_SIZE. */
  batchSelectSize: number;
  /** Thresholds bypassed and blocked orders released: a resume, `idm run --force`, ForceProvisioning. */
  force: boolean;
  at?: Date;
}

export interface OrdersOutcome {
  state: "Succeeded" | "Blocked";
  counters: OrderCounters;
  /** The files written, relative to the work folder. */
  files: string[];
  message?: string;
}

export async function generateProvisioningOrders(options: ProvisioningOrdersOptions): Promise<OrdersOutcome> {
  const { store, log, job } = options;
  const types = await readResourceTypes(store);
  const connectors = await readMappedConnectors(store);
  const run = new OrdersRun(options, await orderDocumentsOf(store));
  const reasons: string[] = [];
  for (const type of selectTypes(options, types, connectors)) {
    options.signal.throwIfAborted();
    const mapped = type.targetEntityType === undefined ? undefined : connectors.get(type.targetEntityType);
    if (mapped === undefined) log("Warning", `ResourceType ${type.identifier}: no EntityTypeMapping maps its TargetEntityType ${type.targetEntityType ?? "(none)"} to a connector; its orders go to the folder of ${options.connector ?? type.targetEntityType ?? type.identifier}`);
    const reason = await run.resourceType(type, mapped ?? options.connector ?? type.targetEntityType ?? type.identifier);
    if (reason !== undefined) reasons.push(reason);
  }
  const counters = run.counters;
  if (reasons.length === 0) return { state: "Succeeded", counters, files: run.files };
  const message = reasons.join("; ");
  log("Warning", `${message}: the ${counters.blocked} orders are kept blocked for review; resume the job (or run with --force) to send them`);
  return { state: "Blocked", counters, files: run.files, message: `${message} (job instance ${job.instanceId})` };
}

/** The resource types this run provisions, in identifier order. */
function selectTypes(options: ProvisioningOrdersOptions, types: Map<string, ResourceTypeModel>, connectors: Map<string, string>): ResourceTypeModel[] {
  if (options.resourceTypes !== undefined) {
    return options.resourceTypes.flatMap((identifier) => {
      const type = types.get(identifier);
      if (!type) options.log("Warning", `TaskResourceType ${identifier} is not a deployed ResourceType: no orders for it`);
      return type ? [type] : [];
    });
  }
  const all = [...types.values()];
  if (options.connector === undefined) return all;
  return all.filter((t) => t.targetEntityType !== undefined && connectors.get(t.targetEntityType) === options.connector);
}

class OrdersRun {
  readonly counters: OrderCounters = { orders: 0, added: 0, modified: 0, deleted: 0, files: 0, blocked: 0, released: 0, heldBack: 0 };
  readonly files: string[] = [];
  readonly #assignments: AssignmentStore;
  readonly #held: HeldChanges;

  constructor(
    private readonly options: ProvisioningOrdersOptions,
    private readonly documentsOf: (type: ResourceTypeModel) => OrderDocuments,
  ) {
    this.#assignments = new AssignmentStore(options.store.dataSource.manager);
    this.#held = new HeldChanges(options.store.dataSource.manager, PROVISIONING_ORDERS);
  }

  private get perFile(): number {
    return this.options.batchInsertSize > 0 ? Math.floor(this.options.batchInsertSize) : DEFAULT_ORDERS_PER_FILE;
  }

  private get selectSize(): number {
    return this.options.batchSelectSize > 0 ? Math.floor(this.options.batchSelectSize) : DEFAULT_ORDERS_SELECT_SIZE;
  }

  /** One resource type's orders; the reason they are held, or undefined. */
  async resourceType(type: ResourceTypeModel, connector: string): Promise<string | undefined> {
    const { job, force, log } = this.options;
    const scope: HeldScope = { owner: job.instanceId, subject: type.identifier };
    const documents = this.documentsOf(type);
    const files = new OrderFiles(this.options.workFolder, connector, `${type.identifier}-${job.instanceId}`);
    const approved = await this.release(type, documents, files, { resourceType: type.identifier, state: "blocked", decision: "Approved" });
    if (approved > 0) log("Information", `ResourceType ${type.identifier}: ${approved} orders approved by a provisioning review sent`);
    if (force && (await this.#held.isHeld(scope))) {
      log("Information", `ResourceType ${type.identifier}: sending the orders blocked by job instance ${job.instanceId} (thresholds forced)`);
      await this.release(type, documents, files, { jobInstanceId: job.instanceId, resourceType: type.identifier, state: "blocked" });
    }
    // Orders left pending by a run that died, and those other runs left blocked, are computed again now.
    await this.#held.discardSuperseded(scope, { blockedOfOthers: true });
    const counts = await this.#assignments.countOrdersToSend(type.identifier);
    if (counts.Added + counts.Modified + counts.Deleted === 0) return undefined;
    const decision = await decideHold(force, [async () => this.exceeded(type, counts)]);
    if (decision.action === "hold") {
      await this.hold(type, connector, documents, scope);
      return decision.reason;
    }
    const buffer: OrderParts[] = [];
    for await (const page of this.pending(type)) {
      buffer.push(...(await documents.partsOf(page)));
      while (buffer.length >= this.perFile) await this.send(type, connector, documents, files, buffer.splice(0, this.perFile));
    }
    if (buffer.length > 0) await this.send(type, connector, documents, files, buffer);
    return undefined;
  }

  /** The Pending assignments that make an order now: those held back (DependsOn…) wait, and are counted. */
  private async *pending(type: ResourceTypeModel): AsyncGenerator<ResourceTypeWithValues[]> {
    let heldBack = 0;
    for await (const page of this.#assignments.resourceTypesInState(type.identifier, "Pending", this.selectSize)) {
      const ready = page.filter((a) => a.heldBack === null);
      heldBack += page.length - ready.length;
      if (ready.length > 0) yield ready;
    }
    if (heldBack === 0) return;
    this.counters.heldBack += heldBack;
    this.options.log("Information", `ResourceType ${type.identifier}: ${heldBack} pending assignments are held back (what they depend on is not there yet): no order for them`);
  }

  private async exceeded(type: ResourceTypeModel, counts: Record<OrderChangeType, number>): Promise<string | undefined> {
    const target = type.targetEntityType;
    const stored = target === undefined ? 0 : (await new ResourceStore(this.options.store.dataSource.manager).countResources([target])).get(target) ?? 0;
    return exceededProvisioningThreshold(type.identifier, readThresholds(type.attributes), counts, stored, target ?? type.identifier);
  }

  /** Writes one file of orders, records them sent and their assignments Transmitted, then names the file. */
  private async send(type: ResourceTypeModel, connector: string, documents: OrderDocuments, files: OrderFiles, parts: OrderParts[], released?: number[]): Promise<void> {
    const file = await files.write(await documents.documents(parts));
    const name = relative(this.options.workFolder, file.path);
    await this.options.store.dataSource.transaction(async (m) => {
      const assignments = new AssignmentStore(m);
      if (released) await assignments.setOrderFile(released, name, "applied");
      else await assignments.insertOrders(parts.map((p) => this.orderRow(type, connector, p, "applied", name)));
      await assignments.moveProvisioningState(parts.map((p) => p.assignedResourceTypeId), "Pending", "Transmitted");
    });
    await file.publish();
    this.files.push(name);
    this.counters.files++;
    for (const p of parts) {
      this.counters.orders++;
      this.counters[p.changeType === "Added" ? "added" : p.changeType === "Modified" ? "modified" : "deleted"]++;
    }
    if (released) this.counters.released += released.length;
    this.options.progress({ ...this.counters });
  }

  /** Records the Pending assignments' orders, then holds them Blocked. Nothing is written. */
  private async hold(type: ResourceTypeModel, connector: string, documents: OrderDocuments, scope: HeldScope): Promise<void> {
    for await (const page of this.pending(type)) {
      const parts = await documents.partsOf(page);
      await this.#assignments.insertOrders(parts.map((p) => this.orderRow(type, connector, p, "pending", null)));
      this.counters.blocked += parts.length;
    }
    await this.#held.hold(scope);
  }

  /** Sends blocked orders (those this job instance held, or those a review approved) as they were recorded; how many. */
  private async release(type: ResourceTypeModel, documents: OrderDocuments, files: OrderFiles, filter: OrderFilter): Promise<number> {
    let released = 0;
    for await (const page of this.#assignments.orders(filter, this.perFile)) {
      released += page.length;
      const parts = page.map((o): OrderParts => ({
        assignedResourceTypeId: o.assignedResourceTypeId, changeType: o.changeType, ownerId: o.ownerId, targetId: o.targetId, changes: JSON.parse(o.changes) as Record<string, unknown>,
      }));
      await this.send(type, page[0]!.connector, documents, files, parts, page.map((o) => o.id));
    }
    return released;
  }

  private orderRow(type: ResourceTypeModel, connector: string, p: OrderParts, state: "pending" | "applied", file: string | null): NewOrder {
    return {
      assignedResourceTypeId: p.assignedResourceTypeId, resourceType: type.identifier, connector, changeType: p.changeType, ownerId: p.ownerId, targetId: p.targetId,
      state, orderFile: file, createdAt: this.options.at ?? new Date(), jobInstanceId: this.options.job.instanceId,
      decision: null, decidedBy: null, decidedAt: null, decisionComment: null, changes: JSON.stringify(p.changes),
    };
  }
}

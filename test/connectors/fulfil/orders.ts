/** Orders shaped like the order files' (model.md §C.13), and the context the packages open with. */
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FulfilContext, FulfilOrder, Fulfiller, FulfilRoute, OrderChangeType, OrderOutcome } from "../../../src/connectors/fulfil/fulfiller.js";

export function tempFolder(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function route(packageName: string, resourceType = "HR_Account_Nominative"): FulfilRoute {
  return { resourceType, connection: "HRFiles", packageName, mappingKind: "ResourceTypeMapping", mapping: {} };
}

export function context(workFolder: string, settings: Record<string, unknown>, extra: Partial<FulfilContext> = {}): FulfilContext & { lines: string[] } {
  const lines: string[] = [];
  return { settings, workFolder, log: (level, message) => lines.push(`${level} ${message}`), lines, ...extra };
}

const resourceType = {
  Id: "-41",
  Identifier: "HR_Account_Nominative",
  SourceEntityType: { Id: "51", Identifier: "Directory_User" },
  TargetEntityType: { Id: "70", Identifier: "HR_Account" },
};

export function order(id: number, changeType: OrderChangeType, changes: Record<string, unknown>, resource?: Record<string, unknown>): FulfilOrder {
  return {
    id,
    order: {
      AssignedResourceTypeId: `A${id}`,
      ChangeType: changeType,
      Owner: { Id: `${id}00`, Identifier: `007-${id}`, InternalDisplayName: `Bond ${id}` },
      ResourceType: resourceType,
      Changes: changes,
      ...(resource === undefined ? {} : { Resource: resource }),
    },
  };
}

/** One order of each change type, with a navigation, a multi-valued navigation and a cleared value. */
export function sampleOrders(): FulfilOrder[] {
  return [
    order(1, "Added", { login: "jbond", firstName: "James", manager: { Id: "9", Identifier: "mmoney" } }),
    order(2, "Modified", { firstName: "Jim", phone: null, groups_add: [{ Id: "3", Identifier: "agents" }], groups_remove: [{ Id: "4", Identifier: "guests" }] }, { Id: "12", Identifier: "jbond2" }),
    order(3, "Deleted", {}, { Id: "13", Identifier: "jbond3" }),
  ];
}

export async function applyAll(fulfiller: Fulfiller, orders: readonly FulfilOrder[], signal = new AbortController().signal): Promise<OrderOutcome[]> {
  const outcomes: OrderOutcome[] = [];
  for await (const outcome of fulfiller.apply(orders, signal)) outcomes.push(outcome);
  return outcomes;
}

/** Resources and links of the views model (views-model.ts), written with ResourceStore like a synchronization does. */
import { ResourceStore, type PropertyInput } from "../../../src/domain/resources/resource-store.js";
import type { Store } from "../../../src/store/store.js";

export const LOADED_AT = new Date("2026-03-04T05:06:07.000Z");

/** Values as JSON numbers and booleans, and as the plain strings a CSV gives; P3 has values that do not convert. */
export const PEOPLE: Record<string, Record<string, PropertyInput>> = {
  P1: {
    Code: "P1", Mail: "p1@example.org", Select: "it's selected", Order: "9007199254740993", Group: 42, Salary: "1234.5", Active: true, Born: "2024-01-31",
    Uid: "6f9619ff-8b86-d011-b42d-00c04fc964ff", Photo: "AAEC",
  },
  P2: { Code: "P2", Select: "second", Order: 5, Group: "7", Salary: 3.25, Active: "false", Born: "2024-02-29T10:00:00.000Z" },
  P3: { Code: "P3", Order: "12x", Group: "abc", Salary: "n/a", Active: "maybe", Born: "2024-13-01" },
};

/** Inserts the units and people; P1 and P2 are members of U1. Returns the ids by source key. */
export async function loadPeople(store: Store): Promise<Map<string, number>> {
  const resources = new ResourceStore(store.dataSource.manager);
  const context = { at: LOADED_AT, jobInstanceId: null };
  await resources.insertResources([
    { entityType: "Org_Unit9", connector: null, sourceKey: "U1", properties: { Name: "Unit one" } },
    { entityType: "Org_Unit9", connector: null, sourceKey: "U2", properties: { Name: "Unit two" } },
  ], context);
  await resources.insertResources(Object.entries(PEOPLE).map(([key, properties]) => ({ entityType: "Person_2024", connector: null, sourceKey: key, properties })), context);
  const ids = new Map([...(await resources.idsByKeys("Org_Unit9", ["U1", "U2"])), ...(await resources.idsByKeys("Person_2024", Object.keys(PEOPLE)))]);
  await resources.insertLinks(["P1", "P2"].map((p) => ({ association: "Unit_Members", fromResourceId: ids.get("U1")!, toResourceId: ids.get(p)! })), context);
  return ids;
}

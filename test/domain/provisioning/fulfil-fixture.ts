/**
 * Real order files for FulfillTask tests: the role model fixture's AD_Account routed through a
 * ResourceTypeMapping to the Connection ADSql (Package Usercube.SQL), pending assignments made into
 * order files by GenerateProvisioningOrdersTask, and a target table `accounts` (key sAMAccountName)
 * in a database of its own: a SQLite file beside the test, or the test's PostgreSQL schema.
 */
import { join } from "node:path";
import { ResourceStore } from "../../../src/domain/resources/resource-store.js";
import { ruleColumns, type NewResourceType, type NewValueOfType } from "../../../src/domain/rolemodel/assignment-rows.js";
import { AssignmentStore } from "../../../src/domain/rolemodel/assignment-store.js";
import { openStore, type Store } from "../../../src/store/store.js";
import generateOrders from "../../../src/tasks/generate-provisioning-orders.js";
import type { Backend, TestDatabase } from "../../helpers/backends.js";
import { taskSnapshot, type TaskWorkspace } from "../../helpers/task-workspace.js";
import { configFile } from "../../helpers/temp-folder.js";
import { deployRoleModel, T0 } from "../rolemodel/role-model-fixture.js";

export const PROVISIONING_XML = configFile(`  <Connection Identifier="ADSql" DisplayName_L1="AD table" Connector="AD" Package="Usercube.SQL@0000001" />
  <ResourceTypeMapping Identifier="AD_Account" Connection="ADSql" />`);

export const scalar = (property: string, policyValue: string | null): NewValueOfType => ({
  property, kind: "scalar", provisioningState: "Pending", changeType: null, confidence: null, questioned: false, origin: "rule",
  ...ruleColumns({ kind: "ScalarRule", identifier: `AD_Account/${property}` }), workflowState: "PolicyApproved", validFrom: T0, validTo: null, policyValue, currentValue: null,
});
export const navigation = (property: string, policyValue: number): NewValueOfType => ({ ...scalar(property, String(policyValue)), kind: "navigation" });

export const assignment = (ownerId: number, over: Partial<NewResourceType>): NewResourceType => ({
  ownerId, resourceType: "AD_Account", targetId: null, correlationRule: null, confidence: null, provisioningState: "Pending", changeType: "Added", heldBack: null, origin: "rule",
  ...ruleColumns({ kind: "TypeRule", identifier: "AD_Account/TypeRule#1" }), workflowState: "PolicyApproved", validFrom: T0, validTo: null, parameters: null, values: [], ...over,
});

/** The target database and its `accounts` table; `rows()` reads it in key order. */
export interface TargetTable {
  url: string;
  /** As the settings name it. */
  table: string;
  query(sql: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>;
  rows(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function targetTable(backend: Backend["name"], db: TestDatabase, folder: string): Promise<TargetTable> {
  const url = backend === "sqlite" ? `sqlite:${join(folder, "target.db")}` : db.url;
  const table = backend === "sqlite" ? "accounts" : `${db.schema!}.accounts`;
  const quoted = backend === "sqlite" ? `"accounts"` : `"${db.schema!}"."accounts"`;
  const store: Store = await openStore(url, { migrate: false });
  await store.dataSource.query(`CREATE TABLE ${quoted} ("sAMAccountName" varchar(100) PRIMARY KEY, "mail" varchar(200), "employeeID" varchar(50), "manager" varchar(100))`);
  const query = (sql: string, parameters: unknown[] = []) => store.dataSource.query(sql.replaceAll("<accounts>", quoted), parameters) as Promise<Record<string, unknown>[]>;
  return {
    url, table, query,
    rows: () => query(`SELECT "sAMAccountName", "mail", "employeeID", "manager" FROM <accounts> ORDER BY "sAMAccountName"`),
    close: () => store.close(),
  };
}

export function connectionSettings(target: TargetTable, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { ConnectionString: target.url, Table: target.table, KeyColumn: "sAMAccountName", ...more };
}

/** People p1..p3 and AD entries; returns resource ids by key. */
export async function deployAndSeed(store: Store, extraFiles: Record<string, string> = {}): Promise<Record<string, number>> {
  await deployRoleModel(store, [], { files: { "provisioning.xml": PROVISIONING_XML, ...extraFiles } });
  const resources = new ResourceStore(store.dataSource.manager);
  await resources.insertResources([
    ...["p1", "p2", "p3", "p4"].map((login) => ({ entityType: "HR_Person", connector: "HR", sourceKey: login, properties: { Login: login } })),
    ...["ada.l", "old", "boss", "grp_sales"].map((name) => ({ entityType: "AD_Entry", connector: "AD", sourceKey: name, properties: { sAMAccountName: name } })),
  ], { at: T0, jobInstanceId: 1 });
  return Object.fromEntries([
    ...(await resources.idsByKeys("HR_Person", ["p1", "p2", "p3", "p4"])), ...(await resources.idsByKeys("AD_Entry", ["ada.l", "old", "boss", "grp_sales"])),
  ]);
}

/** Writes the assignments and makes them order files (BatchInsertSize per file, thresholds forced); the number of files. */
export async function writeOrders(store: Store, ws: TaskWorkspace, assignments: NewResourceType[], batchInsertSize = 0): Promise<number> {
  await new AssignmentStore(store.dataSource.manager).writeDelta({ resourceTypes: { insert: assignments } }, { at: T0, jobInstanceId: 1 });
  const result = await generateOrders.run(ws.context, taskSnapshot({
    identifier: "GPO", type: "GenerateProvisioningOrdersTask", attributes: { BatchInsertSize: batchInsertSize, BatchSelectSize: 0, ForceProvisioning: true }, resourceTypes: ["AD_Account"],
  }));
  if (result.state !== "Succeeded") throw new Error(`GenerateProvisioningOrdersTask ended ${result.state}: ${result.message ?? ""}`);
  return result.counters!.files!;
}

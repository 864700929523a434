/**
 * FulfillTask in a job run by the runner: registered, it follows GenerateProvisioningOrdersTask and
 * fulfils through the SQL package; an Errored order ends it Error, or Warning under ContinueOnError
 * (the job goes on). SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../src/config/settings.js";
import { runJob } from "../../src/jobs/runner.js";
import type { Store } from "../../src/store/store.js";
import fulfill from "../../src/tasks/fulfill.js";
import { handlerFor } from "../../src/tasks/registry.js";
import { BACKENDS, type TestDatabase } from "../helpers/backends.js";
import { removeTaskWorkspaces, taskWorkspace, type TaskWorkspace } from "../helpers/task-workspace.js";
import { configFile } from "../helpers/temp-folder.js";
import { AssignmentStore } from "../../src/domain/rolemodel/assignment-store.js";
import { assignment, connectionSettings, deployAndSeed, scalar, targetTable, type TargetTable } from "../domain/provisioning/fulfil-fixture.js";
import { T0 } from "../domain/rolemodel/role-model-fixture.js";

const job = (continueOnError: boolean) => configFile(`  <Job Identifier="Provision" DisplayName_L1="Provision">
    <GenerateProvisioningOrdersTask Identifier="Orders" DisplayName_L1="Orders" ForceProvisioning="true" Level="0">
      <TaskResourceType ResourceType="AD_Account" />
    </GenerateProvisioningOrdersTask>
    <FulfillTask Identifier="Fulfil" DisplayName_L1="Fulfil" Connector="AD" ContinueOnError="${continueOnError}" Level="1" />
    <GenerateProvisioningOrdersTask Identifier="After" DisplayName_L1="After" Connector="AD" Level="2" />
  </Job>`);

afterEach(() => removeTaskWorkspaces());

describe.each(BACKENDS)("FulfillTask in a job on %s", (_, backend) => {
  let db: TestDatabase;
  let store: Store;
  let ws: TaskWorkspace;
  let target: TargetTable;

  beforeEach(async (context) => {
    db = await backend.create(context.task.name);
    store = await db.open();
    ws = taskWorkspace({}, { store });
    target = await targetTable(backend.name, db, ws.root);
  });
  afterEach(async () => {
    await target.close();
    await db.drop();
  });

  it("is registered: a job runs it instead of ending task-not-implemented", () => {
    expect(handlerFor("FulfillTask")).toBe(fulfill);
  });

  for (const continueOnError of [false, true]) {
    it(`ends ${continueOnError ? "Warning and the job goes on" : "Error and stops the job"} when an order is Errored (ContinueOnError=${continueOnError})`, async () => {
      const id = await deployAndSeed(store, { "jobs.xml": job(continueOnError) });
      await new AssignmentStore(store.dataSource.manager).writeDelta({
        resourceTypes: {
          insert: [
            assignment(id.p2!, { values: [scalar("sAMAccountName", "bob")] }),
            assignment(id.p1!, { targetId: id["ada.l"]!, changeType: "Modified", values: [scalar("mail", "ada@example.com")] }),
          ],
        },
      }, { at: T0, jobInstanceId: 1 });
      const settings = { ...DEFAULT_SETTINGS, paths: ws.folders, connections: { ADSql: connectionSettings(target) } };
      const summary = await runJob("Provision", { store, settings });
      expect(summary.state).toBe(continueOnError ? "Warning" : "Error");
      expect(summary.tasks.map((t) => [t.identifier, t.state])).toEqual([
        ["Orders", "Succeeded"], ["Fulfil", continueOnError ? "Warning" : "Error"], ["After", continueOnError ? "Succeeded" : "Pending"],
      ]);
      const fulfil = summary.tasks.find((t) => t.identifier === "Fulfil")!;
      expect(fulfil.error).toContain(`order 2 (ResourceType AD_Account, assignment 2, Modified) Errored: no row of ${target.table} has sAMAccountName = ada.l: nothing to modify`);
      expect((await target.rows()).map((r) => r.sAMAccountName)).toEqual(["bob"]);
    });
  }
});
